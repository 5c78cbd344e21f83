package org.batterytrace.server.compliance;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.compliance.ReportingDeadline;
import org.batterytrace.compliance.WorkingDays;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.recycling.RecoveryRates;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.organization.OrganizationService;
import org.batterytrace.server.record.TransactionJdbc;
import org.batterytrace.server.report.ChainSql;
import org.batterytrace.server.access.RegionScope;

/**
 * Reporting timeliness: each record's event day against the day the platform accepted it, in working
 * days of the configured calendar (Beijing dates; the State Council's holidays shipped with the core,
 * overridden by {@code trace.compliance.*}), against the 2018 deadlines ({@link ReportingDeadline}).
 * Every query takes a {@link RegionScope} on the recording enterprise's region.
 */
@ApplicationScoped
public class ComplianceService {
    private static final int PAGE = 5_000;

    @Inject
    TraceConfig config;
    @Inject
    EntityManager em;
    @Inject
    OrganizationService organizations;

    private volatile WorkingDays calendar;

    /** The calendar deadlines are counted in: the published holidays (unless switched off), overridden by the configured days. */
    public WorkingDays calendar() {
        WorkingDays c = calendar;
        if (c == null) {
            TraceConfig.Compliance settings = config.compliance();
            WorkingDays base = settings.publishedHolidays() ? ChinaTime.publishedHolidays() : WorkingDays.weekendsOnly();
            c = base.overriddenBy(settings.holidays().orElse(List.of()), settings.workedWeekendDays().orElse(List.of()));
            calendar = c;
        }
        return c;
    }

    /** One record checked against its deadline. */
    private record Checked(String actor, String name, String region, ComplianceDtos.LateReport report) {
        boolean late() {
            return report.workingDays() > report.allowedWorkingDays();
        }
    }

    /** The late records of one enterprise whose {@code basis} time is in [from, to), oldest first, at most {@code limit} listed. */
    public ComplianceDtos.LateReports lateReports(String actor, Instant from, Instant to, TimeRange.Basis basis, int limit, RegionScope scope) {
        OrganizationEntity org = organizations.require(actor);
        long[] counts = new long[2];
        List<ComplianceDtos.LateReport> late = new ArrayList<>();
        scan(actor, from, to, basis, scope, c -> {
            counts[0]++;
            if (c.late()) {
                counts[1]++;
                if (late.size() < limit) {
                    late.add(c.report());
                }
            }
        });
        return new ComplianceDtos.LateReports(actor, org.name, from, to, basis.name().toLowerCase(java.util.Locale.ROOT), counts[0], counts[1], late);
    }

