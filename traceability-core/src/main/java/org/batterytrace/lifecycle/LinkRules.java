package org.batterytrace.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.batterytrace.record.TraceRecord;

/**
 * The rules that read another chain (docs/record-format.md §9.2): a cascade product's sources, a part's
 * parent, a dismantled battery's parts, a recycled battery's lot. Pure: the caller gives a {@link View} of
 * the linked chains as they stood just before the record — the server its chain heads under the log lock,
 * the offline verifier the linked chains a bundle carries, replayed to the record's log index.
 */
public final class LinkRules {
    private LinkRules() {
    }

    public enum Violation {
        SOURCE_NOT_REGISTERED, SOURCE_NOT_REPURPOSED, PARENT_NOT_REGISTERED, PART_NOT_REGISTERED, PART_OF_ANOTHER_PARENT, PARENT_NOT_DISMANTLED, LOT_NOT_OPEN
    }

    public record Finding(Violation violation, String message) {
    }

    /** What a rule reads of a linked chain: its state and custodian, and the parent its PRODUCED named (or null). */
    public record Linked(BatteryState state, String custodian, String parent) {
    }

    /** The linked chains before the record: {@code null} for a subject with no record yet. */
    public interface View {
        Linked get(String subject);
    }

    /** Whether records of this type read another chain. */
    public static boolean reads(EventType type) {
        return switch (type) {
            case PRODUCED, ASSEMBLED, DISMANTLED, SEPARATED, RECYCLED -> true;
            default -> false;
        };
    }

    /**
     * The first violation of {@code record}'s links. Preconditions: its event data passed
     * {@link EventData#check}; for SEPARATED, {@code ownParent} is the parent the subject's own PRODUCED named.
     */
    public static Optional<Finding> check(TraceRecord record, EventType type, String ownParent, View view) {
        switch (type) {
            case PRODUCED -> {
                String parent = text(record.dataField("parent"));
                if (parent != null && view.get(parent) == null) {
                    return finding(Violation.PARENT_NOT_REGISTERED, "parent " + parent + " is not registered (register packs before their modules and cells)");
                }
            }
            case ASSEMBLED -> {
                for (JsonNode source : record.dataField("sources")) {
                    Linked s = view.get(source.asText());
                    if (s == null) {
                        return finding(Violation.SOURCE_NOT_REGISTERED, "source battery " + source.asText() + " is not registered");
                    }
                    if (s.state() != BatteryState.REPURPOSED || !s.custodian().equals(record.actor())) {
                        return finding(Violation.SOURCE_NOT_REPURPOSED, "source battery " + source.asText() + " must be REPURPOSED by " + record.actor()
                                + " first; it is " + s.state() + " at " + s.custodian());
                    }
                }
            }
            case DISMANTLED -> {
                for (JsonNode component : record.dataField("components")) {
                    Linked c = view.get(component.asText());
                    if (c == null || !record.subject().equals(c.parent())) {
                        return finding(Violation.PART_NOT_REGISTERED, "component " + component.asText() + " is not registered as part of " + record.subject());
                    }
                }
            }
            case SEPARATED -> {
                String parent = record.dataField("parent").textValue();
                if (!parent.equals(ownParent)) {
                    return finding(Violation.PART_OF_ANOTHER_PARENT, record.subject() + " is registered as part of " + ownParent + ", not " + parent);
                }
                Linked p = view.get(parent);
                if (p == null || p.state() != BatteryState.DISMANTLED || !p.custodian().equals(record.actor())) {
                    return finding(Violation.PARENT_NOT_DISMANTLED, "only the organization that DISMANTLED " + parent + " may separate its parts; it is "
                            + (p == null ? "unknown" : p.state() + " at " + p.custodian()));
                }
            }
            case RECYCLED -> {
                String lotId = record.dataField("lot").textValue();
                Linked lot = view.get(lotId);
                if (lot == null || lot.state() != BatteryState.LOT_OPEN || !lot.custodian().equals(record.actor())) {
                    return finding(Violation.LOT_NOT_OPEN, "batteries can only be RECYCLED into an open lot of the recycler's own; " + lotId + " is "
                            + (lot == null ? "unknown" : lot.state() + " at " + lot.custodian()));
                }
            }
            default -> {
            }
        }
        return Optional.empty();
    }

    /** The subjects {@code record}'s link rules read. */
    public static java.util.List<String> linkedSubjects(TraceRecord record, EventType type) {
        java.util.List<String> subjects = new java.util.ArrayList<>();
        switch (type) {
            case PRODUCED, SEPARATED -> {
                String parent = text(record.dataField("parent"));
                if (parent != null) {
                    subjects.add(parent);
                }
            }
            case ASSEMBLED -> texts(record.dataField("sources"), subjects);
            case DISMANTLED -> texts(record.dataField("components"), subjects);
            case RECYCLED -> {
                String lot = text(record.dataField("lot"));
                if (lot != null) {
                    subjects.add(lot);
                }
            }
            default -> {
            }
        }
        return subjects;
    }

    private static void texts(JsonNode array, java.util.List<String> into) {
        if (array != null && array.isArray()) {
            array.forEach(e -> {
                if (e.isTextual()) {
                    into.add(e.textValue());
                }
            });
        }
    }

    private static Optional<Finding> finding(Violation violation, String message) {
        return Optional.of(new Finding(violation, message));
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
