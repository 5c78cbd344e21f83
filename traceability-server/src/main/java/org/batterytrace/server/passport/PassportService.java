package org.batterytrace.server.passport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.batterytrace.export.Epcis;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.passport.Attribute;
import org.batterytrace.passport.AttributeTable;
import org.batterytrace.passport.Kind;
import org.batterytrace.passport.Tier;
import org.batterytrace.record.Json;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.RecoveryRates;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.battery.BatteryDtos;
import org.batterytrace.server.battery.BatteryEntity;
import org.batterytrace.server.battery.BatteryService;
import org.batterytrace.server.facts.FactsCache;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.organization.OrganizationEntity;

/**
 * The EU battery passport of a battery (Reg. (EU) 2023/1542 Art. 77, Annex XIII) in the sections of the
 * Battery Pass data model 1.2.0: what the economic operator declared (PASSPORT_DECLARED), the dynamic data
 * signed since (PASSPORT_UPDATED, GB/T 34015 tests), and what the platform derives from the chain, filtered
 * for the reader's tier by the attribute table alone ({@link AttributeTable#filter}).
 */
@ApplicationScoped
public class PassportService {
    public static final String FORMAT = "batterytrace-passport/2";
    /** The seven Battery Pass 1.2.0 sections, as members of the passport. */
    public static final List<String> SECTIONS = List.of("generalProductInformation", "carbonFootprint", "supplyChainDueDiligence", "materialComposition",
            "circularity", "performanceAndDurability", "labels");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> UPDATE_TIMES = Set.of("lastUpdate", "rPCLastUpdated");

    @Inject
    BatteryService batteries;
    @Inject
    ObjectMapper mapper;
    @Inject
    FactsCache facts;
    @Inject
    TraceConfig config;
    @Inject
    MeterRegistry metrics;

    private PublicPassports publicPassports;
    private volatile boolean keepPublic = true;

    /**
     * The public tier's passports are kept only where a shared cache may keep them too: when the pages' base
     * URL is configured (else the page names an address from each request's Host header, and the public
     * answer is {@code private}).
     */
    @PostConstruct
    void keepPublicPassports() {
        boolean shareable = config.passport().baseUrl().isPresent();
        publicPassports = new PublicPassports(shareable ? config.passport().publicMaxAge() : Duration.ZERO, config.passport().publicCacheEntries(),
                System::nanoTime);
    }

    /** Switches keeping public passports off and on at run time: only for same-run benchmarks of both. */
    public void keepPublicPassports(boolean on) {
        keepPublic = on;
    }

    private boolean keeping() {
        return keepPublic && publicPassports().enabled();
    }

    /** The public tier's passports as built ({@link PublicPassports}). */
    public PublicPassports publicPassports() {
        return publicPassports;
    }

    /** The passport of {@code code} as a reader of {@code tier} sees it; {@code pageUrl} is its public page. */
    public ObjectNode passport(String code, Tier tier, String pageUrl) {
        if (tier == Tier.PUBLIC && keeping()) {
            return (ObjectNode) Json.parse(passportJson(code, tier, pageUrl));
        }
        return filtered(code, tier, pageUrl);
    }

    /** {@link #passport} as the JSON bytes of the answer; the public tier's from {@link PublicPassports}. */
    public byte[] passportJson(String code, Tier tier, String pageUrl) {
        if (tier != Tier.PUBLIC || !keeping()) {
            return json(filtered(code, tier, pageUrl));
        }
        return publicPassports().get(code, "json", pageUrl, facts.cached().version(), () -> {
            metrics.counter("trace.passport.public.built").increment();
            return json(filtered(code, tier, pageUrl));
        });
    }

    /**
     * A form of the passport made from it by {@code render} (the page in a language): the public tier's kept
     * with the passport itself, other tiers rendered afresh.
     */
    public byte[] rendered(String code, Tier tier, String pageUrl, String form, Function<ObjectNode, byte[]> render) {
        if (tier != Tier.PUBLIC || !keeping()) {
            return render.apply(passport(code, tier, pageUrl));
        }
        return publicPassports().get(code, form, pageUrl, facts.cached().version(), () -> render.apply(passport(code, tier, pageUrl)));
    }

    /** The passport built from the records and filtered for {@code tier} by the attribute table. */
    private ObjectNode filtered(String code, Tier tier, String pageUrl) {
        return AttributeTable.get().filter(full(code, tier, pageUrl), tier);
    }

    private byte[] json(ObjectNode passport) {
        try {
            return mapper.writeValueAsBytes(passport);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a passport that cannot be written as JSON", e);
        }
    }

