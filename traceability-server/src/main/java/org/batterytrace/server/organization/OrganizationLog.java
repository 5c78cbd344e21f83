package org.batterytrace.server.organization;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.facts.FactsCache;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.log.LogSigner;
import org.batterytrace.server.log.TransparencyLog;
import org.batterytrace.server.time.TraceClock;
import org.jboss.logging.Logger;

/**
 * Writes organization facts to the log as the tables change (docs/record-format.md §5.1): a registration
 * with its roles and filed manufacturer codes, one filing entry per code, and each white-list decision.
 * Signed by the log key, so the offline verifier reads the same facts the server's rules read.
 */
@ApplicationScoped
public class OrganizationLog {
    private static final Logger LOG = Logger.getLogger(OrganizationLog.class);

    @Inject
    TransparencyLog log;
    @Inject
    LogSigner signer;
    @Inject
    TraceClock clock;
    @Inject
    FactsCache facts;

    /** Logs a newly registered organization (and its qualification, when it has one) in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void registered(OrganizationEntity org, Set<String> manufacturerCodes, boolean withQualification) {
        TransparencyLog.Appender appender = log.lock();
        List<SignedRecord> entries = new ArrayList<>();
        TraceRecord registration = OrganizationEvents.registration(org.id, clock.now(), signer.origin(), org.name, org.roleSet(), org.region, org.regionScope,
                manufacturerCodes);
        entries.add(sign(registration));
        for (String code : new TreeSet<>(manufacturerCodes)) {
            entries.add(sign(OrganizationEvents.codeFiling(code, registration.instant(), signer.origin(), org.id)));
        }
        if (withQualification) {
            entries.add(sign(OrganizationEvents.qualification(org.id, 2, entries.get(0).hash(), registration.instant(), signer.origin(), qualification(org))));
        }
        appender.append(entries);
        facts.changed();
    }

    /** Logs an organization's new white-list decision in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void qualified(OrganizationEntity org) {
        TransparencyLog.Appender appender = log.lock();
        LogEntryEntity last = LogEntryEntity.find("subject = ?1 order by seq desc", OrganizationEvents.factsSubject(org.id)).firstResult();
        TraceRecord event = OrganizationEvents.qualification(org.id, last.seq + 1, last.hash, clock.now(), signer.origin(), qualification(org));
        appender.append(List.of(sign(event)));
        facts.changed();
    }

    /**
     * Organizations registered before their facts were logged get them logged now, once, at start-up:
     * they cover the records logged after them; records logged before stay unverifiable offline
     * ({@code ACTOR_NOT_REGISTERED}), since a later statement cannot vouch for what was accepted earlier.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public void backfill(@Observes StartupEvent start) {
        // SQL, by subject through the chain index: start-up reads no log (a scan by type read all of it), and parses no
        // query language (the first parse of HQL costs a second of CPU, better spent after readiness).
        List<String> ids = LogEntryEntity.getEntityManager().createNativeQuery(
                "SELECT o.id FROM organization o WHERE NOT EXISTS (SELECT 1 FROM log_entry e WHERE e.subject = CONCAT(?1, o.id)) ORDER BY o.id")
                .setParameter(1, OrganizationEvents.ORG_PREFIX).getResultList();
        List<OrganizationEntity> missing = ids.stream().map(id -> OrganizationEntity.<OrganizationEntity>findById(id)).toList();
        if (missing.isEmpty()) {
            return;
        }
        log.lock(); // serializes with another instance starting at once; each checks again under the lock
        for (OrganizationEntity org : missing) {
            if (LogEntryEntity.count("subject", OrganizationEvents.factsSubject(org.id)) == 0) {
                Set<String> codes = new TreeSet<>(ManufacturerCodeEntity.codesOf(org.id));
                codes.removeIf(code -> LogEntryEntity.count("subject", OrganizationEvents.codeSubject(code)) > 0);
                registered(org, codes, org.qualified || org.qualifiedUntil != null || org.qualificationRef != null);
            }
        }
        LOG.infof("logged the facts of %d organizations registered before facts were logged", missing.size());
    }

    static OrganizationFacts.Qualification qualification(OrganizationEntity org) {
        return new OrganizationFacts.Qualification(org.qualified, org.qualifiedUntil, org.qualificationRef);
    }

    private SignedRecord sign(TraceRecord event) {
        return SignedRecord.sign(event, signer.signer().key());
    }
}
