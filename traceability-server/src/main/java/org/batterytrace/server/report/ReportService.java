package org.batterytrace.server.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.compliance.NextRecord;
import org.batterytrace.compliance.WorkingDays;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.recycling.Metal;
import org.batterytrace.recycling.RecoveryRates;
import org.batterytrace.recycling.RecoveryTarget;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.access.RegionScope;
import org.batterytrace.server.compliance.ComplianceService;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.record.TransactionJdbc;

/**
 * Aggregates for regulators, computed in SQL over the battery heads and the log: battery stock (now or
 * at a past instant), record flows, cascade share, recovery per recycler and missing uploads. Months
 * and days are Beijing dates. Each report takes a {@link RegionScope} and applies it to one
 * organization's 6-digit region, named in each method's comment.
 */
@ApplicationScoped
public class ReportService {
    /** Cascade enterprises should cascade-use at least 60 % (by weight) of what they collect (2024 industry conditions, draft). */
    static final int CASCADE_SHARE_NORM_BP = 6_000;

    @Inject
    EntityManager em;
    @Inject
    RecordFacts facts;
    @Inject
    ComplianceService compliance;
    @Inject
    TraceConfig config;

    /** What a report can be grouped by; the names are the query values and the output columns. */
    public enum Dimension {
        PROVINCE("province"), CITY("city"), ENTERPRISE("enterprise"), CHEMISTRY("chemistry"), STATE("state"), MONTH("month"), TYPE("type"),
        SALE_PROVINCE("saleProvince"), SALE_CITY("saleCity");

        private final String column;

        Dimension(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        static List<Dimension> parse(String groupBy) {
            if (groupBy == null || groupBy.isBlank()) {
                throw new ProblemException(ProblemKind.BAD_GROUP_BY, "groupBy lists one or more of " + names(List.of(values())) + ", e.g. groupBy=city,chemistry");
            }
            List<Dimension> dims = new ArrayList<>();
            for (String name : groupBy.split(",")) {
                String n = name.trim().replace("_", "");
                Dimension d = Stream.of(values()).filter(v -> v.column.equalsIgnoreCase(n)).findFirst()
                        .orElseThrow(() -> new ProblemException(ProblemKind.BAD_GROUP_BY, "unknown groupBy " + name.trim() + "; use " + names(List.of(values()))));
                if (dims.contains(d)) {
                    throw new ProblemException(ProblemKind.BAD_GROUP_BY, "groupBy lists " + name.trim() + " twice");
                }
                dims.add(d);
            }
            return dims;
        }

        static String names(java.util.Collection<Dimension> dims) {
            return dims.stream().map(Dimension::column).collect(Collectors.joining(", "));
        }
    }

    /**
     * Battery stock grouped by the custodian's province, city or id, chemistry, state, production month or
     * the region where the vehicle was sold. {@code asOf} null: now, from the battery heads; otherwise as the
     * chains stood at that instant (records whose event time is at or before it). Scope: the custodian's region.
     */
    public Table batteries(String groupBy, Instant asOf, RegionScope scope) {
        List<Dimension> dims = Dimension.parse(groupBy);
        facts.catchUp();
        Map<Dimension, String> sql = dimensions(asOf == null ? "b.custodian" : ChainSql.custodianAfter("l", "t"), ChainSql.monthOfDate("b.production_date"));
        sql.put(Dimension.STATE, asOf == null ? "b.state" : ChainSql.stateAfter("m.type"));
        Map<String, Object> params = new LinkedHashMap<>();
        String from;
        if (asOf == null) {
            from = "battery b JOIN organization o ON o.id = b.custodian LEFT JOIN record_fact s ON s.subject = b.code AND s.type = 'SOLD'";
        } else {
            from = ChainSql.BATTERIES_AT + " LEFT JOIN record_fact s ON s.subject = b.code AND s.type = 'SOLD' AND s.record_time <= :asOf";
            params.put("asOf", asOf);
        }
        return grouped(dims, sql, from, scope.sql("o.region"), List.of("batteries", "massGrams"), "COUNT(*), COALESCE(SUM(b.mass_g), 0)", params);
    }

