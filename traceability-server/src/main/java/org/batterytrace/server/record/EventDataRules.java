package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import org.batterytrace.identity.Vin;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.server.problem.ProblemException;

/** What an event's data must contain before the server accepts it. */
final class EventDataRules {
    private EventDataRules() {
    }

    /** Vehicle binding needs a real VIN (17 characters, GB 16735 check digit). */
    static void check(EventType type, JsonNode data) {
        if (type == EventType.INSTALLED || type == EventType.SWAPPED) {
            JsonNode vin = data == null ? null : data.get("vin");
            if (vin == null || !vin.isTextual()) {
                throw ProblemException.unprocessable("vin-required", type + " binds the battery to a vehicle: data.vin must hold its 17-character VIN");
            }
            Vin.parse(vin.textValue());
        }
    }
}
