package org.batterytrace.server.key;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.batterytrace.audit.KeyEvents;
import org.batterytrace.record.Chains;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.record.VerificationKey;
import org.batterytrace.server.facts.FactsCache;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.log.LogSigner;
import org.batterytrace.server.log.TransparencyLog;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.time.TraceClock;

/** Registers, revokes and rotates organization keys; each change is a log-signed key event in the log. */
@ApplicationScoped
public class KeyService {
    @Inject
    TraceClock clock;
    @Inject
    TransparencyLog log;
    @Inject
    LogSigner signer;
    @Inject
    FactsCache facts;

    /** {@code validFrom} in the past back-fills (null = now); it may not precede the organization's previous key event. */
    @Transactional
    public OrgKeyEntity register(String orgId, String publicKeyPem, Instant validFrom) {
        OrganizationEntity org = requireOrganization(orgId);
        VerificationKey key = VerificationKey.fromPem(publicKeyPem);
        if (validFrom != null && validFrom.isAfter(clock.now())) {
            throw new ProblemException(ProblemKind.TIME_IN_FUTURE, "validFrom " + validFrom + " is in the future");
        }
        TransparencyLog.Appender appender = log.lock();
        return registerLocked(org, key, appender, validFrom);
    }

    @Transactional
    public OrgKeyEntity revoke(String orgId, String keyId) {
        requireOrganization(orgId);
        OrgKeyEntity key = requireActiveKey(orgId, keyId);
        TransparencyLog.Appender appender = log.lock();
        revokeLocked(key, appender);
        return key;
    }

    /** Registers the new key and revokes the old one in one transaction: no moment without a valid key. */
    @Transactional
    public OrgKeyEntity rotate(String orgId, String oldKeyId, String newPublicKeyPem) {
        OrganizationEntity org = requireOrganization(orgId);
        OrgKeyEntity old = requireActiveKey(orgId, oldKeyId);
        VerificationKey key = VerificationKey.fromPem(newPublicKeyPem);
        TransparencyLog.Appender appender = log.lock();
        OrgKeyEntity fresh = registerLocked(org, key, appender, null);
        revokeLocked(old, appender);
        return fresh;
    }

    public List<OrgKeyEntity> keysOf(String orgId) {
        requireOrganization(orgId);
        return OrgKeyEntity.list("orgId = ?1 order by validFrom", orgId);
    }

    private OrgKeyEntity registerLocked(OrganizationEntity org, VerificationKey key, TransparencyLog.Appender appender, Instant validFrom) {
        if (OrgKeyEntity.findById(key.keyId()) != null) {
            throw new ProblemException(ProblemKind.KEY_EXISTS, "key " + key.keyId() + " is already registered");
        }
        Instant now = validFrom == null ? clock.now() : validFrom.truncatedTo(ChronoUnit.MILLIS);
        LogEntryEntity last = lastKeyEvent(org.id);
        TraceRecord event = KeyEvents.registration(org.id, last == null ? 1 : last.seq + 1, last == null ? null : last.hash, now, signer.origin(), key);
        // The verifier's rule for key-event chains: a validFrom before the previous key event is time-before-previous.
        Chains.checkNext(org.id, last == null ? 0 : last.seq, last == null ? null : last.hash, last == null ? null : last.recordTime, event);
        long index = appender.append(List.of(KeyEvents.signed(event, signer.signer().key())))[0];
        OrgKeyEntity entity = new OrgKeyEntity();
        entity.keyId = key.keyId();
        entity.orgId = org.id;
        entity.alg = key.algorithm().jsonName();
        entity.publicKeyPem = key.toPem();
        entity.validFrom = now;
        entity.logIndex = index;
        entity.persist();
        facts.changed();
        return entity;
    }

    private void revokeLocked(OrgKeyEntity key, TransparencyLog.Appender appender) {
        Instant now = clock.now();
        LogEntryEntity last = lastKeyEvent(key.orgId);
        TraceRecord event = KeyEvents.revocation(key.orgId, last.seq + 1, last.hash, now, signer.origin(), key.verificationKey());
        SignedRecord signed = KeyEvents.signed(event, signer.signer().key());
        appender.append(List.of(signed));
        key.revokedAt = now;
        facts.changed();
    }

    private static LogEntryEntity lastKeyEvent(String orgId) {
        return LogEntryEntity.find("subject = ?1 order by seq desc", orgId).firstResult();
    }

    private static OrgKeyEntity requireActiveKey(String orgId, String keyId) {
        OrgKeyEntity key = OrgKeyEntity.findById(keyId);
        if (key == null || !key.orgId.equals(orgId)) {
            throw new ProblemException(ProblemKind.KEY_NOT_FOUND, "organization " + orgId + " has no key " + keyId);
        }
        if (key.revokedAt != null) {
            throw new ProblemException(ProblemKind.KEY_ALREADY_REVOKED, "key " + keyId + " was already revoked at " + key.revokedAt);
        }
        return key;
    }

    private static OrganizationEntity requireOrganization(String orgId) {
        OrganizationEntity org = OrganizationEntity.findById(orgId);
        if (org == null) {
            throw new ProblemException(ProblemKind.ORGANIZATION_NOT_FOUND, "no organization " + orgId);
        }
        return org;
    }

    /** Millisecond precision, so that times survive every database's timestamp type unchanged. */
}
