package org.batterytrace.server.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.record.TransactionJdbc;

/**
 * Keeps {@code record_fact} level with the log: the receiver of every transfer and the region where
 * each vehicle was sold, parsed from the signed envelopes once, so reports can join on them in SQL.
 * The ingest path is untouched; reports call {@link #catchUp()} first. Catching up takes a row lock on
 * the 'facts' watermark, so concurrent reports (and server instances) never project an entry twice, and
 * reads only entries below the committed log size, which are all committed.
 */
@ApplicationScoped
public class RecordFacts {
    private static final int PAGE = 5_000;
    private static final Pattern REGION = Pattern.compile("\\d{6}");

    @Inject
    TransactionJdbc jdbc;

    /** Projects every committed log entry not yet seen, in transactions of at most 5,000 entries. */
    public void catchUp() {
        while (QuarkusTransaction.requiringNew().call(this::page)) {
            // next page
        }
    }

    /** One page; true if more may follow. */
    private boolean page() {
        boolean[] more = new boolean[1];
        jdbc.run("projecting record facts", connection -> {
            long watermark;
            try (PreparedStatement lock = connection.prepareStatement("SELECT counter FROM log_state WHERE name = 'facts' FOR UPDATE");
                 ResultSet rs = lock.executeQuery()) {
                rs.next();
                watermark = rs.getLong(1);
            }
            long size;
            try (PreparedStatement select = connection.prepareStatement("SELECT counter FROM log_state WHERE name = 'size'"); ResultSet rs = select.executeQuery()) {
                rs.next();
                size = rs.getLong(1);
            }
            if (watermark >= size) {
                return;
            }
            long end = Math.min(size, watermark + PAGE);
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT idx, subject, seq, type, record_time, envelope FROM log_entry"
                    + " WHERE idx >= ? AND idx < ? AND type IN ('TRANSFERRED', 'SOLD')")) {
                select.setLong(1, watermark);
                select.setLong(2, end);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        TraceRecord record = SignedRecord.parse(rs.getString(6)).record();
                        String receiver = null;
                        String region = null;
                        if (EventType.TRANSFERRED.name().equals(rs.getString(4))) {
                            receiver = text(record.dataField("to"));
                        } else {
                            String r = text(record.dataField("region"));
                            region = r != null && REGION.matcher(r).matches() ? r : null;
                        }
                        rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getTimestamp(5), receiver, region});
                    }
                }
            }
            if (!rows.isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO record_fact (idx, subject, seq, type, record_time, receiver, sale_region) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    for (Object[] row : rows) {
                        insert.setLong(1, (Long) row[0]);
                        insert.setString(2, (String) row[1]);
                        insert.setLong(3, (Long) row[2]);
                        insert.setString(4, (String) row[3]);
                        insert.setTimestamp(5, (java.sql.Timestamp) row[4]);
                        insert.setString(6, (String) row[5]);
                        insert.setString(7, (String) row[6]);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE log_state SET counter = ? WHERE name = 'facts'")) {
                update.setLong(1, end);
                update.executeUpdate();
            }
            more[0] = end < size;
        });
        return more[0];
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && node.textValue().length() <= 18 ? node.textValue() : null;
    }
}
