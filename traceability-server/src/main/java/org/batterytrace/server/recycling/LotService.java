package org.batterytrace.server.recycling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.recycling.LotId;
import org.batterytrace.recycling.MassBalance;
import org.batterytrace.recycling.Metal;
import org.batterytrace.recycling.RecoveryRates;
import org.batterytrace.recycling.RecoveryTarget;
import org.batterytrace.server.access.RegionScope;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.record.TransactionJdbc;
import org.batterytrace.server.report.Table;

@ApplicationScoped
public class LotService {
    @Inject
    EntityManager em;

    public LotEntity require(String id) {
        LotId.parse(id);
        LotEntity lot = LotEntity.findById(id);
        if (lot == null) {
            throw new ProblemException(ProblemKind.LOT_NOT_FOUND, "no recycling lot " + id);
        }
        return lot;
    }

    public LotDtos.Lot view(String id) {
        LotEntity lot = require(id);
        Object[] totals = (Object[]) em.createNativeQuery("SELECT COUNT(*), COALESCE(SUM(mass_g), 0) FROM lot_input WHERE lot_id = ?1").setParameter(1, id).getSingleResult();
        List<LotDtos.MetalRecovery> recovery = new ArrayList<>();
        List<LotDtos.TargetCheck> targets = new ArrayList<>();
        RecoveryRates rates = rates(id);
        // A lot closed without inputs (possible before the platform refused it) has an assay but no verdict to give.
        if (lot.state == BatteryState.LOT_CLOSED && ((Number) totals[0]).longValue() > 0) {
            rates.contained().forEach((metal, in) -> {
                Integer bp = rates.basisPoints().get(metal);
                recovery.add(new LotDtos.MetalRecovery(metal.symbol(), in, rates.recovered().getOrDefault(metal, 0L), bp == null ? null : RecoveryRates.percent(bp)));
            });
            targets.addAll(checks(rates));
        }
        MassBalance balance = MassBalance.check(inputsByLot(List.of(id)).getOrDefault(id, List.of()), rates.contained());
        return new LotDtos.Lot(lot.id, lot.recycler, lot.process, lot.state.name(), lot.headSeq, lot.openedAt, lot.updatedAt, ((Number) totals[0]).intValue(),
                ((Number) totals[1]).longValue(), recovery, targets, dto(balance, rates.contained()));
    }

    /** Lot filters; null fields do not filter. {@code from}/{@code to}: when the lot was opened, [from, to). */
    public record Filter(String recycler, BatteryState state, String process, Instant from, Instant to, RegionScope scope, boolean flagged) {
    }

    private record Row(String id, String recycler, String name, String region, String process, BatteryState state, Instant openedAt, Instant updatedAt) {
    }

    /**
     * Lots matching {@code filter}, oldest first, each with its input and mass-balance verdict. Scope:
     * the recycler's region. {@code page} counts from 0.
     */
    public LotDtos.LotPage list(Filter filter, int page, int size) {
        List<Row> rows = rows(filter);
        Map<String, MassBalance> balances = balances(rows);
        Map<String, long[]> totals = totals(rows);
        List<LotDtos.LotSummary> all = new ArrayList<>();
        for (Row r : rows) {
            MassBalance balance = balances.get(r.id());
            if (filter.flagged() && balance.plausible()) {
                continue;
            }
            long[] t = totals.getOrDefault(r.id(), new long[2]);
            all.add(new LotDtos.LotSummary(r.id(), r.recycler(), r.name(), r.region(), r.process(), r.state().name(), r.openedAt(),
                    r.state() == BatteryState.LOT_CLOSED ? r.updatedAt() : null, (int) t[0], t[1], balance.plausible(),
                    balance.findings().stream().map(f -> f.flag().name() + (f.metal() == null ? "" : ":" + f.metal().symbol())).toList()));
        }
        int from = Math.min(all.size(), page * size);
        return new LotDtos.LotPage(all.size(), page, size, all.subList(from, Math.min(all.size(), from + size)));
    }

