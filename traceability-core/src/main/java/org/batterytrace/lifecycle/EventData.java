package org.batterytrace.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.InvalidIdentifierException;
import org.batterytrace.identity.Vin;
import org.batterytrace.passport.Attribute;
import org.batterytrace.passport.AttributeTable;
import org.batterytrace.recycling.LotId;
import org.batterytrace.recycling.Metal;
import org.batterytrace.record.TraceRecord;

/**
 * What each event type's {@code data} must hold. Applied by the server before acceptance and by the
 * offline verifier, so a record that one accepts the other accepts too. Quantities are integers
 * (mAh, Wh, micro-ohms, grams, basis points): the record format has no floats.
 */
public final class EventData {
    /** GB/T 34015 residual-capacity test outcome. */
    public enum TestDecision {
        CASCADE, RECYCLE
    }

    /** Where a cascade product is put to use (梯次利用 application scenarios). */
    public enum Application {
        ENERGY_STORAGE, BACKUP_POWER, CHARGING_SWAP
    }

    /** The recycling route of a lot. */
    public enum RecyclingProcess {
        HYDROMETALLURGY, PYROMETALLURGY, DIRECT_RECYCLING
    }

    private EventData() {
    }

    /** Checks the subject kind and {@code data} of one record whose type is {@code type}. */
    public static void check(EventType type, TraceRecord record) {
        String subject = record.subject();
        JsonNode data = record.data();
        boolean lotEvent = type == EventType.LOT_OPENED || type == EventType.LOT_CLOSED;
        try {
            if (lotEvent) {
                LotId.parse(subject);
            } else {
                BatteryCode.parse(subject);
            }
        } catch (InvalidIdentifierException e) {
            throw new EventDataException("subject", type + " is about a " + (lotEvent ? "recycling lot" : "battery") + ": " + e.getMessage());
        }
        switch (type) {
            case PRODUCED -> optionalMass(type, data);
            case INSTALLED, SWAPPED -> vin(type, data);
            case TESTED -> residualCapacityTest(data);
            case DISMANTLED -> codes(type, subject, data, "components", false);
            case SEPARATED -> otherCode(type, subject, data, "parent");
            case RECYCLED -> {
                lot(type, data);
                positive(type, data, "massGrams");
                // A lot id carries its recycler's credit code: batteries go only into the actor's own lots.
                LotId lot = LotId.parse(data.get("lot").textValue());
                if (!lot.recycler().equals(record.actor())) {
                    throw new EventDataException("lot", "batteries are RECYCLED only into the recycler's own lots; " + lot + " belongs to " + lot.recycler());
                }
            }
            case ASSEMBLED -> {
                codes(type, subject, data, "sources", true);
                optionalMass(type, data);
                cascadeChemistry(subject, data);
            }
            case PASSPORT_DECLARED -> {
                AttributeTable.get().check(data, Attribute.Source.DECLARED);
                if (data.has("gtin")) {
                    gtin(data.get("gtin").textValue());
                }
            }
            case PASSPORT_UPDATED -> AttributeTable.get().check(data, Attribute.Source.UPDATED);
            case CERTIFIED -> certificate(data);
            case DEPLOYED -> {
                oneOf(type, data, "application", Application.class);
                text(type, data, "site");
            }
            case LOT_OPENED -> {
                oneOf(type, data, "process", RecyclingProcess.class);
                if (!LotId.parse(subject).recycler().equals(record.actor())) {
                    throw new EventDataException("subject", "lot " + subject + " must carry the credit code of the recycler that opens it, " + record.actor());
                }
            }
            case LOT_CLOSED -> lotOutcome(data);
            default -> {
            }
        }
    }

    /** The test decision of a TESTED record. */
    public static TestDecision decision(JsonNode data) {
        return TestDecision.valueOf(data.get("decision").textValue());
    }

    /** The validity of a CERTIFIED record's certificate: {from, until}. */
    public static LocalDate[] certificateValidity(JsonNode data) {
        return new LocalDate[] {LocalDate.parse(data.get("validFrom").textValue()), LocalDate.parse(data.get("validUntil").textValue())};
    }

    /** Metal masses in grams of a LOT_CLOSED member ({@code contained} or {@code recovered}). */
    public static Map<Metal, Long> metals(JsonNode data, String member) {
        Map<Metal, Long> masses = new java.util.EnumMap<>(Metal.class);
        JsonNode node = data == null ? null : data.get(member);
        if (node != null) {
            node.fields().forEachRemaining(e -> masses.put(Metal.fromSymbol(e.getKey()).orElseThrow(), e.getValue().longValue()));
        }
        return masses;
    }

