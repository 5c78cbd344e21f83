package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventData;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.LotId;
import org.batterytrace.server.battery.BatteryEntity;
import org.batterytrace.server.key.KeyService;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.record.RecordDtos.PrepareRequest;
import org.batterytrace.server.record.RecordDtos.Prepared;
import org.batterytrace.server.recycling.LotEntity;
import org.batterytrace.server.time.TraceClock;

/** Builds the next record of a battery's chain for the caller to sign, and checks it early. */
@ApplicationScoped
public class PrepareService {
    @Inject
    TraceClock clock;

    public Prepared prepare(PrepareRequest request, OrganizationEntity actor) {
        EventType type = EventType.fromName(request.type()).orElseThrow(() -> ProblemException.badRequest("unknown-event-type",
                "unknown record type " + request.type() + "; expected one of " + java.util.Arrays.toString(EventType.values())));
        ChainHead head = head(request.subject());
        String kind = LotId.looksLikeLot(request.subject()) ? "lot" : "battery";
        if (head == null && !Lifecycle.rule(type).isGenesis()) {
            throw ProblemException.notFound(kind + "-not-found", "no " + kind + " " + request.subject() + "; open it with PRODUCED, ASSEMBLED or LOT_OPENED first");
        }
        if (head != null && Lifecycle.rule(type).isGenesis()) {
            throw ProblemException.conflict(kind + "-exists", kind + " " + request.subject() + " is already registered");
        }
        ObjectNode data = request.data() == null ? Json.object() : request.data();
        Instant time = request.time() == null ? clock.now() : TraceRecord.parseTime(request.time());
        TraceRecord record = TraceRecord.of(request.subject(), head == null ? 1 : head.seq() + 1, head == null ? null : head.hash(), type.name(), time, actor.id, data);
        EventData.check(type, record);
        String receiver = type == EventType.TRANSFERRED && data.hasNonNull("to") ? data.get("to").asText() : null;
        // Early feedback only; the submit re-checks everything under the log lock.
        Lifecycle.apply(head == null ? null : new CustodyStatus(head.state(), head.custodian()), type, actor.id, actor.roleSet(), receiver);
        byte[] canonical = record.canonicalBytes();
        return new Prepared(record.toJson(), new String(canonical, StandardCharsets.UTF_8), Hashes.base64Url(canonical));
    }

    private static ChainHead head(String subject) {
        if (LotId.looksLikeLot(subject)) {
            LotId.parse(subject);
            LotEntity lot = LotEntity.findById(subject);
            return lot == null ? null : new ChainHead(lot.headSeq, lot.headHash, lot.state, lot.custodian, lot.updatedAt, null);
        }
        BatteryCode.parse(subject);
        BatteryEntity battery = BatteryEntity.findById(subject);
        return battery == null ? null : new ChainHead(battery.headSeq, battery.headHash, battery.state, battery.custodian, battery.updatedAt, battery.parentCode);
    }
}
