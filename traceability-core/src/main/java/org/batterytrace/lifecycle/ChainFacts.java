package org.batterytrace.lifecycle;

import java.time.LocalDate;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.record.TraceRecord;

/**
 * Rules that depend on earlier records of the same chain rather than on its state alone: only a battery
 * whose latest residual-capacity test decided CASCADE may be REPURPOSED, a cascade product may only be
 * DEPLOYED while its certificate is valid, and passport data is signed by the economic operator (the
 * organization that opened the chain with PRODUCED or ASSEMBLED, Art. 77(4) and 77(6)) or, for dynamic
 * data, by the custodian operating the battery. The server and the offline verifier replay the same facts.
 */
public final class ChainFacts {
    private EventData.TestDecision lastDecision;
    private LocalDate certifiedFrom;
    private LocalDate certifiedUntil;
    private String operator;

    /**
     * Checks {@code record} (already known to be well-formed) against what the chain has said so far.
     *
     * @param before the chain's status before the record; {@code null} for its first record
     */
    public void check(EventType type, TraceRecord record, CustodyStatus before) {
        if (type == EventType.REPURPOSED && lastDecision != EventData.TestDecision.CASCADE) {
            throw new EventDataException("type", "only a battery whose latest GB/T 34015 test decided CASCADE may be REPURPOSED; the latest decision is "
                    + (lastDecision == null ? "missing" : lastDecision));
        }
        if (type == EventType.DEPLOYED) {
            LocalDate day = ChinaTime.date(record.instant()); // certificates are valid on Beijing calendar days
            if (certifiedFrom == null || day.isBefore(certifiedFrom) || day.isAfter(certifiedUntil)) {
                throw new EventDataException("time", "a cascade product may only be DEPLOYED while its certificate is valid; "
                        + (certifiedFrom == null ? "it has none" : "it is valid " + certifiedFrom + " to " + certifiedUntil + ", not on " + day));
            }
        }
        if (type == EventType.PASSPORT_DECLARED && !record.actor().equals(operator)) {
            throw new EventDataException("actor", "the passport declaration is signed by the battery's economic operator " + operator + ", not " + record.actor());
        }
        if (type == EventType.PASSPORT_UPDATED && !record.actor().equals(operator) && (before == null || !record.actor().equals(before.custodian()))) {
            throw new EventDataException("actor", "dynamic passport data is signed by the custodian " + (before == null ? "" : before.custodian() + " ")
                    + "or the economic operator " + operator + ", not " + record.actor());
        }
    }

    /** Remembers what {@code record} establishes for later records of the chain. */
    public void observe(EventType type, TraceRecord record) {
        if (type == EventType.TESTED) {
            lastDecision = EventData.decision(record.data());
        } else if (type == EventType.CERTIFIED) {
            LocalDate[] validity = EventData.certificateValidity(record.data());
            certifiedFrom = validity[0];
            certifiedUntil = validity[1];
        } else if (Lifecycle.rule(type).isGenesis()) {
            operator = record.actor();
        }
    }

    /** An independent copy, for a caller that may have to discard what it observes next. */
    public ChainFacts copy() {
        ChainFacts copy = new ChainFacts();
        copy.lastDecision = lastDecision;
        copy.certifiedFrom = certifiedFrom;
        copy.certifiedUntil = certifiedUntil;
        copy.operator = operator;
        return copy;
    }

    /** Checks, then observes. */
    public void apply(EventType type, TraceRecord record, CustodyStatus before) {
        check(type, record, before);
        observe(type, record);
    }
}