    /**
     * A cascade product's GB/T 34014 battery type must be its sources' type, unless the product declares
     * {@code data.mixedChemistry: true}, which it may only do when a source's type differs from the product's.
     */
    private static void cascadeChemistry(String subject, JsonNode data) {
        Chemistry product = BatteryCode.parse(subject).chemistry();
        Set<Chemistry> sources = new java.util.TreeSet<>();
        data.get("sources").forEach(source -> sources.add(BatteryCode.parse(source.textValue()).chemistry()));
        boolean differs = sources.size() > 1 || !sources.contains(product);
        JsonNode mixed = data.get("mixedChemistry");
        if (mixed != null && !mixed.isBoolean()) {
            throw new EventDataException("data.mixedChemistry", "data.mixedChemistry must be true or false");
        }
        boolean declaredMixed = mixed != null && mixed.booleanValue();
        if (differs && !declaredMixed) {
            throw new EventDataException("data.sources", "cascade product " + subject + " is coded " + product + " but its sources are " + sources
                    + "; code it with the sources' battery type, or declare data.mixedChemistry: true");
        }
        if (!differs && declaredMixed) {
            throw new EventDataException("data.mixedChemistry", "data.mixedChemistry is declared but every source is " + product + " like the product");
        }
    }

    /** A GS1 GTIN-8/12/13/14 with its mod-10 check digit (GS1 General Specifications 7.9.1). */
    static void gtin(String gtin) {
        if (gtin == null || !gtin.matches("[0-9]{8}|[0-9]{12,14}")) {
            throw new EventDataException("data.gtin", "data.gtin must be a GTIN of 8, 12, 13 or 14 digits");
        }
        int sum = 0;
        for (int i = gtin.length() - 2, weight = 3; i >= 0; i--, weight = 4 - weight) {
            sum += (gtin.charAt(i) - '0') * weight;
        }
        if ((10 - sum % 10) % 10 != gtin.charAt(gtin.length() - 1) - '0') {
            throw new EventDataException("data.gtin", "data.gtin " + gtin + " has a wrong check digit");
        }
    }

    /** Registration may declare the battery's mass, used in reports by mass. */
    private static void optionalMass(EventType type, JsonNode data) {
        if (data != null && data.has("massGrams")) {
            positive(type, data, "massGrams");
        }
    }

    private static void vin(EventType type, JsonNode data) {
        try {
            Vin.parse(text(type, data, "vin"));
        } catch (InvalidIdentifierException e) {
            throw new EventDataException("data.vin", type + " binds the battery to a vehicle: " + e.getMessage());
        }
    }

    private static void residualCapacityTest(JsonNode data) {
        EventType t = EventType.TESTED;
        long measured = nonNegative(t, data, "measuredCapacityMah");
        long rated = positive(t, data, "ratedCapacityMah");
        nonNegative(t, data, "measuredEnergyWh");
        positive(t, data, "internalResistanceMicroOhm");
        long ratio = nonNegative(t, data, "capacityRatioBp");
        long expected = measured * 10_000 / rated;
        if (Math.abs(ratio - expected) > 1) {
            throw new EventDataException("data.capacityRatioBp", "capacityRatioBp " + ratio + " does not match measuredCapacityMah/ratedCapacityMah = " + expected + " basis points");
        }
        oneOf(t, data, "decision", TestDecision.class);
    }

    private static void certificate(JsonNode data) {
        EventType t = EventType.CERTIFIED;
        text(t, data, "certificateNumber");
        text(t, data, "certificationBody");
        LocalDate from = date(t, data, "validFrom");
        LocalDate until = date(t, data, "validUntil");
        if (until.isBefore(from)) {
            throw new EventDataException("data.validUntil", "certificate validUntil " + until + " is before validFrom " + from);
        }
    }

    private static void lot(EventType type, JsonNode data) {
        String lot = text(type, data, "lot");
        try {
            LotId.parse(lot);
        } catch (InvalidIdentifierException e) {
            throw new EventDataException("data.lot", e.getMessage());
        }
    }

