package org.batterytrace.server.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API token; only the SHA-256 of the secret is stored. */
@Entity
@Table(name = "api_token")
public class ApiTokenEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "org_id")
    public String orgId;
    @Column(name = "token_hash")
    public String tokenHash;
    public String label;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
