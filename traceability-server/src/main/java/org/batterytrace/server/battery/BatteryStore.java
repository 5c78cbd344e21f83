package org.batterytrace.server.battery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.server.log.BulkInsert;
import org.batterytrace.server.log.TransactionEnd;
import org.batterytrace.server.passport.PassportService;
import org.batterytrace.server.record.ChainHead;
import org.batterytrace.server.record.TransactionJdbc;

/**
 * Battery heads on the ingest path, read and written with batched JDBC on the transaction's own
 * connection: a bulk request touches thousands of rows, and entity bookkeeping cost more than the SQL.
 * Reads elsewhere use {@link BatteryEntity}.
 */
@ApplicationScoped
public class BatteryStore {
    @Inject
    TransactionJdbc jdbc;
    @Inject
    PassportService passports;
    @Inject
    TransactionSynchronizationRegistry transactions;

    /** A battery registered by its first record. */
    public record NewBattery(String code, char level, char chemistry, boolean cascadeProduct, LocalDate productionDate, String maker,
            String parentCode, Long massGrams, Instant createdAt) {
    }

    /** The head after this request, for every battery it touched. */
    public record Update(String code, ChainHead head) {
    }

    public Map<String, ChainHead> heads(Collection<String> codes) {
        Map<String, ChainHead> heads = new HashMap<>();
        jdbc.selectIn("reading battery heads", "SELECT code, head_seq, head_hash, state, custodian, updated_at, parent_code FROM battery WHERE code", codes,
                rs -> heads.put(rs.getString(1), new ChainHead(rs.getLong(2), rs.getString(3), BatteryState.valueOf(rs.getString(4)), rs.getString(5),
                        rs.getTimestamp(6).toInstant(), rs.getString(7))));
        return heads;
    }

    /**
     * Inserts, before the log lock, the rows of batteries a bulk request registers ({@code BatteryRowsAhead}), sorted
     * by code. The transaction then waits for no lock longer than {@code lockWaitMillis}: {@link #write} completes them.
     */
    public void insertAhead(List<NewBattery> batteries, Map<String, ChainHead> heads, long lockWaitMillis) {
        List<NewBattery> sorted = new ArrayList<>(batteries);
        sorted.sort(java.util.Comparator.comparing(NewBattery::code));
        jdbc.run("writing battery rows ahead of the log lock", connection -> {
            try (java.sql.Statement s = connection.createStatement()) {
                s.execute("SET LOCAL lock_timeout = " + lockWaitMillis); // an integer is milliseconds
            }
            insertRows(sorted, heads).execute(connection);
        });
    }

    private static BulkInsert insertRows(List<NewBattery> batteries, Map<String, ChainHead> heads) {
        BulkInsert insert = BulkInsert.into("battery", "code", "level", "chemistry", "cascade_product", "production_date", "maker", "parent_code",
                "state", "custodian", "head_seq", "head_hash", "created_at", "updated_at", "mass_g");
        for (NewBattery b : batteries) {
            ChainHead head = heads.get(b.code());
            insert.row(b.code(), String.valueOf(b.level()), String.valueOf(b.chemistry()), b.cascadeProduct(), b.productionDate(), b.maker(),
                    b.parentCode(), head.state().name(), head.custodian(), head.seq(), head.hash(), b.createdAt(), head.time(), b.massGrams());
        }
        return insert;
    }

    /**
     * Inserts the new batteries (with their heads) and moves the heads of the others, in two batches; a new
     * battery whose row was written ahead ({@link #insertAhead}) is only moved, and only if its head is not the
     * one written. Once committed, the kept public passports of every battery this changes are dropped: the
     * batteries written, the parents that gain a component, and both ends of each source link.
     */
    public void write(List<NewBattery> created, List<Update> updates, List<String[]> sourceLinks, Map<String, ChainHead> writtenAhead) {
        if (passports.publicPassports().enabled()) {
            evictPassportsOnCommit(created, updates, sourceLinks);
        }
        Map<String, ChainHead> createdHeads = new HashMap<>();
        List<Update> moved = new ArrayList<>();
        Map<String, NewBattery> byCode = new HashMap<>();
        created.forEach(b -> byCode.put(b.code(), b));
        for (Update u : updates) {
            ChainHead ahead = writtenAhead.get(u.code());
            if (ahead != null) {
                if (!ahead.equals(u.head())) {
                    moved.add(u);
                }
            } else if (byCode.containsKey(u.code())) {
                createdHeads.put(u.code(), u.head());
            } else {
                moved.add(u);
            }
        }
        List<NewBattery> inserted = writtenAhead.isEmpty() ? created : created.stream().filter(b -> !writtenAhead.containsKey(b.code())).toList();
        jdbc.run("writing battery heads", connection -> {
            if (!inserted.isEmpty()) {
                insertRows(inserted, createdHeads).execute(connection);
            }
            if (!moved.isEmpty()) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE battery SET state = ?, custodian = ?, head_seq = ?, head_hash = ?, updated_at = ? WHERE code = ?")) {
                    for (Update u : moved) {
                        update.setString(1, u.head().state().name());
                        update.setString(2, u.head().custodian());
                        update.setLong(3, u.head().seq());
                        update.setString(4, u.head().hash());
                        update.setTimestamp(5, Timestamp.from(u.head().time()));
                        update.setString(6, u.code());
                        update.addBatch();
                    }
                    update.executeBatch();
                }
            }
            if (!sourceLinks.isEmpty()) {
                try (PreparedStatement link = connection.prepareStatement("INSERT INTO battery_source (product_code, source_code) VALUES (?, ?)")) {
                    for (String[] l : sourceLinks) {
                        link.setString(1, l[0]);
                        link.setString(2, l[1]);
                        link.addBatch();
                    }
                    link.executeBatch();
                }
            }
        });
    }

    /** After the commit, drops the kept public passports of every battery the write changes (the set is built only when some are kept). */
    private void evictPassportsOnCommit(List<NewBattery> created, List<Update> updates, List<String[]> sourceLinks) {
        Set<String> changed = new HashSet<>();
        created.forEach(b -> {
            changed.add(b.code());
            if (b.parentCode() != null) {
                changed.add(b.parentCode());
            }
        });
        updates.forEach(u -> changed.add(u.code()));
        sourceLinks.forEach(l -> changed.addAll(List.of(l)));
        if (!changed.isEmpty()) {
            TransactionEnd.then(transactions, () -> passports.publicPassports().evict(changed), () -> {
            });
        }
    }
}
