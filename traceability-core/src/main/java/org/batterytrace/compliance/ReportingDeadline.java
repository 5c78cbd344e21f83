package org.batterytrace.compliance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.Role;

/**
 * How many working days an enterprise has to upload a record, after the event, under the 2018 Interim
 * Provisions on traceability management (《新能源汽车动力蓄电池回收利用溯源管理暂行规定》, in force 2018-08-01).
 * Articles 10, 11 and 13-15 are verified; Art. 8 (15 working days after the battery or the vehicle
 * leaves the factory) is reported by a single source, and Art. 9 (sale, 30) is inferred from the Art. 12
 * cross-reference. docs/reporting-rules.md lists the outcome for every record type, role and stage
 * ({@link #table()}), so each can be challenged.
 *
 * <p>The stage decides the article: a record names an event (production, sale, repair, collection,
 * cascade use, recycling); a transfer is the hand-over out of whatever stage the battery is in, so the
 * battery maker's hand-over to a vehicle maker is the battery leaving the factory (Art. 8), not a
 * collection-point transfer (Art. 11). Where a waste battery is handled, the article is the handler's:
 * cascade-use enterprise (Art. 14) before recycler (Art. 15) before dismantler (Art. 13) before anyone
 * else, who reports like a collection service point (Art. 11).
 *
 * @param article the article, e.g. {@code Art. 8}
 * @param basis   the article with the stage it covers and how sure the deadline is
 */
public record ReportingDeadline(int workingDays, String article, String basis) {
    private static final String RULES = "2018 Interim Provisions ";
    static final ReportingDeadline BATTERY_FACTORY = new ReportingDeadline(15, "Art. 8",
            RULES + "Art. 8: the battery leaves the battery factory (15 working days as reported by a single source)");
    static final ReportingDeadline VEHICLE_FACTORY = new ReportingDeadline(15, "Art. 8",
            RULES + "Art. 8: the vehicle leaves the factory or is imported, VIN bound to the pack (15 working days as reported by a single source)");
    static final ReportingDeadline SALE = new ReportingDeadline(30, "Art. 9", RULES + "Art. 9: sale of the vehicle (30 working days, inferred from Art. 12)");
    static final ReportingDeadline SERVICE = new ReportingDeadline(30, "Art. 10", RULES + "Art. 10: repair, maintenance, battery replacement or swap");
    static final ReportingDeadline COLLECTION = new ReportingDeadline(30, "Art. 11",
            RULES + "Art. 11: collection service point, warehouse-in and transfer-out of waste batteries");
    static final ReportingDeadline DISMANTLER = new ReportingDeadline(15, "Art. 13",
            RULES + "Art. 13: end-of-life vehicle dismantler, battery taken out and transferred out");
    static final ReportingDeadline CASCADE = new ReportingDeadline(15, "Art. 14",
            RULES + "Art. 14: cascade-use enterprise, cascade products out of the warehouse and waste batteries in and out");
    static final ReportingDeadline RECYCLING = new ReportingDeadline(30, "Art. 15",
            RULES + "Art. 15: recycling enterprise, waste batteries into stock and recycling completed");

    /** Events whose article depends on the battery's state before them. */
    private static final Set<EventType> STAGE_DEPENDENT = EnumSet.of(EventType.TRANSFERRED, EventType.MAINTAINED, EventType.SWAPPED);

    /**
     * The deadline for {@code event} recorded by an organization holding {@code roles}; empty where the
     * rules set none (opening a recycling lot is the recycler's own bookkeeping).
     *
     * @param before the battery's state before the record: required for {@link EventType#TRANSFERRED}
     *               (the stage being left), used for MAINTAINED and SWAPPED (a deployed cascade product
     *               is Art. 14), ignored otherwise; {@code null} for a chain's first record
     * @throws IllegalArgumentException for a transfer without a transferable state before it
     */
    public static Optional<ReportingDeadline> of(EventType event, Set<Role> roles, BatteryState before) {
        return Optional.ofNullable(switch (event) {
            // the recycler's own bookkeeping, and EU passport data: no stage the 2018 rules report
            case LOT_OPENED, PASSPORT_DECLARED, PASSPORT_UPDATED -> null;
            case PRODUCED -> BATTERY_FACTORY;
            case INSTALLED -> VEHICLE_FACTORY;
            case SOLD -> SALE;
            case REPLACED -> SERVICE;
            case MAINTAINED, SWAPPED -> before == BatteryState.DEPLOYED ? CASCADE : SERVICE;
            case ASSEMBLED, CERTIFIED, DEPLOYED, REPURPOSED -> CASCADE;
            case RECYCLED, LOT_CLOSED -> RECYCLING;
            case RETIRED, COLLECTED, SEPARATED, TESTED, DISMANTLED -> wasteHandler(roles);
            case TRANSFERRED -> {
                if (before == null) {
                    throw new IllegalArgumentException("a transfer's deadline depends on the stage it leaves; give the state before it");
                }
                yield switch (before) {
                    case PRODUCED -> BATTERY_FACTORY;
                    case INSTALLED -> VEHICLE_FACTORY;
                    case IN_SERVICE -> SERVICE;
                    case ASSEMBLED, CERTIFIED, DEPLOYED -> CASCADE;
                    case RETIRED, COLLECTED, TESTED, DISMANTLED -> wasteHandler(roles);
                    default -> throw new IllegalArgumentException("nothing is transferred out of state " + before);
                };
            }
        });
    }

