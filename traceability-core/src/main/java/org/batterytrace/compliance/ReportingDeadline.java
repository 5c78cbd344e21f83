package org.batterytrace.compliance;

import java.util.Optional;
import java.util.Set;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Role;

/**
 * How many working days an enterprise has to upload a record, after the event, under the 2018 Interim
 * Provisions on traceability management (《新能源汽车动力蓄电池回收利用溯源管理暂行规定》). Articles 10, 11
 * and 13-15 are verified; the production and vehicle-binding deadlines (Art. 8) are reported as 15
 * working days by a single source. Cascade enterprises (Art. 14) and end-of-life vehicle dismantlers
 * (Art. 13) have 15 working days for everything they record; everyone else 30, except those two.
 */
public record ReportingDeadline(int workingDays, String basis) {
    private static final ReportingDeadline CASCADE = new ReportingDeadline(15, "2018 Interim Provisions Art. 14 (cascade-use enterprise)");
    private static final ReportingDeadline DISMANTLER = new ReportingDeadline(15, "2018 Interim Provisions Art. 13 (end-of-life vehicle dismantler)");
    private static final ReportingDeadline FACTORY = new ReportingDeadline(15, "2018 Interim Provisions Art. 8 (leaving the factory; single source)");
    private static final ReportingDeadline SALE = new ReportingDeadline(30, "2018 Interim Provisions Art. 9 (sale)");
    private static final ReportingDeadline SERVICE = new ReportingDeadline(30, "2018 Interim Provisions Art. 10 (repair, replacement)");
    private static final ReportingDeadline COLLECTION = new ReportingDeadline(30, "2018 Interim Provisions Art. 11 (collection warehouse-in / transfer-out)");
    private static final ReportingDeadline RECYCLING = new ReportingDeadline(30, "2018 Interim Provisions Art. 15 (recycling enterprise)");

    /** The deadline for {@code event} recorded by an organization holding {@code roles}; empty where the rules set none. */
    public static Optional<ReportingDeadline> of(EventType event, Set<Role> roles) {
        if (event == EventType.LOT_OPENED || event == EventType.PASSPORT_DECLARED || event == EventType.PASSPORT_UPDATED) {
            return Optional.empty(); // the recycler's bookkeeping, or EU passport data: not a stage the 2018 rules report
        }
        if (roles.contains(Role.CASCADE_ENTERPRISE)) {
            return Optional.of(CASCADE);
        }
        if (roles.contains(Role.DISMANTLER) && !roles.contains(Role.RECYCLER)) {
            return Optional.of(DISMANTLER);
        }
        return Optional.ofNullable(switch (event) {
            case PRODUCED, INSTALLED -> FACTORY;
            case SOLD -> SALE;
            case MAINTAINED, SWAPPED, REPLACED -> SERVICE;
            case RETIRED, COLLECTED, TRANSFERRED -> COLLECTION;
            case TESTED, DISMANTLED, SEPARATED, RECYCLED, LOT_CLOSED -> RECYCLING;
            case ASSEMBLED, CERTIFIED, DEPLOYED, REPURPOSED -> CASCADE;
            default -> null;
        });
    }
}
