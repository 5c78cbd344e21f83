package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;

/**
 * Safe retries: a signed record already in the log, resubmitted byte for byte (same hash), is answered
 * with its original acknowledgement instead of a conflict. A client whose request timed out or failed
 * after the commit (a lost response, a database that stopped just after committing) retries and learns
 * where its record went. A different record for a taken sequence number still gets 409.
 */
@ApplicationScoped
public class Replays {
    @Inject
    TransactionJdbc jdbc;

    private record Stored(long index, String subject, long seq) {
    }

    /** The original acknowledgements of those {@code records} that are already logged, by record hash. */
    public Map<String, RecordIngest.Accepted> find(Collection<SignedRecord> records) {
        Map<String, Stored> stored = new HashMap<>();
        jdbc.selectInBinary("looking up resubmitted records", "SELECT idx, subject, seq, hash FROM log_entry WHERE hash",
                records.stream().map(r -> Hashes.fromHex(r.hash())).toList(),
                row -> stored.put(Hashes.hex(row.getBytes(4)), new Stored(row.getLong(1), row.getString(2), row.getLong(3))));
        if (stored.isEmpty()) {
            return Map.of();
        }
        // The state each record left its chain in: replay the chains up to it (the rules held when it was accepted).
        Set<String> subjects = new HashSet<>();
        stored.values().forEach(s -> subjects.add(s.subject()));
        Map<String, List<TraceRecord>> chains = new HashMap<>();
        jdbc.selectIn("replaying chains of resubmitted records", "SELECT subject, seq, envelope FROM log_entry WHERE subject", subjects,
                row -> chains.computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(SignedRecord.parse(row.getString(3)).record()));
        Map<String, RecordIngest.Accepted> acks = new HashMap<>();
        stored.forEach((hash, s) -> {
            List<TraceRecord> chain = chains.get(s.subject());
            chain.sort(java.util.Comparator.comparingLong(TraceRecord::seq));
            CustodyStatus status = null;
            for (TraceRecord record : chain) {
                if (record.seq() > s.seq()) {
                    break;
                }
                status = Lifecycle.apply(status, EventType.valueOf(record.type()), record.actor(), null, receiver(record));
            }
            acks.put(hash, new RecordIngest.Accepted(s.subject(), s.seq(), hash, s.index(), status.state(), status.custodian(), true));
        });
        return acks;
    }

    private static String receiver(TraceRecord record) {
        JsonNode to = EventType.TRANSFERRED.name().equals(record.type()) ? record.dataField("to") : null;
        return to != null && to.isTextual() ? to.textValue() : null;
    }
}