    /**
     * Records (flows) grouped by the recording enterprise's province, city or id, record type, chemistry,
     * month (of the window's time, Beijing) or the region where the battery's vehicle was sold; records
     * whose event time ({@code basis} EVENT) or upload time (UPLOAD) is in [from, to). Scope: the recording
     * enterprise's region.
     */
    public Table events(String groupBy, EventType type, Instant from, Instant to, TimeRange.Basis basis, RegionScope scope) {
        List<Dimension> dims = Dimension.parse(groupBy);
        facts.catchUp();
        String time = "e." + basis.column();
        Map<Dimension, String> sql = dimensions("e.actor", ChainSql.month(time));
        sql.put(Dimension.TYPE, "e.type");
        String types = (type != null ? List.of(type.name()) : EventType.names()).stream().map(t -> "'" + t + "'").collect(Collectors.joining(","));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", from);
        params.put("to", to);
        return grouped(dims, sql, "log_entry e JOIN organization o ON o.id = e.actor LEFT JOIN battery b ON b.code = e.subject"
                        + " LEFT JOIN record_fact s ON s.subject = e.subject AND s.type = 'SOLD'",
                "e.type IN (" + types + ") AND " + time + " >= :from AND " + time + " < :to AND " + scope.sql("o.region"), List.of("records"), "COUNT(*)", params);
    }

    /** Region of organization {@code o}, the enterprise column, chemistry of battery {@code b}, month, and the sale region of SOLD fact {@code s}. */
    private static Map<Dimension, String> dimensions(String enterpriseColumn, String monthSql) {
        Map<Dimension, String> sql = new EnumMap<>(Dimension.class);
        sql.put(Dimension.PROVINCE, "SUBSTRING(o.region, 1, 2)");
        sql.put(Dimension.CITY, "SUBSTRING(o.region, 1, 4)");
        sql.put(Dimension.ENTERPRISE, enterpriseColumn);
        sql.put(Dimension.CHEMISTRY, "b.chemistry");
        sql.put(Dimension.MONTH, monthSql);
        sql.put(Dimension.SALE_PROVINCE, "SUBSTRING(s.sale_region, 1, 2)");
        sql.put(Dimension.SALE_CITY, "SUBSTRING(s.sale_region, 1, 4)");
        return sql;
    }

    private Table grouped(List<Dimension> dims, Map<Dimension, String> sql, String from, String where, List<String> measures, String measureSql,
            Map<String, Object> params) {
        List<String> exprs = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (Dimension d : dims) {
            String expr = sql.get(d);
            if (expr == null) {
                throw new ProblemException(ProblemKind.BAD_GROUP_BY, "this report cannot be grouped by " + d.column() + "; use " + Dimension.names(sql.keySet()));
            }
            exprs.add(expr);
            columns.add(d.column());
            if (d == Dimension.PROVINCE || d == Dimension.SALE_PROVINCE) {
                columns.add(d.column() + "Name");
            }
            if (d == Dimension.CHEMISTRY) {
                columns.add("chemistryName");
            }
        }
        columns.addAll(measures);
        String group = String.join(", ", exprs);
        Query query = em.createNativeQuery("SELECT " + group + ", " + measureSql + " FROM " + from + " WHERE " + where + " GROUP BY " + group + " ORDER BY " + group);
        params.forEach(query::setParameter);
        Table table = new Table(columns);
        for (Object result : query.getResultList()) {
            Object[] r = result instanceof Object[] a ? a : new Object[] {result};
            List<Object> row = new ArrayList<>();
            for (int i = 0; i < dims.size(); i++) {
                String v = r[i] == null ? null : String.valueOf(r[i]).trim();
                switch (dims.get(i)) {
                    case PROVINCE, SALE_PROVINCE -> {
                        row.add(v == null ? null : v + "0000");
                        row.add(v == null ? null : Regions.provinceName(v));
                    }
                    case CITY, SALE_CITY -> row.add(v == null ? null : v + "00");
                    case MONTH -> {
                        int month = ((Number) r[i]).intValue();
                        row.add(String.format(Locale.ROOT, "%04d-%02d", month / 100, month % 100));
                    }
                    case CHEMISTRY -> {
                        row.add(v);
                        row.add(v == null ? null : Chemistry.fromCode(v.charAt(0)).description());
                    }
                    default -> row.add(v);
                }
            }
            for (int i = dims.size(); i < r.length; i++) {
                row.add(((Number) r[i]).longValue());
            }
            table.add(row);
        }
        return table;
    }

