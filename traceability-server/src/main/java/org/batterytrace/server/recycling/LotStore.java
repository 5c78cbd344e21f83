package org.batterytrace.server.recycling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.recycling.Metal;
import org.batterytrace.server.record.ChainHead;
import org.batterytrace.server.record.TransactionJdbc;

/** Recycling-lot rows on the ingest path: heads, the batteries each lot consumed, and its assay once closed. */
@ApplicationScoped
public class LotStore {
    @Inject
    TransactionJdbc jdbc;

    public record NewLot(String id, String recycler, String process, Instant openedAt) {
    }

    public record Input(String batteryCode, String lotId, long massGrams, Instant recycledAt) {
    }

    public record Assay(String lotId, Metal metal, long containedGrams, long recoveredGrams) {
    }

    public Map<String, ChainHead> heads(Collection<String> ids) {
        Map<String, ChainHead> heads = new HashMap<>();
        jdbc.selectIn("reading lot heads", "SELECT id, head_seq, head_hash, state, custodian, updated_at FROM recycling_lot WHERE id", ids,
                rs -> heads.put(rs.getString(1), new ChainHead(rs.getLong(2), rs.getString(3), BatteryState.valueOf(rs.getString(4)), rs.getString(5),
                        rs.getTimestamp(6).toInstant(), null)));
        return heads;
    }

    /** How many batteries each of {@code ids} has consumed; every id is in the answer (0 when none). */
    public Map<String, Long> inputCounts(Collection<String> ids) {
        Map<String, Long> counts = new HashMap<>();
        ids.forEach(id -> counts.put(id, 0L));
        jdbc.selectIn("counting lot inputs", "SELECT lot_id, COUNT(*) FROM lot_input GROUP BY lot_id HAVING lot_id", ids, rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    public void write(List<NewLot> opened, Map<String, ChainHead> heads, List<Input> inputs, List<Assay> assays) {
        jdbc.run("writing recycling lots", connection -> {
            if (!opened.isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO recycling_lot (id, recycler, process, state, custodian, head_seq, head_hash,"
                        + " opened_at, updated_at) VALUES (?, ?, ?, 'LOT_OPEN', ?, 0, '', ?, ?)")) {
                    for (NewLot lot : opened) {
                        insert.setString(1, lot.id());
                        insert.setString(2, lot.recycler());
                        insert.setString(3, lot.process());
                        insert.setString(4, lot.recycler());
                        insert.setTimestamp(5, Timestamp.from(lot.openedAt()));
                        insert.setTimestamp(6, Timestamp.from(lot.openedAt()));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            if (!heads.isEmpty()) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE recycling_lot SET state = ?, custodian = ?, head_seq = ?, head_hash = ?, updated_at = ? WHERE id = ?")) {
                    for (Map.Entry<String, ChainHead> e : heads.entrySet()) {
                        update.setString(1, e.getValue().state().name());
                        update.setString(2, e.getValue().custodian());
                        update.setLong(3, e.getValue().seq());
                        update.setString(4, e.getValue().hash());
                        update.setTimestamp(5, Timestamp.from(e.getValue().time()));
                        update.setString(6, e.getKey());
                        update.addBatch();
                    }
                    update.executeBatch();
                }
            }
            if (!inputs.isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lot_input (battery_code, lot_id, mass_g, recycled_at) VALUES (?, ?, ?, ?)")) {
                    for (Input input : inputs) {
                        insert.setString(1, input.batteryCode());
                        insert.setString(2, input.lotId());
                        insert.setLong(3, input.massGrams());
                        insert.setTimestamp(4, Timestamp.from(input.recycledAt()));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            if (!assays.isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lot_metal (lot_id, metal, contained_g, recovered_g) VALUES (?, ?, ?, ?)")) {
                    for (Assay assay : assays) {
                        insert.setString(1, assay.lotId());
                        insert.setString(2, assay.metal().symbol());
                        insert.setLong(3, assay.containedGrams());
                        insert.setLong(4, assay.recoveredGrams());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
        });
    }
}
