package org.batterytrace.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.batterytrace.export.Epcis;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.recycling.LotId;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.recycling.LotDtos;
import org.batterytrace.server.recycling.LotService;

/**
 * EPCIS 2.0 events of chains, lots and time windows, from the logged records. Chains are always mapped
 * whole (the mapping replays them), then cut to what was asked for.
 */
@ApplicationScoped
public class EpcisService {
    /** Where {@link Epcis#context()} is served, under the application root. */
    public static final String CONTEXT_PATH = "/api/v1/epcis/context.jsonld";
    /** Keys per IN list, well below every database's parameter limit. */
    private static final int CHUNK = 500;

    @Inject
    LotService lots;

    /** The EPCIS query parameters this server implements (EPCIS 2.0 REST binding, SimpleEventQuery); null or empty = no filter. */
    public record Query(Instant geEventTime, Instant ltEventTime, Set<String> eventTypes, Set<String> bizSteps, Set<String> epcs, Set<String> anyEpcs,
            int perPage, String nextPageToken) {
    }

    /** One page of a query and the token of the next one (null on the last page). */
    public record Page(List<ObjectNode> events, String nextPageToken) {
    }

    /** The events of one battery's chain. */
    public List<ObjectNode> chain(List<LogEntryEntity> chain) {
        return Epcis.events(logged(chain), identifiers(chain));
    }

    /**
     * A lot's events: its own chain (opened, closed with its outputs) and the RECYCLED records that fed it,
     * which are the inputs of the same transformation.
     */
    public List<ObjectNode> lot(String lotId) {
        List<LogEntryEntity> own = lots.history(lotId);
        List<String> inputs = lots.inputs(lotId).stream().map(LotDtos.Input::battery).toList();
        List<LogEntryEntity> fed = new ArrayList<>();
        for (List<String> chunk : chunks(inputs)) {
            fed.addAll(LogEntryEntity.<LogEntryEntity>list("subject in ?1 and type = ?2", chunk, EventType.RECYCLED.name()));
        }
        fed.removeIf(e -> !lotId.equals(text(e.signedRecord().record().data().get("lot"))));
        List<LogEntryEntity> all = new ArrayList<>(own);
        all.addAll(fed);
        all.sort(Comparator.comparingLong(e -> e.idx));
        Epcis.Identifiers ids = identifiers(all);
        // Each RECYCLED record maps on its own: its event depends on nothing earlier in the battery's chain.
        List<ObjectNode> events = new ArrayList<>();
        for (LogEntryEntity e : all) {
            events.addAll(Epcis.events(List.of(logged(e)), ids));
        }
        return events;
    }

    /**
     * A page of the events of records whose event time is in the window, in log order, of the chains
     * {@code readable} keeps (the caller's read policy; a page may hold fewer events than perPage).
     */
    public Page query(Query q, java.util.function.Function<java.util.Collection<String>, Set<String>> readable) {
        long after = after(q.nextPageToken());
        List<LogEntryEntity> entries = LogEntryEntity.<LogEntryEntity>find("recordTime >= ?1 and recordTime < ?2 and type in ?3 and idx > ?4 order by idx",
                q.geEventTime(), q.ltEventTime(), EventType.names(), after).page(0, q.perPage() + 1).list();
        boolean more = entries.size() > q.perPage();
        if (more) {
            entries = entries.subList(0, q.perPage());
        }
        String last = more ? token(entries.get(entries.size() - 1).idx) : null;
        Set<String> allowed = readable.apply(entries.stream().map(e -> e.subject).collect(java.util.stream.Collectors.toSet()));
        entries = entries.stream().filter(e -> allowed.contains(e.subject)).toList();
        Map<String, Long> pageHashes = new HashMap<>();
        Set<String> subjects = new LinkedHashSet<>();
        entries.forEach(e -> {
            pageHashes.put(e.hash, e.idx);
            subjects.add(e.subject);
        });
        Map<String, List<LogEntryEntity>> chains = new LinkedHashMap<>();
        for (List<String> chunk : chunks(List.copyOf(subjects))) {
            for (LogEntryEntity e : LogEntryEntity.<LogEntryEntity>list("subject in ?1 order by subject, seq", chunk)) {
                chains.computeIfAbsent(e.subject, s -> new ArrayList<>()).add(e);
            }
        }
        List<LogEntryEntity> all = chains.values().stream().flatMap(List::stream).toList();
        Epcis.Identifiers ids = identifiers(all);
        List<ObjectNode> events = new ArrayList<>();
        for (List<LogEntryEntity> chain : chains.values()) {
            for (ObjectNode event : Epcis.events(logged(chain), ids)) {
                if (pageHashes.containsKey(event.get("bt:recordHash").asText()) && matches(event, q)) {
                    events.add(event);
                }
            }
        }
        // Log order across chains; a record's own events keep their order (the sort is stable).
        events.sort(Comparator.comparingLong(e -> pageHashes.get(e.get("bt:recordHash").asText())));
        return new Page(events, last);
    }

