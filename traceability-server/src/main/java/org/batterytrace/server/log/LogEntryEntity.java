package org.batterytrace.server.log;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
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
    public String hash;
    /** The canonical JSON of the signed record, exactly as hashed into the log. */
    public String envelope;
    /** When the platform accepted the record (null for entries written before reporting deadlines were tracked). */
    @Column(name = "accepted_at")
    public Instant acceptedAt;

    public SignedRecord signedRecord() {
        return SignedRecord.parse(envelope);
    }
}
