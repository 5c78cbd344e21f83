package org.batterytrace.server.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.key.KeyService;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.log.LogSigner;
import org.batterytrace.server.log.TransparencyLog;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.organization.OrganizationService;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.time.TraceClock;

/**
 * Grants and revokes auditors' read access. Each change is also an entry in the transparency log
 * (subject {@code ACCESS-<grantor>}, signed by the log key), so who could read an enterprise's records,
 * and when, can be audited in turn and not quietly rewritten.
 */
@ApplicationScoped
public class AuditorGrantService {
    @Inject
    TraceClock clock;
    public static final String GRANTED = "AUDITOR_GRANTED";
    public static final String REVOKED = "AUDITOR_GRANT_REVOKED";

    @Inject
    OrganizationService organizations;
    @Inject
    TransparencyLog log;
    @Inject
    LogSigner signer;

    @Transactional
    public AuditorGrantEntity grant(String grantorId, String auditorId, Instant validFrom, Instant validUntil) {
        organizations.require(grantorId);
        OrganizationEntity auditor = OrganizationEntity.findById(auditorId);
        if (auditor == null || !auditor.roleSet().contains(Role.AUDITOR)) {
            throw ProblemException.unprocessable("not-an-auditor", auditorId + " is not a registered organization with the AUDITOR role");
        }
        if (auditorId.equals(grantorId)) {
            throw ProblemException.unprocessable("not-an-auditor", "an organization reads its own records already");
        }
        Instant now = clock.now();
        Instant from = validFrom == null ? now : validFrom;
        if (validUntil != null && !validUntil.isAfter(from)) {
            throw ProblemException.badRequest("bad-range", "validUntil " + validUntil + " must be after validFrom " + from);
        }
        AuditorGrantEntity grant = new AuditorGrantEntity();
        grant.id = UUID.randomUUID().toString();
        grant.grantor = grantorId;
        grant.auditor = auditorId;
        grant.validFrom = from;
        grant.validUntil = validUntil;
        grant.createdAt = now;
        grant.logIndex = logEvent(grant, GRANTED, now);
        grant.persist();
        return grant;
    }

    @Transactional
    public AuditorGrantEntity revoke(String grantorId, String grantId) {
        AuditorGrantEntity grant = AuditorGrantEntity.findById(grantId);
        if (grant == null || !grant.grantor.equals(grantorId)) {
            throw ProblemException.notFound("grant-not-found", "organization " + grantorId + " has no auditor grant " + grantId);
        }
        if (grant.revokedAt == null) {
            Instant now = clock.now();
            grant.revokedAt = now;
            grant.revocationLogIndex = logEvent(grant, REVOKED, now);
        }
        return grant;
    }

    /** Grants an organization gave or received. */
    public List<AuditorGrantEntity> grantsOf(String orgId) {
        organizations.require(orgId);
        return AuditorGrantEntity.list("grantor = ?1 or auditor = ?1 order by createdAt", orgId);
    }

    private long logEvent(AuditorGrantEntity grant, String type, Instant now) {
        TransparencyLog.Appender appender = log.lock();
        String subject = ReadPolicy.GRANTS_PREFIX + grant.grantor;
        LogEntryEntity last = LogEntryEntity.find("subject = ?1 order by seq desc", subject).firstResult();
        ObjectNode data = Json.object().put("grant", grant.id).put("auditor", grant.auditor).put("validFrom", grant.validFrom.toString());
        if (grant.validUntil != null) {
            data.put("validUntil", grant.validUntil.toString());
        }
        TraceRecord event = TraceRecord.of(subject, last == null ? 1 : last.seq + 1, last == null ? null : last.hash, type, now, signer.origin(), data);
        return appender.append(List.of(SignedRecord.sign(event, signer.signer().key())))[0];
    }
}
