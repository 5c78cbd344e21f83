package org.batterytrace.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.LifecycleViolationException;
import org.batterytrace.lifecycle.LinkRules;
import org.batterytrace.log.map.MapValue;
import org.batterytrace.record.ChainException;
import org.batterytrace.record.Chains;
import org.batterytrace.record.TraceRecord;

/**
 * The chains a bundle's records link to ({@link EvidenceBundle#linkedRecords()}): each checked for inclusion
 * and continuity and replayed through the lifecycle table, so that {@link LinkRules} can read a linked
 * battery's or lot's state, custodian and parent as they stood just before a record. Signatures of linked
 * records are not checked here: they are in the log (inclusion), and each linked chain's own bundle proves them.
 */
final class LinkedChains {
    /** The linked chain's state after the entry at a log index. */
    private record After(long logIndex, LinkRules.Linked linked) {
    }

    private final Map<String, List<After>> timelines = new HashMap<>();
    private final Map<String, LoggedRecord> last = new HashMap<>();
    private final Map<String, Boolean> checked = new HashMap<>();

    static LinkedChains read(List<LoggedRecord> entries, BiConsumer<LoggedRecord, String> inclusion, VerificationReport report) {
        LinkedChains chains = new LinkedChains();
        Map<String, CustodyStatus> status = new HashMap<>();
        Map<String, String> parents = new HashMap<>();
        Map<String, Boolean> replayable = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = "linkedRecords[" + i + "]";
            LoggedRecord logged = entries.get(i);
            TraceRecord record = logged.entry().record();
            String subject = record.subject();
            inclusion.accept(logged, where);
            LoggedRecord previous = chains.last.get(subject);
            try {
                Chains.checkNext(subject, previous == null ? 0 : previous.entry().record().seq(), previous == null ? null : previous.entry().hash(),
                        previous == null ? null : previous.entry().record().instant(), record);
                if (previous != null && previous.logIndex() >= logged.logIndex()) {
                    throw new ChainException(ChainException.Kind.SEQ_GAP, "entries of " + subject + " must be in log order");
                }
            } catch (ChainException e) {
                report.fail(Failure.CHAIN_BROKEN, where, e.getMessage());
            }
            chains.last.put(subject, logged);
            Optional<EventType> type = EventType.fromName(record.type());
            if (replayable.getOrDefault(subject, true) && type.isPresent()) {
                try {
                    String receiver = type.get() == EventType.TRANSFERRED && record.dataField("to") != null ? record.dataField("to").asText() : null;
                    status.put(subject, Lifecycle.apply(status.get(subject), type.get(), record.actor(), null, receiver));
                    if (record.seq() == 1 && record.dataField("parent") != null && record.dataField("parent").isTextual()) {
                        parents.put(subject, record.dataField("parent").textValue());
                    }
                } catch (LifecycleViolationException e) {
                    replayable.put(subject, false); // its state stays what it was before: its own bundle fails
                }
            }
            CustodyStatus now = status.get(subject);
            if (now != null) {
                chains.timelines.computeIfAbsent(subject, s -> new ArrayList<>())
                        .add(new After(logged.logIndex(), new LinkRules.Linked(now.state(), now.custodian(), parents.get(subject))));
            }
        }
        return chains;
    }

    /** The linked chains as they stood before the entry at {@code logIndex}. */
    LinkRules.View before(long logIndex) {
        return subject -> {
            LinkRules.Linked found = null;
            for (After a : timelines.getOrDefault(subject, List.of())) {
                if (a.logIndex() < logIndex) {
                    found = a.linked();
                }
            }
            return found;
        };
    }

    /** Whether the bundle holds the whole linked chain of {@code subject} up to the checkpoint ({@link HeadProofs}); reported once per subject. */
    boolean complete(String subject, Map<String, Optional<MapValue>> map, Set<String> invalidLabels, VerificationReport report) {
        return checked.computeIfAbsent(subject, s -> HeadProofs.complete(s, last.get(s), map, invalidLabels, "linkedRecords",
                "whose chain a link rule reads", report));
    }
}