    /**
     * The mass balance of every closed lot matching the scope (and recycler), one row per lot: input,
     * per metal the assayed grams and the plausible range, the verdict and its findings.
     */
    public Table massBalanceTable(String recycler, boolean flagged, RegionScope scope) {
        List<Row> rows = rows(new Filter(recycler, BatteryState.LOT_CLOSED, null, null, null, scope, flagged));
        Map<String, MassBalance> balances = balances(rows);
        Map<String, Map<Metal, Long>> contained = contained(rows.stream().map(Row::id).toList());
        Map<String, long[]> totals = totals(rows);
        List<String> columns = new ArrayList<>(List.of("lot", "recycler", "name", "inputBatteries", "inputMassGrams"));
        for (Metal m : Metal.values()) {
            columns.addAll(List.of(m.symbol() + "Grams", m.symbol() + "MinGrams", m.symbol() + "MaxGrams"));
        }
        columns.addAll(List.of("plausible", "findings"));
        Table table = new Table(columns);
        for (Row r : rows) {
            MassBalance balance = balances.get(r.id());
            if (flagged && balance.plausible()) {
                continue;
            }
            long[] t = totals.getOrDefault(r.id(), new long[2]);
            List<Object> row = new ArrayList<>(List.of(r.id(), r.recycler(), r.name(), t[0], t[1]));
            Map<Metal, Long> assay = contained.getOrDefault(r.id(), Map.of());
            for (Metal m : Metal.values()) {
                MassBalance.Expected e = balance.expected().get(m);
                row.add(assay.get(m));
                row.add(e == null ? null : e.minGrams());
                row.add(e == null ? null : e.maxGrams());
            }
            row.add(balance.plausible());
            row.add(balance.findings().stream().map(MassBalance.Finding::detail).collect(Collectors.joining("; ")));
            table.add(row);
        }
        return table;
    }