    /**
     * Waste batteries a cascade enterprise received — recorded COLLECTED or SEPARATED itself, or accepted
     * by transfer after the battery was retired — with the first receipt in [from, to) (null: all time);
     * cascade products it made are not counted. Shown per enterprise, with how many of those it REPURPOSED
     * (at any time up to now), by count and by declared mass. Every repurposed battery was received, so a
     * share never exceeds 100 %. The verdict against the 60 % norm is by mass when every received battery
     * declared its mass, otherwise by count ({@code judgedBy}). A last row covers all cascade enterprises
     * in scope, each battery once. Scope: the cascade enterprise's region.
     */
    public Table cascadeShare(Instant from, Instant to, RegionScope scope) {
        facts.catchUp();
        String cascade = "SELECT id FROM organization WHERE roles LIKE '%CASCADE_ENTERPRISE%' AND " + scope.sql("region");
        String received = "SELECT u.enterprise, u.subject, MIN(u.t) AS received_at FROM ("
                + "SELECT e.actor AS enterprise, e.subject, e.record_time AS t FROM log_entry e WHERE e.type IN ('COLLECTED', 'SEPARATED') AND e.actor IN (" + cascade + ")"
                + " UNION ALL SELECT f.receiver, f.subject, f.record_time FROM record_fact f WHERE f.type = 'TRANSFERRED' AND f.receiver IN (" + cascade + ")"
                + " AND EXISTS (SELECT 1 FROM log_entry w WHERE w.subject = f.subject AND w.seq < f.seq AND w.type IN ('RETIRED', 'REPLACED', 'SEPARATED'))"
                + ") u GROUP BY u.enterprise, u.subject";
        String window = (from == null ? "" : " AND r.received_at >= :from") + (to == null ? "" : " AND r.received_at < :to");
        String measures = "COUNT(*), COUNT(b.mass_g), COALESCE(SUM(b.mass_g), 0), COUNT(p.subject), COALESCE(SUM(CASE WHEN p.subject IS NULL THEN 0 ELSE b.mass_g END), 0)";
        Query perEnterprise = em.createNativeQuery("SELECT r.enterprise, o.name, " + measures + " FROM (" + received + ") r JOIN organization o ON o.id = r.enterprise"
                + " JOIN battery b ON b.code = r.subject AND b.cascade_product = FALSE"
                + " LEFT JOIN log_entry p ON p.subject = r.subject AND p.type = 'REPURPOSED' AND p.actor = r.enterprise"
                + " WHERE 1 = 1" + window + " GROUP BY r.enterprise, o.name ORDER BY r.enterprise");
        Query all = em.createNativeQuery("SELECT " + measures + " FROM (SELECT r.subject, MIN(r.received_at) AS received_at FROM (" + received + ") r GROUP BY r.subject) r"
                + " JOIN battery b ON b.code = r.subject AND b.cascade_product = FALSE"
                + " LEFT JOIN log_entry p ON p.subject = r.subject AND p.type = 'REPURPOSED' AND p.actor IN (" + cascade + ")"
                + " WHERE 1 = 1" + window);
        for (Query q : List.of(perEnterprise, all)) {
            if (from != null) {
                q.setParameter("from", from);
            }
            if (to != null) {
                q.setParameter("to", to);
            }
        }
        Table table = new Table(List.of("enterprise", "name", "received", "repurposed", "shareByCount", "receivedMassGrams", "repurposedMassGrams",
                "receivedWithoutMass", "shareByMass", "judgedBy", "meetsSixtyPercentNorm"));
        for (Object row : perEnterprise.getResultList()) {
            Object[] r = (Object[]) row;
            table.add(shareRow(((String) r[0]).trim(), (String) r[1], r, 2));
        }
        Object[] total = (Object[]) all.getSingleResult();
        table.add(shareRow("ALL", "all cascade enterprises", total, 0));
        return table;
    }