    /** Everything the records supply, before filtering. */
    ObjectNode full(String code, Tier tier, String pageUrl) {
        BatteryEntity battery = batteries.require(code);
        BatteryDtos.Details d = batteries.details(code);
        List<LogEntryEntity> history = batteries.history(code);
        BatteryCode parsed = BatteryCode.parse(code);
        BatteryState state = battery.state;

        ObjectNode p = F.objectNode();
        p.put("passportFormat", FORMAT);
        p.put("accessTier", tier.label());
        p.put("batteryIdentifier", code);
        p.put("passportUrl", pageUrl);
        // Art. 77(7): the passport ceases once the battery is recycled; a repurposed battery's continues in its successor's (Art. 77(6)).
        p.put("passportStatus", state == BatteryState.RECYCLED ? "ENDED" : state == BatteryState.REPURPOSED ? "SUPERSEDED" : "ACTIVE");

        ObjectNode extra = F.objectNode();
        String statusUpdate = null;
        String inService = null;
        for (LogEntryEntity e : history) {
            TraceRecord r = e.signedRecord().record();
            switch (EventType.valueOf(e.type)) {
                case PASSPORT_DECLARED -> merge(p, signed(r.data(), extra), "", r.time(), false);
                case PASSPORT_UPDATED -> {
                    merge(p, signed(r.data(), extra), "", r.time(), true);
                    JsonNode status = r.data().path("generalProductInformation").path("batteryStatus");
                    statusUpdate = status.isTextual() ? status.textValue() : statusUpdate;
                }
                case TESTED -> {
                    ObjectNode condition = object(object(p, "performanceAndDurability"), "batteryCondition");
                    condition.putObject("remainingCapacity").put("remainingCapacityValue", scaled(r.data().get("measuredCapacityMah").longValue()))
                            .put("lastUpdate", r.time());
                    condition.putObject("remainingEnergy").put("remainingEnergyalue", scaled(r.data().get("measuredEnergyWh").longValue()))
                            .put("lastUpdate", r.time());
                }
                case SOLD, DEPLOYED -> inService = inService == null ? r.time() : inService;
                default -> {
                }
            }
        }
        if (!extra.isEmpty()) {
            p.set("additionalDeclarations", extra);
        }
        if (p.has("gtin")) {
            p.put("digitalLink", Epcis.digitalLink(p.get("gtin").textValue(), code));
        }

        ObjectNode general = object(p, "generalProductInformation");
        general.put("productIdentifier", code);
        general.put("batteryPassportIdentifier", "urn:batterytrace:" + code.toLowerCase(Locale.ROOT));
        putIfAbsent(general, "batteryCategory", battery.cascadeProduct ? "stationary" : "ev");
        OrganizationEntity maker = OrganizationEntity.findById(battery.maker);
        defaults(object(general, "manufacturerInformation"), maker);
        // The economic operator placing the battery on the market: the maker, or for a cascade product the cascade enterprise (Art. 77(6)).
        defaults(object(general, "operatorInformation"), maker);
        putIfAbsent(general, "manufacturingDate", battery.productionDate + "T00:00:00Z");
        if (!general.has("batteryMass") && battery.massGrams != null) {
            general.set("batteryMass", DecimalNode.valueOf(scaled(battery.massGrams)));
        }
        // What the chain establishes (repurposed, waste) outranks an earlier signed status; otherwise the latest signed one counts.
        String derived = status(battery);
        general.put("batteryStatus", derived.equals("Original") && statusUpdate != null ? statusUpdate : derived);
        if (inService != null) {
            general.put("puttingIntoService", inService);
        }
        ObjectNode chemistry = object(object(p, "materialComposition"), "batteryChemistry");
        putIfAbsent(chemistry, "shortName", parsed.chemistry().name());
        putIfAbsent(chemistry, "clearName", parsed.chemistry().description());

        ObjectNode links = p.putObject("links");
        strings(links.putArray("predecessors"), d.sources());
        strings(links.putArray("successors"), d.reusedIn());
        if (d.parent() != null) {
            links.put("partOf", d.parent());
        }
        strings(links.putArray("components"), d.components());

        ObjectNode lifecycle = p.putObject("lifecycle");
        lifecycle.put("state", state.name());
        lifecycle.put("custodian", battery.custodian);
        last(history, EventType.RECYCLED).ifPresent(r -> lifecycle.put("recyclingLot", r.data().get("lot").textValue()));
        last(history, EventType.TESTED).ifPresent(test -> {
            JsonNode t = test.data();
            ObjectNode soh = lifecycle.putObject("residualCapacityTest");
            soh.put("testedAt", test.time());
            soh.put("testedBy", test.actor());
            soh.put("capacityRatioPercent", RecoveryRates.percent(t.get("capacityRatioBp").intValue()));
            soh.put("remainingCapacityMah", t.get("measuredCapacityMah").longValue());
            soh.put("remainingEnergyWh", t.get("measuredEnergyWh").longValue());
            soh.put("internalResistanceMicroOhm", t.get("internalResistanceMicroOhm").longValue());
            soh.put("decision", t.get("decision").textValue());
        });
        ObjectNode usage = lifecycle.putObject("usage");
        for (EventType type : List.of(EventType.MAINTAINED, EventType.SWAPPED, EventType.REPLACED, EventType.TRANSFERRED)) {
            usage.put(type.name().toLowerCase(Locale.ROOT), history.stream().filter(e -> e.type.equals(type.name())).count());
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

    /**
     * The signed data with its top-level members outside the table moved to {@code extra}: they stay
     * visible to authorities, in one place.
     */
    private static ObjectNode signed(JsonNode data, ObjectNode extra) {
        ObjectNode copy = F.objectNode();
        data.fields().forEachRemaining(f -> (AttributeTable.get().row(f.getKey()) == null ? extra : copy).set(f.getKey(), f.getValue()));
        return copy;
    }

    /**
     * Merges signed passport data into the passport: objects member by member, anything else replaced. In
     * dynamic data, negative events accumulate, and an entry without its own update time gets the record's.
     */
    private static void merge(ObjectNode target, JsonNode source, String path, String time, boolean dynamic) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String childPath = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
            Attribute row = AttributeTable.get().row(childPath);
            JsonNode value = f.getValue();
            if (row != null && row.kind().name() == Kind.Name.OBJECT && value.isObject()) {
                ObjectNode child = object(target, f.getKey());
                merge(child, value, childPath, time, dynamic);
                stamp(child, childPath, time);
            } else if (row != null && row.kind().name() == Kind.Name.LIST && value.isArray()) {
                ArrayNode list = dynamic && childPath.endsWith("negativeEvents") && target.get(f.getKey()) instanceof ArrayNode existing
                        ? existing : target.putArray(f.getKey());
                for (JsonNode item : value) {
                    JsonNode copy = item.deepCopy();
                    if (copy instanceof ObjectNode o) {
                        stamp(o, childPath + "[]", time);
                        o.fields().forEachRemaining(m -> {
                            if (m.getValue() instanceof ObjectNode nested) {
                                stamp(nested, childPath + "[]." + m.getKey(), time);
                            }
                        });
                    }
                    list.add(copy);
                }
            } else {
                target.set(f.getKey(), value);
            }
        }
    }