    private static void lotOutcome(JsonNode data) {
        EventType t = EventType.LOT_CLOSED;
        Map<Metal, Long> contained = masses(t, data, "contained");
        Map<Metal, Long> recovered = masses(t, data, "recovered");
        if (contained.isEmpty()) {
            throw new EventDataException("data.contained", "LOT_CLOSED needs the assayed metal masses of the lot's input in data.contained");
        }
        for (Map.Entry<Metal, Long> r : recovered.entrySet()) {
            Long in = contained.get(r.getKey());
            if (in == null) {
                throw new EventDataException("data.recovered." + r.getKey().symbol(), r.getKey().symbol() + " was recovered but not assayed in data.contained");
            }
            if (r.getValue() > in) {
                throw new EventDataException("data.recovered." + r.getKey().symbol(),
                        r.getKey().symbol() + " recovered " + r.getValue() + " g exceeds the " + in + " g contained");
            }
        }
        JsonNode products = data.get("products");
        if (products != null) {
            if (!products.isArray()) {
                throw new EventDataException("data.products", "data.products must be an array of {form, massGrams}");
            }
            for (JsonNode product : products) {
                text(t, product, "form");
                positive(t, product, "massGrams");
            }
        }
    }

    private static Map<Metal, Long> masses(EventType type, JsonNode data, String member) {
        JsonNode node = data == null ? null : data.get(member);
        if (node == null || !node.isObject()) {
            throw new EventDataException("data." + member, type + " needs data." + member + ": an object of element symbol to grams, e.g. {\"Li\": 1200}");
        }
        Map<Metal, Long> masses = new java.util.EnumMap<>(Metal.class);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            Metal metal = Metal.fromSymbol(e.getKey()).orElseThrow(() -> new EventDataException("data." + member + "." + e.getKey(),
                    "unknown metal " + e.getKey() + "; expected one of Li, Ni, Co, Mn, Cu, Al"));
            masses.put(metal, nonNegative(type, node, e.getKey(), "data." + member + "." + e.getKey()));
        }
        return masses;
    }

    private static void codes(EventType type, String subject, JsonNode data, String member, boolean nonEmpty) {
        JsonNode list = data == null ? null : data.get(member);
        if (list == null || !list.isArray() || (nonEmpty && list.isEmpty())) {
            throw new EventDataException("data." + member, type + " needs data." + member + ": an array of battery codes" + (nonEmpty ? " (at least one)" : ""));
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode code : list) {
            String value = code.isTextual() ? code.textValue() : null;
            try {
                BatteryCode.parse(value);
            } catch (InvalidIdentifierException e) {
                throw new EventDataException("data." + member, "data." + member + " holds an invalid code: " + e.getMessage());
            }
            if (value.equals(subject) || !seen.add(value)) {
                throw new EventDataException("data." + member, "data." + member + " lists " + value + (value.equals(subject) ? ", the subject itself" : " twice"));
            }
        }
    }

    private static void otherCode(EventType type, String subject, JsonNode data, String member) {
        String value = text(type, data, member);
        try {
            BatteryCode.parse(value);
        } catch (InvalidIdentifierException e) {
            throw new EventDataException("data." + member, "data." + member + " is not a battery code: " + e.getMessage());
        }
        if (value.equals(subject)) {
            throw new EventDataException("data." + member, "data." + member + " cannot be the subject itself");
        }
    }

    private static String text(EventType type, JsonNode data, String member) {
        JsonNode node = data == null ? null : data.get(member);
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw new EventDataException("data." + member, type + " needs data." + member + " (a non-empty string)");
        }
        if (node.textValue().length() > 200) {
            throw new EventDataException("data." + member, "data." + member + " is longer than 200 characters");
        }
        return node.textValue();
    }

    private static LocalDate date(EventType type, JsonNode data, String member) {
        String text = text(type, data, member);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new EventDataException("data." + member, "data." + member + " must be a date like 2027-06-30, got " + text);
        }
    }

    private static <E extends Enum<E>> E oneOf(EventType type, JsonNode data, String member, Class<E> values) {
        String text = text(type, data, member);
        for (E value : values.getEnumConstants()) {
            if (value.name().equals(text)) {
                return value;
            }
        }
        throw new EventDataException("data." + member, "data." + member + " must be one of " + java.util.Arrays.toString(values.getEnumConstants()) + ", got " + text);
    }

    private static long positive(EventType type, JsonNode data, String member) {
        long value = nonNegative(type, data, member);
        if (value == 0) {
            throw new EventDataException("data." + member, "data." + member + " must be greater than 0");
        }
        return value;
    }

    private static long nonNegative(EventType type, JsonNode data, String member) {
        return nonNegative(type, data, member, "data." + member);
    }

    private static long nonNegative(EventType type, JsonNode data, String member, String path) {
        JsonNode node = data == null ? null : data.get(member);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new EventDataException(path, type + " needs " + path + " as an integer (no floats in records)");
        }
        if (node.longValue() < 0) {
            throw new EventDataException(path, path + " must not be negative, got " + node.longValue());
        }
        return node.longValue();
    }
}
