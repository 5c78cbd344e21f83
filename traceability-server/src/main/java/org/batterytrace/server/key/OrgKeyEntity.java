package org.batterytrace.server.key;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.batterytrace.record.VerificationKey;

/** An organization's public key; its registration and revocation are also log entries. */
@Entity
@Table(name = "org_key")
public class OrgKeyEntity extends PanacheEntityBase {
    @Id
    @Column(name = "key_id")
    public String keyId;
    @Column(name = "org_id")
    public String orgId;
    public String alg;
    @Column(name = "public_key_pem")
    public String publicKeyPem;
    @Column(name = "valid_from")
    public Instant validFrom;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    @Column(name = "log_index")
    public long logIndex;

    public VerificationKey verificationKey() {
        return VerificationKey.fromPem(publicKeyPem);
    }
}
