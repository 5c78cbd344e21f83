package org.batterytrace.server.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.recycling.Metal;
import org.batterytrace.recycling.RecoveryRates;
import org.batterytrace.recycling.RecoveryTarget;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.recycling.LotService;

/**
 * Aggregates for regulators, computed in SQL: battery stock, record flows, cascade share and recovery
 * rates. Regions are those of the custodian (stock) or the recording enterprise (flows).
 */
@ApplicationScoped
public class ReportService {
    /** Cascade enterprises should cascade-use at least 60 % (by weight) of what they collect (2024 industry conditions, draft). */
    static final int CASCADE_SHARE_NORM_BP = 6_000;

    @Inject
    EntityManager em;
    @Inject
    LotService lots;

    public enum Dimension {
        PROVINCE, CITY, ENTERPRISE, CHEMISTRY, STATE, MONTH, TYPE;

        static List<Dimension> parse(String groupBy) {
            if (groupBy == null || groupBy.isBlank()) {
                throw ProblemException.badRequest("bad-group-by", "groupBy lists one or more of " + names() + ", e.g. groupBy=city,chemistry");
            }
            List<Dimension> dims = new ArrayList<>();
            for (String name : groupBy.split(",")) {
                Dimension d = Stream.of(values()).filter(v -> v.name().equalsIgnoreCase(name.trim())).findFirst()
                        .orElseThrow(() -> ProblemException.badRequest("bad-group-by", "unknown groupBy " + name.trim() + "; use " + names()));
                if (dims.contains(d)) {
                    throw ProblemException.badRequest("bad-group-by", "groupBy lists " + name.trim() + " twice");
                }
                dims.add(d);
            }
            return dims;
        }

        static String names() {
            return Stream.of(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        }
    }

    /** Current battery stock grouped by the custodian's region or name, chemistry, state or production month. */
    public Table batteries(String groupBy) {
        List<Dimension> dims = Dimension.parse(groupBy);
        Map<Dimension, String> sql = dimensions("b.custodian", "b.production_date");
        sql.put(Dimension.STATE, "b.state");
        return grouped(dims, sql, "battery b JOIN organization o ON o.id = b.custodian", "1 = 1", List.of("batteries", "massGrams"),
                "COUNT(*), COALESCE(SUM(b.mass_g), 0)", Map.of());
    }

    /** Records (flows) grouped by the recording enterprise's region or name, event type, month of the event, chemistry. */
    public Table events(String groupBy, EventType type, Instant from, Instant to) {
        List<Dimension> dims = Dimension.parse(groupBy);
        Map<Dimension, String> sql = dimensions("e.actor", "e.record_time");
        sql.put(Dimension.TYPE, "e.type");
        String types = (type != null ? List.of(type.name()) : EventType.names()).stream().map(t -> "'" + t + "'").collect(Collectors.joining(","));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", from);
        params.put("to", to);
        return grouped(dims, sql, "log_entry e JOIN organization o ON o.id = e.actor LEFT JOIN battery b ON b.code = e.subject",
                "e.type IN (" + types + ") AND e.record_time >= :from AND e.record_time < :to", List.of("records"), "COUNT(*)", params);
    }

    /** Region of organization {@code o}, the enterprise column, chemistry of battery {@code b}, and the month of {@code timeColumn}. */
    private static Map<Dimension, String> dimensions(String enterpriseColumn, String timeColumn) {
        Map<Dimension, String> sql = new EnumMap<>(Dimension.class);
        sql.put(Dimension.PROVINCE, "SUBSTRING(o.region, 1, 2)");
        sql.put(Dimension.CITY, "SUBSTRING(o.region, 1, 4)");
        sql.put(Dimension.ENTERPRISE, enterpriseColumn);
        sql.put(Dimension.CHEMISTRY, "b.chemistry");
        sql.put(Dimension.MONTH, "EXTRACT(YEAR FROM " + timeColumn + ") * 100 + EXTRACT(MONTH FROM " + timeColumn + ")");
        return sql;
    }

