package org.batterytrace.server.compliance;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.batterytrace.compliance.ReportingDeadline;
import org.batterytrace.compliance.WorkingDays;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.recycling.RecoveryRates;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.organization.OrganizationService;

/**
 * Reporting timeliness: each record's event time against the time the platform accepted it, in
 * working days of the configured calendar (China Standard Time dates), against the 2018 deadlines.
 */
@ApplicationScoped
public class ComplianceService {
    /** Deadlines are counted in calendar dates in China, whatever the server's zone. */
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @Inject
    TraceConfig config;
    @Inject
    EntityManager em;
    @Inject
    OrganizationService organizations;

    private WorkingDays calendar;

    WorkingDays calendar() {
        if (calendar == null) {
            calendar = WorkingDays.of(config.compliance().holidays().orElse(List.of()), config.compliance().workedWeekendDays().orElse(List.of()));
        }
        return calendar;
    }

    /** The late records of one enterprise accepted in [from, to), oldest first, at most {@code limit} listed. */
    public ComplianceDtos.LateReports lateReports(String actor, Instant from, Instant to, int limit) {
        OrganizationEntity org = organizations.require(actor);
        Set<Role> roles = org.roleSet();
        long checked = 0;
        long lateCount = 0;
        List<ComplianceDtos.LateReport> late = new ArrayList<>();
        long after = -1;
        for (List<LogEntryEntity> page; !(page = page(actor, from, to, after)).isEmpty(); after = page.get(page.size() - 1).idx) {
            for (LogEntryEntity e : page) {
                Optional<ComplianceDtos.LateReport> result = check(e, roles);
                if (result.isEmpty()) {
                    continue;
                }
                checked++;
                if (result.get().workingDays() > result.get().allowedWorkingDays()) {
                    lateCount++;
                    if (late.size() < limit) {
                        late.add(result.get());
                    }
                }
            }
        }
        return new ComplianceDtos.LateReports(actor, org.name, from, to, checked, lateCount, late);
    }

    /** Every enterprise that recorded anything in [from, to): how many of its records were late. */
    public List<ComplianceDtos.EnterpriseTimeliness> overview(Instant from, Instant to) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, OrganizationEntity> orgs = new HashMap<>();
        long after = -1;
        for (List<LogEntryEntity> page; !(page = page(null, from, to, after)).isEmpty(); after = page.get(page.size() - 1).idx) {
            for (LogEntryEntity e : page) {
                OrganizationEntity org = orgs.computeIfAbsent(e.actor, id -> OrganizationEntity.findById(id));
                if (org == null) {
                    continue;
                }
                check(e, org.roleSet()).ifPresent(result -> {
                    long[] c = counts.computeIfAbsent(e.actor, a -> new long[2]);
                    c[0]++;
                    if (result.workingDays() > result.allowedWorkingDays()) {
                        c[1]++;
                    }
                });
            }
        }
        List<ComplianceDtos.EnterpriseTimeliness> rows = new ArrayList<>();
        counts.forEach((actor, c) -> rows.add(new ComplianceDtos.EnterpriseTimeliness(actor, orgs.get(actor).name, c[0], c[1],
                RecoveryRates.percent((int) (c[1] * 10_000 / c[0])))));
        return rows;
    }

    /** The next entries after log index {@code after}, by one actor (or all when null), accepted in [from, to). */
    private static List<LogEntryEntity> page(String actor, Instant from, Instant to, long after) {
        String query = "idx > ?1 and acceptedAt >= ?2 and acceptedAt < ?3 and type in ?4" + (actor == null ? "" : " and actor = ?5") + " order by idx";
        Object[] params = actor == null ? new Object[] {after, from, to, EventType.names()} : new Object[] {after, from, to, EventType.names(), actor};
        return LogEntryEntity.<LogEntryEntity>find(query, params).page(0, PAGE).list();
    }

    private static final int PAGE = 5_000;

    private Optional<ComplianceDtos.LateReport> check(LogEntryEntity e, Set<Role> roles) {
        Optional<ReportingDeadline> deadline = ReportingDeadline.of(EventType.valueOf(e.type), roles);
        if (deadline.isEmpty() || e.acceptedAt == null) {
            return Optional.empty();
        }
        LocalDate event = e.recordTime.atZone(CHINA).toLocalDate();
        LocalDate accepted = e.acceptedAt.atZone(CHINA).toLocalDate();
        int allowed = deadline.get().workingDays();
        return Optional.of(new ComplianceDtos.LateReport(e.subject, e.seq, e.type, e.idx, e.recordTime, e.acceptedAt, calendar().between(event, accepted), allowed,
                calendar().deadline(event, allowed), deadline.get().basis()));
    }
}
