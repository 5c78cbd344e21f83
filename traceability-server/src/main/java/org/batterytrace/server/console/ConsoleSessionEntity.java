package org.batterytrace.server.console;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A signed-in console session; the cookie's random id is stored only as its SHA-256. */
@Entity
@Table(name = "console_session")
public class ConsoleSessionEntity extends PanacheEntityBase {
    @Id
    @Column(name = "id_hash")
    public String idHash;
    @Column(name = "token_id")
    public String tokenId;
    @Column(name = "org_id")
    public String orgId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
}