    private static List<Object> shareRow(String enterprise, String name, Object[] r, int at) {
        long received = ((Number) r[at]).longValue();
        long withMass = ((Number) r[at + 1]).longValue();
        long receivedMass = ((Number) r[at + 2]).longValue();
        long repurposed = ((Number) r[at + 3]).longValue();
        long repurposedMass = ((Number) r[at + 4]).longValue();
        Long byCount = received == 0 ? null : repurposed * 10_000 / received;
        Long byMass = receivedMass == 0 ? null : repurposedMass * 10_000 / receivedMass;
        boolean massJudged = received > 0 && withMass == received && byMass != null;
        Long judged = massJudged ? byMass : byCount;
        List<Object> row = new ArrayList<>(List.of(enterprise, name, received, repurposed));
        row.add(byCount == null ? null : RecoveryRates.percent(byCount.intValue()));
        row.add(receivedMass);
        row.add(repurposedMass);
        row.add(received - withMass);
        row.add(byMass == null ? null : RecoveryRates.percent(byMass.intValue()));
        row.add(judged == null ? null : massJudged ? "mass" : "count");
        row.add(judged == null ? null : judged >= CASCADE_SHARE_NORM_BP);
        return row;
    }

    /**
     * Per recycler: lots closed in [from, to) (null: all time) that consumed at least one battery, their
     * input, recovery rate per metal over their summed assays, and each target; lots closed without
     * inputs are counted apart and left out of the rates. Scope: the recycler's region.
     */
    public Table recovery(Instant from, Instant to, RegionScope scope) {
        String lots = "l.state = 'LOT_CLOSED'" + (from == null ? "" : " AND l.updated_at >= :from") + (to == null ? "" : " AND l.updated_at < :to")
                + " AND " + scope.sql("o.region");
        String hasInputs = "EXISTS (SELECT 1 FROM lot_input x WHERE x.lot_id = l.id)";
        Query closed = window(em.createNativeQuery("SELECT l.recycler, o.name, SUM(CASE WHEN " + hasInputs + " THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN " + hasInputs + " THEN 0 ELSE 1 END) FROM recycling_lot l JOIN organization o ON o.id = l.recycler WHERE " + lots
                + " GROUP BY l.recycler, o.name ORDER BY l.recycler"), from, to);
        Query inputRows = window(em.createNativeQuery("SELECT l.recycler, COUNT(*), COALESCE(SUM(i.mass_g), 0) FROM lot_input i JOIN recycling_lot l ON l.id = i.lot_id"
                + " JOIN organization o ON o.id = l.recycler WHERE " + lots + " GROUP BY l.recycler"), from, to);
        Query metalRows = window(em.createNativeQuery("SELECT l.recycler, m.metal, SUM(m.contained_g), SUM(m.recovered_g) FROM lot_metal m JOIN recycling_lot l ON l.id = m.lot_id"
                + " JOIN organization o ON o.id = l.recycler WHERE " + lots + " AND " + hasInputs + " GROUP BY l.recycler, m.metal"), from, to);
        List<String> columns = new ArrayList<>(List.of("recycler", "name", "closedLots", "emptyLots", "inputBatteries", "inputMassGrams"));
        Stream.of(Metal.values()).forEach(m -> columns.add(m.symbol()));
        Stream.of(RecoveryTarget.values()).forEach(t -> columns.add(t.name()));
        Table table = new Table(columns);
        Map<String, Object[]> inputs = new java.util.HashMap<>();
        for (Object r : inputRows.getResultList()) {
            inputs.put(((String) ((Object[]) r)[0]).trim(), (Object[]) r);
        }
        Map<String, Map<Metal, Long>> contained = new java.util.HashMap<>();
        Map<String, Map<Metal, Long>> recovered = new java.util.HashMap<>();
        for (Object row : metalRows.getResultList()) {
            Object[] r = (Object[]) row;
            String recycler = ((String) r[0]).trim();
            Metal metal = Metal.fromSymbol(((String) r[1]).trim()).orElseThrow();
            contained.computeIfAbsent(recycler, k -> new EnumMap<>(Metal.class)).put(metal, ((Number) r[2]).longValue());
            recovered.computeIfAbsent(recycler, k -> new EnumMap<>(Metal.class)).put(metal, ((Number) r[3]).longValue());
        }
        for (Object row : closed.getResultList()) {
            Object[] lot = (Object[]) row;
            String recycler = ((String) lot[0]).trim();
            Object[] input = inputs.getOrDefault(recycler, new Object[] {recycler, 0L, 0L});
            RecoveryRates rates = RecoveryRates.of(contained.getOrDefault(recycler, Map.of()), recovered.getOrDefault(recycler, Map.of()));
            long withInputs = ((Number) lot[2]).longValue();
            List<Object> out = new ArrayList<>(List.of(recycler, lot[1], withInputs, ((Number) lot[3]).longValue(), ((Number) input[1]).longValue(),
                    ((Number) input[2]).longValue()));
            for (Metal m : Metal.values()) {
                Integer bp = rates.basisPoints().get(m);
                out.add(bp == null ? null : RecoveryRates.percent(bp));
            }
            for (RecoveryTarget t : RecoveryTarget.values()) {
                List<RecoveryRates.Shortfall> shortfalls = rates.shortfalls(t);
                out.add(withInputs == 0 ? null : shortfalls.isEmpty() ? "met" : "short: " + shortfalls.stream().map(s -> s.metal().symbol()).collect(Collectors.joining(" ")));
            }
            table.add(out);
        }
        return table;
    }