    private List<Row> rows(Filter f) {
        StringBuilder where = new StringBuilder(f.scope().sql("o.region"));
        Map<String, Object> params = new LinkedHashMap<>();
        if (f.recycler() != null) {
            where.append(" AND l.recycler = :recycler");
            params.put("recycler", f.recycler());
        }
        if (f.state() != null) {
            where.append(" AND l.state = :state");
            params.put("state", f.state().name());
        }
        if (f.process() != null) {
            where.append(" AND l.process = :process");
            params.put("process", f.process());
        }
        if (f.from() != null) {
            where.append(" AND l.opened_at >= :from");
            params.put("from", f.from());
        }
        if (f.to() != null) {
            where.append(" AND l.opened_at < :to");
            params.put("to", f.to());
        }
        Query query = em.createNativeQuery("SELECT l.id, l.recycler, o.name, o.region, l.process, l.state, l.opened_at, l.updated_at FROM recycling_lot l"
                + " JOIN organization o ON o.id = l.recycler WHERE " + where + " ORDER BY l.opened_at, l.id");
        params.forEach(query::setParameter);
        List<Row> rows = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] r = (Object[]) row;
            rows.add(new Row((String) r[0], ((String) r[1]).trim(), (String) r[2], ((String) r[3]).trim(), (String) r[4], BatteryState.valueOf(((String) r[5]).trim()),
                    TransactionJdbc.instant(r[6]), TransactionJdbc.instant(r[7])));
        }
        return rows;
    }

    private Map<String, MassBalance> balances(List<Row> rows) {
        List<String> ids = rows.stream().map(Row::id).toList();
        Map<String, List<MassBalance.Input>> inputs = inputsByLot(ids);
        Map<String, Map<Metal, Long>> contained = contained(ids);
        Map<String, MassBalance> balances = new HashMap<>();
        for (String id : ids) {
            balances.put(id, MassBalance.check(inputs.getOrDefault(id, List.of()), contained.getOrDefault(id, Map.of())));
        }
        return balances;
    }

    /** Per lot: its input per chemistry, and how many batteries went in heavier than registered (5 % tolerance). */
    private Map<String, List<MassBalance.Input>> inputsByLot(Collection<String> ids) {
        Map<String, List<MassBalance.Input>> inputs = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT i.lot_id, b.chemistry, COUNT(*), SUM(i.mass_g), SUM(CASE WHEN b.mass_g IS NOT NULL AND i.mass_g * 10000 > b.mass_g * "
                    + (10_000 + MassBalance.DECLARED_MASS_TOLERANCE_BP) + " THEN 1 ELSE 0 END) FROM lot_input i JOIN battery b ON b.code = i.battery_code"
                    + " WHERE i.lot_id IN (:ids) GROUP BY i.lot_id, b.chemistry").setParameter("ids", chunk).getResultList();
            for (Object[] r : rows) {
                inputs.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(new MassBalance.Input(Chemistry.fromCode(String.valueOf(r[1]).trim().charAt(0)),
                        ((Number) r[2]).intValue(), ((Number) r[3]).longValue(), ((Number) r[4]).intValue()));
            }
        }
        return inputs;
    }

    private Map<String, Map<Metal, Long>> contained(Collection<String> ids) {
        Map<String, Map<Metal, Long>> contained = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT lot_id, metal, contained_g FROM lot_metal WHERE lot_id IN (:ids)").setParameter("ids", chunk).getResultList();
            for (Object[] r : rows) {
                contained.computeIfAbsent((String) r[0], k -> new EnumMap<>(Metal.class)).put(Metal.fromSymbol(((String) r[1]).trim()).orElseThrow(),
                        ((Number) r[2]).longValue());
            }
        }
        return contained;
    }

    private Map<String, long[]> totals(List<Row> rows) {
        Map<String, long[]> totals = new HashMap<>();
        for (List<String> chunk : chunks(rows.stream().map(Row::id).toList())) {
            @SuppressWarnings("unchecked")
            List<Object[]> result = em.createNativeQuery("SELECT lot_id, COUNT(*), SUM(mass_g) FROM lot_input WHERE lot_id IN (:ids) GROUP BY lot_id")
                    .setParameter("ids", chunk).getResultList();
            result.forEach(r -> totals.put((String) r[0], new long[] {((Number) r[1]).longValue(), ((Number) r[2]).longValue()}));
        }
        return totals;
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = new ArrayList<>(ids);
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 500) {
            chunks.add(all.subList(i, Math.min(all.size(), i + 500)));
        }
        return chunks;
    }

    private static LotDtos.MassBalance dto(MassBalance balance, Map<Metal, Long> contained) {
        List<LotDtos.MetalBalance> metals = new ArrayList<>();
        balance.expected().forEach((m, e) -> metals.add(new LotDtos.MetalBalance(m.symbol(), e.minGrams(), e.maxGrams(), contained.get(m))));
        return new LotDtos.MassBalance(balance.plausible(), metals, balance.findings().stream()
                .map(f -> new LotDtos.Finding(f.flag().name(), f.metal() == null ? null : f.metal().symbol(), f.detail())).toList());
    }

    /** {@code open}/{@code LOT_OPEN} or {@code closed}/{@code LOT_CLOSED}; null = any. */
    public static BatteryState lotState(String state) {
        if (state == null) {
            return null;
        }
        return switch (state.trim().toUpperCase(Locale.ROOT)) {
            case "OPEN", "LOT_OPEN" -> BatteryState.LOT_OPEN;
            case "CLOSED", "LOT_CLOSED" -> BatteryState.LOT_CLOSED;
            default -> throw new ProblemException(ProblemKind.BAD_STATE, "a lot's state is open or closed, got " + state);
        };
    }

    public List<LotDtos.Input> inputs(String id) {
        require(id);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT battery_code, mass_g, recycled_at FROM lot_input WHERE lot_id = ?1 ORDER BY battery_code")
                .setParameter(1, id).getResultList();
        return rows.stream().map(r -> new LotDtos.Input((String) r[0], ((Number) r[1]).longValue(), TransactionJdbc.instant(r[2]))).toList();
    }

    public List<LogEntryEntity> history(String id) {
        require(id);
        return LogEntryEntity.list("subject = ?1 order by seq", id);
    }

    /** One closed lot's assay (empty until closed). */
    public RecoveryRates rates(String lotId) {
        Map<Metal, Long> contained = new EnumMap<>(Metal.class);
        Map<Metal, Long> recovered = new EnumMap<>(Metal.class);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT metal, contained_g, recovered_g FROM lot_metal WHERE lot_id = ?1").setParameter(1, lotId).getResultList();
        for (Object[] r : rows) {
            Metal metal = Metal.fromSymbol(((String) r[0]).trim()).orElseThrow();
            contained.put(metal, ((Number) r[1]).longValue());
            recovered.put(metal, ((Number) r[2]).longValue());
        }
        return RecoveryRates.of(contained, recovered);
    }

    public static List<LotDtos.TargetCheck> checks(RecoveryRates rates) {
        List<LotDtos.TargetCheck> checks = new ArrayList<>();
        for (RecoveryTarget target : RecoveryTarget.values()) {
            List<LotDtos.Shortfall> shortfalls = rates.shortfalls(target).stream().map(s -> new LotDtos.Shortfall(s.metal().symbol(),
                    RecoveryRates.percent(s.requiredBasisPoints()), s.notMeasured() ? null : RecoveryRates.percent(s.actualBasisPoints()))).toList();
            checks.add(new LotDtos.TargetCheck(target.name(), target.basis(), shortfalls.isEmpty(), shortfalls));
        }
        return checks;
    }

}
