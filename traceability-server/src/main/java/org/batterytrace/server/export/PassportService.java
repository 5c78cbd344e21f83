package org.batterytrace.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.export.Epcis;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.RecoveryRates;
import org.batterytrace.server.battery.BatteryDtos;
import org.batterytrace.server.battery.BatteryEntity;
import org.batterytrace.server.battery.BatteryService;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.organization.OrganizationEntity;

/**
 * An EU battery-passport view (Reg. 2023/1542 Art. 77, Annex XIII) of a battery, in three access tiers:
 * public; persons with a legitimate interest (repairers, second-life operators, recyclers, and whoever
 * holds or made the battery); notified bodies / market surveillance / the Commission (here: regulators
 * and the platform administrator). Field names follow the Battery Pass data model where one exists.
 */
@ApplicationScoped
public class PassportService {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<Role> LEGITIMATE_INTEREST = Set.of(Role.REPAIRER, Role.SERVICE_POINT, Role.DISMANTLER, Role.CASCADE_ENTERPRISE, Role.RECYCLER);

    @Inject
    BatteryService batteries;

    public enum Tier {
        PUBLIC("public"), LEGITIMATE_INTEREST("legitimate-interest"), AUTHORITY("authority");

        final String label;

        Tier(String label) {
            this.label = label;
        }
    }

    /** Regulators and the administrator see everything; legitimate-interest roles, the custodian and the maker see the individual battery's data. */
    public static Tier tier(boolean admin, OrganizationEntity caller, BatteryEntity battery) {
        if (admin || (caller != null && caller.roleSet().contains(Role.REGULATOR))) {
            return Tier.AUTHORITY;
        }
        if (caller != null && (caller.id.equals(battery.custodian) || caller.id.equals(battery.maker)
                || caller.roleSet().stream().anyMatch(LEGITIMATE_INTEREST::contains))) {
            return Tier.LEGITIMATE_INTEREST;
        }
        return Tier.PUBLIC;
    }

    public ObjectNode passport(String code, Tier tier) {
        BatteryDtos.Details d = batteries.details(code);
        BatteryEntity battery = batteries.require(code);
        List<LogEntryEntity> history = batteries.history(code);
        TraceRecord genesis = history.get(0).signedRecord().record();
        BatteryCode parsed = BatteryCode.parse(code);
        BatteryState state = battery.state;

        ObjectNode p = F.objectNode();
        p.put("passportFormat", "batterytrace-passport/1");
        p.put("accessTier", tier.label);
        p.put("batteryIdentifier", code);
        p.put("uniqueIdentifier", Epcis.id(code));
        // Art. 77(7): the passport ceases once the battery is recycled; a repurposed battery's continues in its successor's.
        p.put("passportStatus", state == BatteryState.RECYCLED ? "ENDED" : state == BatteryState.REPURPOSED ? "SUPERSEDED" : "ACTIVE");

        ObjectNode general = p.putObject("generalProductInformation");
        general.put("productIdentifier", code);
        general.put("batteryCategory", battery.cascadeProduct ? "stationary" : "ev");
        general.put("productLevel", parsed.level().name());
        general.put("manufacturerIdentification", battery.maker);
        Optional.ofNullable(OrganizationEntity.<OrganizationEntity>findById(battery.maker)).ifPresent(o -> general.put("manufacturerName", o.name));
        general.put("manufacturingDate", battery.productionDate.toString());
        if (battery.massGrams != null) {
            general.put("batteryMassGrams", battery.massGrams);
        }
        general.put("batteryStatus", status(battery));
        p.putObject("materialComposition").putObject("batteryChemistry").put("shortName", String.valueOf(parsed.chemistry().code()))
                .put("clearName", parsed.chemistry().description());
        ObjectNode declared = p.putObject("declaredPerformance");
        genesis.data().fields().forEachRemaining(f -> {
            if (!Set.of("parent", "sources").contains(f.getKey())) {
                declared.set(f.getKey(), f.getValue());
            }
        });
        ObjectNode circularity = p.putObject("circularity");
        strings(circularity.putArray("predecessors"), d.sources());
        strings(circularity.putArray("successors"), d.reusedIn());
        if (d.parent() != null) {
            circularity.put("partOf", d.parent());
        }
        strings(circularity.putArray("components"), d.components());
        if (tier == Tier.PUBLIC) {
            return p;
        }

        ObjectNode individual = p.putObject("legitimateInterest");
        individual.put("custodian", battery.custodian);
        individual.put("lifecycleState", state.name());
        last(history, EventType.TESTED).ifPresent(test -> {
            JsonNode t = test.data();
            ObjectNode soh = individual.putObject("stateOfHealth");
            soh.put("method", "GB/T 34015 residual-capacity test");
            soh.put("testedAt", test.time());
            soh.put("testedBy", test.actor());
            soh.put("capacityRatioPercent", RecoveryRates.percent(t.get("capacityRatioBp").intValue()));
            soh.put("remainingCapacityMah", t.get("measuredCapacityMah").longValue());
            soh.put("remainingEnergyWh", t.get("measuredEnergyWh").longValue());
            soh.put("internalResistanceMicroOhm", t.get("internalResistanceMicroOhm").longValue());
            soh.put("decision", t.get("decision").textValue());
        });
        ObjectNode usage = individual.putObject("usage");
        for (EventType type : List.of(EventType.MAINTAINED, EventType.SWAPPED, EventType.REPLACED, EventType.TRANSFERRED)) {
            usage.put(type.name().toLowerCase(java.util.Locale.ROOT), history.stream().filter(e -> e.type.equals(type.name())).count());
        }
        last(history, EventType.RECYCLED).ifPresent(r -> individual.put("recyclingLot", r.data().get("lot").textValue()));
        if (tier == Tier.LEGITIMATE_INTEREST) {
            return p;
        }

        ObjectNode authority = p.putObject("authority");
        ArrayNode certificates = authority.putArray("certificates");
        history.stream().filter(e -> e.type.equals(EventType.CERTIFIED.name())).forEach(e -> certificates.add(e.signedRecord().record().data()));
        ArrayNode records = authority.putArray("records");
        history.forEach(e -> records.addObject().put("seq", e.seq).put("type", e.type).put("time", e.recordTime.toString()).put("actor", e.actor)
                .put("logIndex", e.idx).put("hash", e.hash));
        authority.put("evidence", "/api/v1/batteries/" + code + "/evidence");
        return p;
    }

    /** Battery Pass {@code batteryStatus}: Original, Repurposed or Waste. */
    private static String status(BatteryEntity b) {
        if (b.cascadeProduct) {
            return b.state.isWaste() || b.state == BatteryState.RECYCLED ? "Waste" : "Repurposed";
        }
        if (b.state == BatteryState.REPURPOSED) {
            return "Repurposed";
        }
        return b.state.isWaste() || b.state == BatteryState.RECYCLED ? "Waste" : "Original";
    }

    private static Optional<TraceRecord> last(List<LogEntryEntity> history, EventType type) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).type.equals(type.name())) {
                return Optional.of(history.get(i).signedRecord().record());
            }
        }
        return Optional.empty();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
