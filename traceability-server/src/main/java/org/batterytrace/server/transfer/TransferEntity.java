package org.batterytrace.server.transfer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A custody transfer offered by the custodian and waiting for the receiver's signature. */
@Entity
@Table(name = "transfer")
public class TransferEntity extends PanacheEntityBase {
    @Schema(name = "TransferStatus")
    public enum Status {
        PENDING, ACCEPTED, REJECTED, CANCELLED, EXPIRED
    }

    @Id
    public String id;
    public String subject;
    public long seq;
    @Column(name = "from_org")
    public String fromOrg;
    @Column(name = "to_org")
    public String toOrg;
    @Enumerated(EnumType.STRING)
    public Status status;
    /** The TRANSFERRED record with the custodian's signature, canonical JSON. */
    public String offer;
    @Column(name = "log_index")
    public Long logIndex;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "decided_at")
    public Instant decidedAt;
}