    private static boolean matches(ObjectNode event, Query q) {
        if (!empty(q.eventTypes()) && !q.eventTypes().contains(event.get("type").asText())) {
            return false;
        }
        if (!empty(q.bizSteps())) {
            String step = event.path("bizStep").asText("");
            if (q.bizSteps().stream().noneMatch(s -> s.equals(step) || s.endsWith("BizStep-" + step) || s.endsWith("/" + step))) {
                return false;
            }
        }
        if (!empty(q.epcs()) && !anyOf(event, q.epcs(), "epcList", "childEPCs")) {
            return false;
        }
        return empty(q.anyEpcs()) || anyOf(event, q.anyEpcs(), "epcList", "childEPCs", "inputEPCList", "outputEPCList", "parentID");
    }

    private static boolean anyOf(ObjectNode event, Set<String> wanted, String... members) {
        for (String member : members) {
            JsonNode value = event.get(member);
            if (value == null) {
                continue;
            }
            if (value.isTextual() ? wanted.contains(value.textValue()) : wanted.stream().anyMatch(w -> contains(value, w))) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean empty(Set<String> set) {
        return set == null || set.isEmpty();
    }

    /** The opaque page token: the last log index of the page, base64url. */
    static String token(long idx) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + idx).getBytes(StandardCharsets.UTF_8));
    }

    private static long after(String token) {
        if (token == null || token.isBlank()) {
            return -1;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith("after:")) {
                return Long.parseLong(text.substring(6));
            }
        } catch (IllegalArgumentException e) {
            // fall through to the problem
        }
        throw new ProblemException(ProblemKind.BAD_PAGE_TOKEN, "nextPageToken is not one this server issued");
    }

    /** GS1 Digital Link identifiers for the batteries among the chains' subjects and references whose maker declared a GTIN. */
    private static Epcis.Identifiers identifiers(List<LogEntryEntity> entries) {
        Set<String> codes = new LinkedHashSet<>();
        for (LogEntryEntity e : entries) {
            if (!LotId.looksLikeLot(e.subject)) {
                codes.add(e.subject);
            }
            JsonNode data = e.signedRecord().record().data();
            for (String member : List.of("parent", "sources", "components")) {
                JsonNode value = data.get(member);
                if (value != null && value.isTextual()) {
                    codes.add(value.textValue());
                } else if (value != null && value.isArray()) {
                    value.forEach(v -> codes.add(v.asText()));
                }
            }
        }
        Map<String, String> gtins = new HashMap<>();
        for (List<String> chunk : chunks(List.copyOf(codes))) {
            for (LogEntryEntity d : LogEntryEntity.<LogEntryEntity>list("subject in ?1 and type = ?2 order by idx", chunk, EventType.PASSPORT_DECLARED.name())) {
                String gtin = text(d.signedRecord().record().data().get("gtin"));
                if (gtin != null) {
                    gtins.put(d.subject, gtin);
                }
            }
        }
        return gtins.isEmpty() ? Epcis.Identifiers.urns() : Epcis.Identifiers.withGtins(gtins);
    }

    private static List<Epcis.Logged> logged(List<LogEntryEntity> chain) {
        return chain.stream().map(EpcisService::logged).toList();
    }

    private static Epcis.Logged logged(LogEntryEntity e) {
        return new Epcis.Logged(e.signedRecord(), e.acceptedAt, e.idx);
    }

    private static List<List<String>> chunks(List<String> keys) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += CHUNK) {
            chunks.add(keys.subList(i, Math.min(keys.size(), i + CHUNK)));
        }
        return chunks;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
