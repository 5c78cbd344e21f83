package org.batterytrace.lifecycle;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.batterytrace.record.TraceRecord;

/**
 * Rules that depend on earlier records of the same chain rather than on its state alone: only a battery
 * whose latest residual-capacity test decided CASCADE may be REPURPOSED, and a cascade product may only
 * be DEPLOYED while its certificate is valid. The server and the offline verifier replay the same facts.
 */
public final class ChainFacts {
    private EventData.TestDecision lastDecision;
    private LocalDate certifiedFrom;
    private LocalDate certifiedUntil;

    /** Checks {@code record} (already known to be well-formed) against what the chain has said so far. */
    public void check(EventType type, TraceRecord record) {
        if (type == EventType.REPURPOSED && lastDecision != EventData.TestDecision.CASCADE) {
            throw new EventDataException("type", "only a battery whose latest GB/T 34015 test decided CASCADE may be REPURPOSED; the latest decision is "
                    + (lastDecision == null ? "missing" : lastDecision));
        }
        if (type == EventType.DEPLOYED) {
            LocalDate day = record.instant().atZone(ZoneOffset.UTC).toLocalDate();
            if (certifiedFrom == null || day.isBefore(certifiedFrom) || day.isAfter(certifiedUntil)) {
                throw new EventDataException("time", "a cascade product may only be DEPLOYED while its certificate is valid; "
                        + (certifiedFrom == null ? "it has none" : "it is valid " + certifiedFrom + " to " + certifiedUntil + ", not on " + day));
            }
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
        }
    }

    /** Checks, then observes. */
    public void apply(EventType type, TraceRecord record) {
        check(type, record);
        observe(type, record);
    }
}
