package org.batterytrace.server.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Read access an organization gave an auditor to its batteries, for [validFrom, validUntil) until revoked. */
@Entity
@Table(name = "auditor_grant")
public class AuditorGrantEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String grantor;
    public String auditor;
    @Column(name = "valid_from")
    public Instant validFrom;
    @Column(name = "valid_until")
    public Instant validUntil;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    /** The log entries that record the grant and its revocation. */
    @Column(name = "log_index")
    public long logIndex;
    @Column(name = "revocation_log_index")
    public Long revocationLogIndex;

    public boolean activeAt(Instant time) {
        return revokedAt == null && !time.isBefore(validFrom) && (validUntil == null || time.isBefore(validUntil));
    }
}