    /** Who reports the handling of a waste battery, by the handler's roles. */
    private static ReportingDeadline wasteHandler(Set<Role> roles) {
        if (roles.contains(Role.CASCADE_ENTERPRISE)) {
            return CASCADE;
        }
        if (roles.contains(Role.RECYCLER)) {
            return RECYCLING;
        }
        if (roles.contains(Role.DISMANTLER)) {
            return DISMANTLER;
        }
        return COLLECTION;
    }

    /** Whether the deadline of {@code event} depends on the battery's state before it (transfers, maintenance, swaps). */
    public static boolean dependsOnStage(EventType event) {
        return STAGE_DEPENDENT.contains(event);
    }

    /** One line of the rule table: who records what, from which states, and the deadline that applies. */
    public record Rule(EventType event, List<BatteryState> before, List<Role> roles, ReportingDeadline deadline) {
    }

    /**
     * The whole rule, one line per record type, states before it (those the lifecycle allows; listed
     * only where they change the outcome) and roles that may record it (single-role organizations; the
     * order of precedence for several roles is in the class comment). Events without a deadline are left
     * out. This is the table published in docs/reporting-rules.md.
     */
    public static List<Rule> table() {
        List<Rule> rules = new ArrayList<>();
        for (EventType event : EventType.values()) {
            List<Role> roles = new ArrayList<>(Lifecycle.rule(event).roles());
            List<BatteryState> states = STAGE_DEPENDENT.contains(event) ? new ArrayList<>(Lifecycle.rule(event).from()) : new ArrayList<>();
            states.removeIf(s -> s.isLot() || s.isTerminal());
            if (states.isEmpty()) {
                states.add(null);
            }
            // States with the same outcome for every role share a line.
            Map<Map<Role, ReportingDeadline>, List<BatteryState>> byOutcome = new LinkedHashMap<>();
            for (BatteryState before : states) {
                Map<Role, ReportingDeadline> outcome = new TreeMap<>();
                for (Role role : roles) {
                    of(event, Set.of(role), before).ifPresent(d -> outcome.put(role, d));
                }
                if (!outcome.isEmpty()) {
                    byOutcome.computeIfAbsent(outcome, o -> new ArrayList<>()).add(before);
                }
            }
            byOutcome.forEach((outcome, before) -> {
                Map<ReportingDeadline, List<Role>> byDeadline = new LinkedHashMap<>();
                outcome.forEach((role, d) -> byDeadline.computeIfAbsent(d, k -> new ArrayList<>()).add(role));
                byDeadline.forEach((d, r) -> rules.add(new Rule(event, before.contains(null) ? List.of() : List.copyOf(before), List.copyOf(r), d)));
            });
        }
        return rules;
    }

    /** {@link #table()} as the Markdown table of docs/reporting-rules.md. */
    public static String markdownTable() {
        StringBuilder md = new StringBuilder("| record type | state before | recorded by | working days | article | what the article covers |\n|---|---|---|---|---|---|\n");
        for (Rule rule : table()) {
            md.append("| `").append(rule.event()).append("` | ")
                    .append(rule.before().isEmpty() ? "any" : rule.before().stream().map(s -> "`" + s + "`").collect(Collectors.joining(", "))).append(" | ")
                    .append(rule.roles().size() > 3 && rule.roles().size() == Lifecycle.rule(rule.event()).roles().size() ? "any holder"
                            : rule.roles().stream().map(r -> "`" + r + "`").collect(Collectors.joining(", "))).append(" | ")
                    .append(rule.deadline().workingDays()).append(" | ").append(rule.deadline().article()).append(" | ")
                    .append(rule.deadline().basis().substring(RULES.length() + rule.deadline().article().length() + 2)).append(" |\n");
        }
        return md.toString();
    }
}
