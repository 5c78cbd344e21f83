package org.batterytrace.server.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.export.Epcis;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.recycling.LotDtos;
import org.batterytrace.server.recycling.LotService;

/** EPCIS 2.0 documents of a chain or of a time window, from the logged records. */
@ApplicationScoped
public class EpcisService {

    @Inject
    LotService lots;

    public ObjectNode document(List<LogEntryEntity> entries) {
        List<ObjectNode> events = new ArrayList<>(entries.size());
        for (LogEntryEntity e : entries) {
            List<String> inputs = EventType.LOT_CLOSED.name().equals(e.type) ? lots.inputs(e.subject).stream().map(LotDtos.Input::battery).toList() : List.of();
            events.add(Epcis.event(e.signedRecord(), new Epcis.Context(e.acceptedAt, e.idx, inputs)));
        }
        return Epcis.document(events, Instant.now());
    }

    /** Records whose event time is in [from, to), in log order, at most {@code limit}. */
    public List<LogEntryEntity> window(Instant from, Instant to, int limit) {
        return LogEntryEntity.<LogEntryEntity>find("recordTime >= ?1 and recordTime < ?2 and type in ?3 order by idx", from, to, EventType.names()).page(0, limit).list();
    }
}
