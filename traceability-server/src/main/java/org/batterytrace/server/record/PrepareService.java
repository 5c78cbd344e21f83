package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.battery.BatteryEntity;
import org.batterytrace.server.key.KeyService;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.record.RecordDtos.PrepareRequest;
import org.batterytrace.server.record.RecordDtos.Prepared;

/** Builds the next record of a battery's chain for the caller to sign, and checks it early. */
@ApplicationScoped
public class PrepareService {

    public Prepared prepare(PrepareRequest request, OrganizationEntity actor) {
        EventType type = EventType.fromName(request.type()).orElseThrow(() -> ProblemException.badRequest("unknown-event-type",
                "unknown record type " + request.type() + "; expected one of " + java.util.Arrays.toString(EventType.values())));
        BatteryCode.parse(request.subject());
        BatteryEntity battery = BatteryEntity.findById(request.subject());
        if (battery == null && !Lifecycle.rule(type).isGenesis()) {
            throw ProblemException.notFound("battery-not-found", "no battery " + request.subject() + "; register it with PRODUCED or ASSEMBLED first");
        }
        if (battery != null && Lifecycle.rule(type).isGenesis()) {
            throw ProblemException.conflict("battery-exists", "battery " + request.subject() + " is already registered");
        }
        ObjectNode data = request.data() == null ? Json.object() : request.data();
        EventDataRules.check(type, data);
        String receiver = type == EventType.TRANSFERRED && data.hasNonNull("to") ? data.get("to").asText() : null;
        // Early feedback only; the submit re-checks everything under the log lock.
        Lifecycle.apply(battery == null ? null : battery.status(), type, actor.id, actor.roleSet(), receiver);
        Instant time = request.time() == null ? KeyService.now() : TraceRecord.parseTime(request.time());
        TraceRecord record = TraceRecord.of(request.subject(), battery == null ? 1 : battery.headSeq + 1, battery == null ? null : battery.headHash,
                type.name(), time, actor.id, data);
        byte[] canonical = record.canonicalBytes();
        return new Prepared(record.toJson(), new String(canonical, StandardCharsets.UTF_8), Hashes.base64Url(canonical));
    }
}