    /** Every enterprise that recorded anything in the window: how many of its records were late. */
    public List<ComplianceDtos.EnterpriseTimeliness> overview(Instant from, Instant to, TimeRange.Basis basis, RegionScope scope) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Checked> names = new LinkedHashMap<>();
        scan(null, from, to, basis, scope, c -> {
            long[] n = counts.computeIfAbsent(c.actor(), a -> new long[2]);
            names.putIfAbsent(c.actor(), c);
            n[0]++;
            if (c.late()) {
                n[1]++;
            }
        });
        List<ComplianceDtos.EnterpriseTimeliness> rows = new ArrayList<>();
        counts.forEach((actor, c) -> rows.add(new ComplianceDtos.EnterpriseTimeliness(actor, names.get(actor).name(), names.get(actor).region(), c[0], c[1],
                share(c))));
        return rows;
    }

    /** Late reports by stage (record type) and article, over every enterprise in scope. */
    public List<ComplianceDtos.StageTimeliness> byStage(Instant from, Instant to, TimeRange.Basis basis, RegionScope scope) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, ComplianceDtos.LateReport> examples = new LinkedHashMap<>();
        scan(null, from, to, basis, scope, c -> {
            String key = c.report().type() + "\t" + c.report().article();
            long[] n = counts.computeIfAbsent(key, k -> new long[2]);
            examples.putIfAbsent(key, c.report());
            n[0]++;
            if (c.late()) {
                n[1]++;
            }
        });
        List<ComplianceDtos.StageTimeliness> rows = new ArrayList<>();
        counts.forEach((key, c) -> {
            ComplianceDtos.LateReport example = examples.get(key);
            rows.add(new ComplianceDtos.StageTimeliness(example.type(), example.article(), example.allowedWorkingDays(), c[0], c[1], share(c), example.basis()));
        });
        return rows;
    }

    /** The reporting rule as applied ({@link ReportingDeadline#table()}). */
    public List<ComplianceDtos.Rule> rules() {
        return ReportingDeadline.table().stream().map(r -> new ComplianceDtos.Rule(r.event().name(), r.before().stream().map(Enum::name).toList(),
                r.roles().stream().map(Enum::name).toList(), r.deadline().workingDays(), r.deadline().article(), r.deadline().basis())).toList();
    }

    private static String share(long[] c) {
        return RecoveryRates.percent((int) (c[1] * 10_000 / c[0]));
    }

    /**
     * Every record with a deadline by {@code actor} (or anyone when null) in scope whose {@code basis}
     * time is in [from, to), in log order. Records accepted before upload times were kept have no
     * upload day and are skipped. For transfers, maintenance and swaps the query also fetches the type of
     * the chain's last state-changing record before them: the stage they belong to.
     */
    private void scan(String actor, Instant from, Instant to, TimeRange.Basis basis, RegionScope scope, Consumer<Checked> sink) {
        String stageDependent = Stream.of(EventType.values()).filter(ReportingDeadline::dependsOnStage).map(t -> "'" + t + "'").collect(Collectors.joining(", "));
        String stageBefore = "CASE WHEN e.type IN (" + stageDependent + ") THEN (SELECT m.type FROM log_entry m WHERE m.subject = e.subject AND m.seq ="
                + " (SELECT MAX(m2.seq) FROM log_entry m2 WHERE m2.subject = e.subject AND m2.seq < e.seq AND m2.type IN (" + ChainSql.MOVING_TYPES + "))) END";
        String types = EventType.names().stream().filter(t -> !t.equals(EventType.LOT_OPENED.name())).map(t -> "'" + t + "'").collect(Collectors.joining(", "));
        String time = "e." + basis.column();
        String sql = "SELECT e.idx, e.subject, e.seq, e.type, e.actor, e.record_time, e.accepted_at, o.name, o.roles, o.region, " + stageBefore
                + " FROM log_entry e JOIN organization o ON o.id = e.actor"
                + " WHERE e.idx > :after AND " + time + " >= :from AND " + time + " < :to AND e.accepted_at IS NOT NULL AND e.type IN (" + types + ")"
                + (actor == null ? "" : " AND e.actor = :actor") + " AND " + scope.sql("o.region") + " ORDER BY e.idx";
        Map<String, Set<Role>> roles = new java.util.HashMap<>();
        long after = -1;
        while (true) {
            Query query = em.createNativeQuery(sql).setParameter("after", after).setParameter("from", from).setParameter("to", to).setMaxResults(PAGE);
            if (actor != null) {
                query.setParameter("actor", actor);
            }
            @SuppressWarnings("unchecked")
            List<Object[]> page = query.getResultList();
            for (Object[] r : page) {
                after = ((Number) r[0]).longValue();
                EventType type = EventType.valueOf((String) r[3]);
                Set<Role> actorRoles = roles.computeIfAbsent((String) r[8], ComplianceService::parseRoles);
                BatteryState before = r[10] == null ? null : Lifecycle.rule(EventType.valueOf(((String) r[10]).trim())).to().orElseThrow();
                if (type == EventType.TRANSFERRED && before == null) {
                    continue; // cannot happen for a logged chain: a transfer follows a genesis record
                }
                Optional<ReportingDeadline> deadline = ReportingDeadline.of(type, actorRoles, before);
                if (deadline.isEmpty()) {
                    continue;
                }
                Instant eventTime = TransactionJdbc.instant(r[5]);
                Instant acceptedAt = TransactionJdbc.instant(r[6]);
                LocalDate event = ChinaTime.date(eventTime);
                LocalDate accepted = ChinaTime.date(acceptedAt);
                int allowed = deadline.get().workingDays();
                WorkingDays days = calendar();
                LocalDate due = days.deadline(event, allowed);
                ComplianceDtos.LateReport report = new ComplianceDtos.LateReport((String) r[1], ((Number) r[2]).longValue(), type.name(), after, eventTime, acceptedAt,
                        days.between(event, accepted), allowed, due, deadline.get().article(), deadline.get().basis(),
                        days.covers(event, accepted.isAfter(due) ? accepted : due));
                sink.accept(new Checked(((String) r[4]).trim(), (String) r[7], ((String) r[9]).trim(), report));
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    private static Set<Role> parseRoles(String roles) {
        Set<Role> set = EnumSet.noneOf(Role.class);
        if (roles != null && !roles.isBlank()) {
            for (String role : roles.split(",")) {
                set.add(Role.valueOf(role.trim()));
            }
        }
        return set;
    }

}
