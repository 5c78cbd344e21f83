package org.batterytrace.server.log;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.SignedRecord;

/** A leaf of the transparency log (read side; appends go through {@link TransparencyLog}). */
@Entity
@Table(name = "log_entry")
public class LogEntryEntity extends PanacheEntityBase {
    @Id
    public long idx;
    public String subject;
    public long seq;
    public String type;
    public String actor;
    @Column(name = "record_time")
    public Instant recordTime;
    /** The record hash (SHA-256 of {@link #envelope}) in lower-case hex. */
    @Convert(converter = RecordHashColumn.class)
    public String hash;
    /** The canonical JSON of the signed record, exactly as hashed into the log. */
    public String envelope;
    /** When the platform accepted the record (null for entries written before reporting deadlines were tracked). */
    @Column(name = "accepted_at")
    public Instant acceptedAt;

    /** The entry whose record has this hash, or null (also for text that is not a SHA-256 in hex). */
    public static LogEntryEntity byHash(String hash) {
        return Hashes.isSha256Hex(hash) ? find("hash", hash).firstResult() : null;
    }

    public SignedRecord signedRecord() {
        return SignedRecord.parse(envelope);
    }
}