    private static Query window(Query query, Instant from, Instant to) {
        if (from != null) {
            query.setParameter("from", from);
        }
        if (to != null) {
            query.setParameter("to", to);
        }
        return query;
    }

    /** One battery whose next record is overdue. */
    public record Overdue(String battery, String custodian, String name, String region, BatteryState state, NextRecord next, Instant since, LocalDate sinceDay,
            long workingDays, int allowedWorkingDays) {
    }

    /**
     * Waste batteries that, at {@code asOf}, had been in their state (retired, collected, tested,
     * dismantled) for more working days than the configured allowance without the record that would move
     * them on ({@link NextRecord}). Days are Beijing dates; the chains are read as they stood at
     * {@code asOf}. Scope: the region of the custodian at that instant.
     */
    public List<Overdue> overdue(Instant asOf, RegionScope scope) {
        facts.catchUp();
        Map<BatteryState, Integer> allowances = allowances();
        WorkingDays calendar = compliance.calendar();
        LocalDate asOfDay = ChinaTime.date(asOf);
        // Working days never outnumber calendar days: only batteries in their state longer than the allowance in days can be overdue.
        StringBuilder candidates = new StringBuilder();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("asOf", asOf);
        for (Map.Entry<BatteryState, Integer> a : allowances.entrySet()) {
            candidates.append(candidates.length() == 0 ? "" : " OR ").append("(").append(ChainSql.stateAfter("m.type")).append(" = '").append(a.getKey())
                    .append("' AND m.record_time < :before").append(a.getKey().ordinal()).append(')');
            params.put("before" + a.getKey().ordinal(), ChinaTime.startOf(asOfDay.minusDays(a.getValue())));
        }
        Query query = em.createNativeQuery("SELECT b.code, o.id, o.name, o.region, " + ChainSql.stateAfter("m.type") + ", m.record_time FROM " + ChainSql.BATTERIES_AT
                + " WHERE (" + candidates + ") AND " + scope.sql("o.region") + " ORDER BY o.id, m.record_time, b.code");
        params.forEach(query::setParameter);
        List<Overdue> overdue = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] r = (Object[]) row;
            BatteryState state = BatteryState.valueOf(((String) r[4]).trim());
            Instant since = TransactionJdbc.instant(r[5]);
            LocalDate sinceDay = ChinaTime.date(since);
            int allowed = allowances.get(state);
            long days = calendar.between(sinceDay, asOfDay);
            if (days > allowed) {
                overdue.add(new Overdue(((String) r[0]).trim(), ((String) r[1]).trim(), (String) r[2], ((String) r[3]).trim(), state,
                        NextRecord.after(state).orElseThrow(), since, sinceDay, days, allowed));
            }
        }
        return overdue;
    }

    /** Working days each waste state may last, from the configuration. */
    public Map<BatteryState, Integer> allowances() {
        Map<BatteryState, Integer> allowances = new EnumMap<>(BatteryState.class);
        TraceConfig.Overdue o = config.compliance().overdue();
        allowances.put(BatteryState.RETIRED, o.retired());
        allowances.put(BatteryState.COLLECTED, o.collected());
        allowances.put(BatteryState.TESTED, o.tested());
        allowances.put(BatteryState.DISMANTLED, o.dismantled());
        return allowances;
    }

    /**
     * Missing uploads as a table: one row per battery ({@code detail}), or counts per custodian, its city
     * and the state the batteries are stuck in, with the oldest day.
     */
    public Table missingUploads(Instant asOf, RegionScope scope, boolean detail) {
        List<Overdue> overdue = overdue(asOf, scope);
        if (detail) {
            Table table = new Table(List.of("battery", "enterprise", "name", "city", "state", "expected", "since", "workingDays", "allowedWorkingDays"));
            overdue.forEach(o -> table.add(new ArrayList<>(List.of(o.battery(), o.custodian(), o.name(), o.region().substring(0, 4) + "00", o.state().name(),
                    expected(o.next()), o.sinceDay().toString(), o.workingDays(), (long) o.allowedWorkingDays()))));
            return table;
        }
        Map<List<String>, long[]> counts = new TreeMap<>((a, b) -> String.join("\t", a).compareTo(String.join("\t", b)));
        Map<List<String>, LocalDate> oldest = new java.util.HashMap<>();
        for (Overdue o : overdue) {
            List<String> key = List.of(o.custodian(), o.name(), o.region().substring(0, 4) + "00", o.state().name(), expected(o.next()), String.valueOf(o.allowedWorkingDays()));
            counts.computeIfAbsent(key, k -> new long[1])[0]++;
            oldest.merge(key, o.sinceDay(), (x, y) -> x.isBefore(y) ? x : y);
        }
        Table table = new Table(List.of("enterprise", "name", "city", "state", "expected", "allowedWorkingDays", "overdue", "oldestSince"));
        counts.forEach((k, c) -> table.add(new ArrayList<>(List.of(k.get(0), k.get(1), k.get(2), k.get(3), k.get(4), Long.parseLong(k.get(5)), c[0],
                oldest.get(k).toString()))));
        return table;
    }

    private static String expected(NextRecord next) {
        return next.expected().stream().map(Enum::name).collect(Collectors.joining(" or "));
    }

}