    /** Sets the update-time members the table defines under {@code path} that the signer left out. */
    private static void stamp(ObjectNode object, String path, String time) {
        for (String member : UPDATE_TIMES) {
            if (!object.has(member) && AttributeTable.get().row(path + "." + member) != null) {
                object.put(member, time);
            }
        }
    }

    private static void defaults(ObjectNode contact, OrganizationEntity org) {
        if (org != null) {
            putIfAbsent(contact, "contactName", org.name);
            putIfAbsent(contact, "identifier", org.id);
        }
    }

    /** Battery Pass {@code batteryStatus} when no update declared one: Original, Repurposed or Waste. */
    static String status(BatteryEntity b) {
        if (b.cascadeProduct) {
            return b.state.isWaste() || b.state == BatteryState.RECYCLED ? "Waste" : "Repurposed";
        }
        if (b.state == BatteryState.REPURPOSED) {
            return "Repurposed";
        }
        return b.state.isWaste() || b.state == BatteryState.RECYCLED ? "Waste" : "Original";
    }

    private static ObjectNode object(ObjectNode parent, String member) {
        return parent.get(member) instanceof ObjectNode o ? o : parent.putObject(member);
    }

    private static void putIfAbsent(ObjectNode node, String member, String value) {
        if (!node.has(member)) {
            node.put(member, value);
        }
    }

    /** Thousandths as a decimal: mAh to Ah, Wh to kWh, g to kg. */
    private static BigDecimal scaled(long thousandths) {
        return new BigDecimal(BigDecimal.valueOf(thousandths, 3).stripTrailingZeros().toPlainString());
    }

    private static java.util.Optional<TraceRecord> last(List<LogEntryEntity> history, EventType type) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).type.equals(type.name())) {
                return java.util.Optional.of(history.get(i).signedRecord().record());
            }
        }
        return java.util.Optional.empty();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
