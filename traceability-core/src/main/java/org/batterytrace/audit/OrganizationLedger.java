package org.batterytrace.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.batterytrace.log.map.MapValue;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.record.ChainException;
import org.batterytrace.record.Chains;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;

/**
 * The organization facts a bundle carries ({@link EvidenceBundle#organizationFacts()}), read the way the
 * server applied them: each facts chain checked for its log signature and continuity, and kept as a
 * timeline, so that a record is judged by the facts logged before it. Whether a chain the rules read is
 * complete is decided against the map ({@link #complete}): a withheld qualification withdrawal or a
 * withheld filing is {@link Failure#NOT_LATEST}.
 */
final class OrganizationLedger {
    /** Facts from a log index on. */
    private record Since<T>(long logIndex, T value) {
    }

    private final Map<String, List<Since<OrganizationFacts>>> facts = new HashMap<>();
    private final Map<String, Since<String>> filers = new HashMap<>();
    /** The last entry of each chain in the bundle, by subject. */
    private final Map<String, LoggedRecord> last = new LinkedHashMap<>();
    private final Map<String, Boolean> checked = new HashMap<>();

    /**
     * Reads the chains, reporting every entry that is not a well-formed, log-signed, continuous facts event
     * as {@link Failure#ORGANIZATION_EVENT_INVALID} and leaving it out.
     *
     * @param inclusion checks one entry's inclusion proof (reported under its own failure kind)
     */
    static OrganizationLedger read(List<LoggedRecord> entries, KeyEventSignature logSignature, BiConsumer<LoggedRecord, String> inclusion,
            VerificationReport report) {
        OrganizationLedger ledger = new OrganizationLedger();
        for (int i = 0; i < entries.size(); i++) {
            String where = "organizationFacts[" + i + "]";
            LoggedRecord logged = entries.get(i);
            SignedRecord signed = logged.entry();
            TraceRecord event = signed.record();
            inclusion.accept(logged, where);
            LoggedRecord previous = ledger.last.get(event.subject());
            try {
                Chains.checkNext(event.subject(), previous == null ? 0 : previous.entry().record().seq(), previous == null ? null : previous.entry().hash(),
                        previous == null ? null : previous.entry().record().instant(), event);
                if (previous != null && previous.logIndex() >= logged.logIndex()) {
                    throw new RecordFormatException("entries of " + event.subject() + " must be in log order");
                }
                logSignature.check(signed);
                if (event.subject().startsWith(OrganizationEvents.CODE_PREFIX)) {
                    ledger.filers.put(event.subject().substring(OrganizationEvents.CODE_PREFIX.length()),
                            new Since<>(logged.logIndex(), OrganizationEvents.filer(event)));
                } else {
                    List<Since<OrganizationFacts>> timeline = ledger.facts.computeIfAbsent(organization(event.subject()), o -> new ArrayList<>());
                    OrganizationFacts before = timeline.isEmpty() ? null : timeline.get(timeline.size() - 1).value();
                    timeline.add(new Since<>(logged.logIndex(), OrganizationEvents.apply(before, event)));
                }
            } catch (ChainException | RecordFormatException e) {
                report.fail(Failure.ORGANIZATION_EVENT_INVALID, where, e.getMessage());
            }
            ledger.last.put(event.subject(), logged);
        }
        return ledger;
    }

    /** Checks a facts entry's signature: exactly one, by the log key, with the log as actor. */
    interface KeyEventSignature {
        void check(SignedRecord event) throws RecordFormatException;
    }

    private static String organization(String subject) {
        if (!subject.startsWith(OrganizationEvents.ORG_PREFIX)) {
            throw new RecordFormatException("organization facts are about " + OrganizationEvents.ORG_PREFIX + "<organization> or "
                    + OrganizationEvents.CODE_PREFIX + "<manufacturer code>, not " + subject);
        }
        return subject.substring(OrganizationEvents.ORG_PREFIX.length());
    }

    /** The organization's facts as of the entry at {@code logIndex}: what was logged before it; null if it was not registered. */
    OrganizationFacts at(String organization, long logIndex) {
        OrganizationFacts found = null;
        for (Since<OrganizationFacts> f : facts.getOrDefault(organization, List.of())) {
            if (f.logIndex() < logIndex) {
                found = f.value();
            }
        }
        return found;
    }

    /** Who had filed the manufacturer code before the entry at {@code logIndex}, or null. */
    String filerAt(String manufacturerCode, long logIndex) {
        Since<String> filed = filers.get(manufacturerCode);
        return filed != null && filed.logIndex() < logIndex ? filed.value() : null;
    }

    /**
     * Whether the bundle holds the whole chain of {@code subject} (an {@code ORG-} or {@code MFR-} subject) up
     * to the checkpoint: the map's head for it is the bundle's last entry, or the map proves it absent and the
     * bundle holds none. Reports a missing or contradicted head once per subject.
     *
     * @param map the proven labels, or null when there is no map to check against (reported already)
     */
    boolean complete(String subject, Map<String, Optional<MapValue>> map, java.util.Set<String> invalidLabels, VerificationReport report) {
        return checked.computeIfAbsent(subject, s -> HeadProofs.complete(s, last.get(s), map, invalidLabels, "organizationFacts",
                "whose facts the record rules read", report));
    }
}