    private Table grouped(List<Dimension> dims, Map<Dimension, String> sql, String from, String where, List<String> measures, String measureSql,
            Map<String, Object> params) {
        List<String> exprs = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (Dimension d : dims) {
            String expr = sql.get(d);
            if (expr == null) {
                throw ProblemException.badRequest("bad-group-by", "this report cannot be grouped by " + d.name().toLowerCase(Locale.ROOT) + "; use "
                        + sql.keySet().stream().map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
            }
            exprs.add(expr);
            columns.add(d.name().toLowerCase(Locale.ROOT));
            if (d == Dimension.PROVINCE) {
                columns.add("provinceName");
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
                Object v = r[i];
                switch (dims.get(i)) {
                    case PROVINCE -> {
                        row.add(v + "0000");
                        row.add(Regions.provinceName(String.valueOf(v)));
                    }
                    case CITY -> row.add(v + "00");
                    case MONTH -> {
                        int month = ((Number) v).intValue();
                        row.add(String.format(Locale.ROOT, "%04d-%02d", month / 100, month % 100));
                    }
                    case CHEMISTRY -> {
                        String letter = v == null ? null : String.valueOf(v).trim();
                        row.add(letter);
                        row.add(letter == null ? null : Chemistry.fromCode(letter.charAt(0)).description());
                    }
                    default -> row.add(v == null ? null : String.valueOf(v).trim());
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
     * Per cascade enterprise: batteries it collected and those it repurposed, by count and declared mass,
     * against the 60 % norm. A last row sums the platform.
     */
    public Table cascadeShare() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT e.actor, o.name, e.type, COUNT(DISTINCT e.subject), COALESCE(SUM(b.mass_g), 0) FROM log_entry e"
                + " JOIN organization o ON o.id = e.actor LEFT JOIN battery b ON b.code = e.subject"
                + " WHERE e.type IN ('COLLECTED', 'REPURPOSED') AND o.roles LIKE '%CASCADE_ENTERPRISE%' GROUP BY e.actor, o.name, e.type ORDER BY e.actor").getResultList();
        Map<String, long[]> byEnterprise = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        long[] total = new long[4];
        for (Object[] r : rows) {
            String actor = ((String) r[0]).trim();
            names.put(actor, (String) r[1]);
            long[] c = byEnterprise.computeIfAbsent(actor, a -> new long[4]);
            int at = "COLLECTED".equals(r[2]) ? 0 : 2;
            c[at] += ((Number) r[3]).longValue();
            c[at + 1] += ((Number) r[4]).longValue();
            total[at] += ((Number) r[3]).longValue();
            total[at + 1] += ((Number) r[4]).longValue();
        }
        Table table = new Table(List.of("enterprise", "name", "collected", "repurposed", "shareByCount", "collectedMassGrams", "repurposedMassGrams", "shareByMass",
                "meetsSixtyPercentNorm"));
        byEnterprise.forEach((actor, c) -> table.add(shareRow(actor, names.get(actor), c)));
        table.add(shareRow("ALL", "all cascade enterprises", total));
        return table;
    }

    private static List<Object> shareRow(String actor, String name, long[] c) {
        Long byCount = c[0] == 0 ? null : c[2] * 10_000 / c[0];
        Long byMass = c[1] == 0 ? null : c[3] * 10_000 / c[1];
        Long judged = byMass != null ? byMass : byCount;
        List<Object> row = new ArrayList<>(List.of(actor, name, c[0], c[2]));
        row.add(byCount == null ? null : RecoveryRates.percent(byCount.intValue()));
        row.add(c[1]);
        row.add(c[3]);
        row.add(byMass == null ? null : RecoveryRates.percent(byMass.intValue()));
        row.add(judged == null ? null : judged >= CASCADE_SHARE_NORM_BP);
        return row;
    }

    /** Per recycler: closed lots, their input, summed recovery rates per metal and whether each target is met. */
    public Table recovery() {
        @SuppressWarnings("unchecked")
        List<Object[]> closed = em.createNativeQuery("SELECT l.recycler, o.name, COUNT(DISTINCT l.id) FROM recycling_lot l JOIN organization o ON o.id = l.recycler"
                + " WHERE l.state = 'LOT_CLOSED' GROUP BY l.recycler, o.name ORDER BY l.recycler").getResultList();
        List<String> columns = new ArrayList<>(List.of("recycler", "name", "closedLots", "inputBatteries", "inputMassGrams"));
        Stream.of(Metal.values()).forEach(m -> columns.add(m.symbol()));
        Stream.of(RecoveryTarget.values()).forEach(t -> columns.add(t.name()));
        Table table = new Table(columns);
        @SuppressWarnings("unchecked")
        List<Object[]> inputRows = em.createNativeQuery("SELECT l.recycler, COUNT(*), COALESCE(SUM(i.mass_g), 0) FROM lot_input i JOIN recycling_lot l ON l.id = i.lot_id"
                + " WHERE l.state = 'LOT_CLOSED' GROUP BY l.recycler").getResultList();
        Map<String, Object[]> inputs = new java.util.HashMap<>();
        inputRows.forEach(r -> inputs.put(((String) r[0]).trim(), r));
        Map<String, RecoveryRates> ratesByRecycler = lots.ratesByRecycler();
        for (Object[] lot : closed) {
            String recycler = ((String) lot[0]).trim();
            Object[] input = inputs.getOrDefault(recycler, new Object[] {recycler, 0L, 0L});
            RecoveryRates rates = ratesByRecycler.getOrDefault(recycler, RecoveryRates.of(Map.of(), Map.of()));
            List<Object> row = new ArrayList<>(List.of(recycler, lot[1], ((Number) lot[2]).longValue(), ((Number) input[1]).longValue(), ((Number) input[2]).longValue()));
            for (Metal m : Metal.values()) {
                Integer bp = rates.basisPoints().get(m);
                row.add(bp == null ? null : RecoveryRates.percent(bp));
            }
            for (RecoveryTarget t : RecoveryTarget.values()) {
                List<RecoveryRates.Shortfall> shortfalls = rates.shortfalls(t);
                row.add(shortfalls.isEmpty() ? "met" : "short: " + shortfalls.stream().map(s -> s.metal().symbol()).collect(Collectors.joining(" ")));
            }
            table.add(row);
        }
        return table;
    }
}
