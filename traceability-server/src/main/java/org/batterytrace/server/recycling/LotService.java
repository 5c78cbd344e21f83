package org.batterytrace.server.recycling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.recycling.LotId;
import org.batterytrace.recycling.Metal;
import org.batterytrace.recycling.RecoveryRates;
import org.batterytrace.recycling.RecoveryTarget;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.problem.ProblemException;

@ApplicationScoped
public class LotService {
    @Inject
    EntityManager em;

    public LotEntity require(String id) {
        LotId.parse(id);
        LotEntity lot = LotEntity.findById(id);
        if (lot == null) {
            throw ProblemException.notFound("lot-not-found", "no recycling lot " + id);
        }
        return lot;
    }

    public LotDtos.Lot view(String id) {
        LotEntity lot = require(id);
        Object[] totals = (Object[]) em.createNativeQuery("SELECT COUNT(*), COALESCE(SUM(mass_g), 0) FROM lot_input WHERE lot_id = ?1").setParameter(1, id).getSingleResult();
        List<LotDtos.MetalRecovery> recovery = new ArrayList<>();
        List<LotDtos.TargetCheck> targets = new ArrayList<>();
        if (lot.state == BatteryState.LOT_CLOSED) {
            RecoveryRates rates = rates(id);
            rates.contained().forEach((metal, in) -> {
                Integer bp = rates.basisPoints().get(metal);
                recovery.add(new LotDtos.MetalRecovery(metal.symbol(), in, rates.recovered().getOrDefault(metal, 0L), bp == null ? null : RecoveryRates.percent(bp)));
            });
            targets.addAll(checks(rates));
        }
        return new LotDtos.Lot(lot.id, lot.recycler, lot.process, lot.state.name(), lot.headSeq, lot.openedAt, lot.updatedAt, ((Number) totals[0]).intValue(),
                ((Number) totals[1]).longValue(), recovery, targets);
    }

    public List<LotDtos.Input> inputs(String id) {
        require(id);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT battery_code, mass_g, recycled_at FROM lot_input WHERE lot_id = ?1 ORDER BY battery_code")
                .setParameter(1, id).getResultList();
        return rows.stream().map(r -> new LotDtos.Input((String) r[0], ((Number) r[1]).longValue(), toInstant(r[2]))).toList();
    }

    public List<LogEntryEntity> history(String id) {
        require(id);
        return LogEntryEntity.list("subject = ?1 order by seq", id);
    }

    /** One closed lot's assay. */
    public RecoveryRates rates(String lotId) {
        return assays("SELECT m.lot_id, m.metal, m.contained_g, m.recovered_g FROM lot_metal m WHERE m.lot_id = ?1", lotId)
                .getOrDefault(lotId, RecoveryRates.of(Map.of(), Map.of()));
    }

    /** Per recycler, the summed assays of its closed lots: its overall rates weigh each lot by its mass. */
    public Map<String, RecoveryRates> ratesByRecycler() {
        return assays("SELECT l.recycler, m.metal, SUM(m.contained_g), SUM(m.recovered_g) FROM lot_metal m JOIN recycling_lot l ON l.id = m.lot_id"
                + " GROUP BY l.recycler, m.metal", null);
    }

    /** Rows of (key, metal, contained, recovered) as rates per key. */
    private Map<String, RecoveryRates> assays(String sql, String parameter) {
        var query = em.createNativeQuery(sql);
        if (parameter != null) {
            query.setParameter(1, parameter);
        }
        Map<String, Map<Metal, Long>> contained = new java.util.HashMap<>();
        Map<String, Map<Metal, Long>> recovered = new java.util.HashMap<>();
        for (Object row : query.getResultList()) {
            Object[] r = (Object[]) row;
            String key = ((String) r[0]).trim();
            Metal metal = Metal.fromSymbol(((String) r[1]).trim()).orElseThrow();
            contained.computeIfAbsent(key, k -> new EnumMap<>(Metal.class)).put(metal, ((Number) r[2]).longValue());
            recovered.computeIfAbsent(key, k -> new EnumMap<>(Metal.class)).put(metal, ((Number) r[3]).longValue());
        }
        Map<String, RecoveryRates> rates = new java.util.HashMap<>();
        contained.forEach((key, in) -> rates.put(key, RecoveryRates.of(in, recovered.get(key))));
        return rates;
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

    static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
