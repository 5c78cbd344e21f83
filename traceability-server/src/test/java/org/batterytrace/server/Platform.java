package org.batterytrace.server;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;

/**
 * Test client for the REST API: registers organizations with keys and tokens, and prepares, signs and
 * submits records the way an integrator would. Identifiers are random, so tests share one database.
 */
public final class Platform {
    public static final String ADMIN = "test-admin-token";
    private static final AtomicInteger SERIAL = new AtomicInteger(ThreadLocalRandom.current().nextInt(1_000_000, 9_000_000));

    private Platform() {
    }

    /** An organization as seen by its own client: id, API token and current signing key. */
    public static final class Org {
        public final String id;
        public final String token;
        public SigningKey key;

        Org(String id, String token, SigningKey key) {
            this.id = id;
            this.token = token;
            this.key = key;
        }

        public io.restassured.specification.RequestSpecification auth() {
            return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
        }

        /** Prepare on the server, sign locally. */
        public SignedRecord prepareAndSign(String battery, String type, ObjectNode data) {
            ObjectNode body = Json.object();
            body.put("subject", battery);
            body.put("type", type);
            if (data != null) {
                body.set("data", data);
            }
            JsonNode prepared = Json.parse(auth().body(body.toString()).post("/api/v1/records/prepare").then().statusCode(200).extract().asByteArray());
            TraceRecord record = TraceRecord.fromJson(prepared.get("record"));
            return SignedRecord.sign(record, key);
        }

        /** The PEM of a new, unregistered key of the same algorithm. */
        public String rotatedKeyPem() {
            return SigningKey.generate(key.publicKey().algorithm()).publicKey().toPem();
        }

        public Response submit(SignedRecord record) {
            return auth().body(record.toJson().toString()).post("/api/v1/records");
        }

        /** Prepare, sign, submit; expects acceptance. */
        public JsonNode record(String battery, String type, ObjectNode data) {
            return Json.parse(submit(prepareAndSign(battery, type, data)).then().statusCode(201).extract().asByteArray());
        }

        /** Offer + receiver's acceptance. */
        public JsonNode transfer(String battery, Org to) {
            SignedRecord offer = prepareAndSign(battery, "TRANSFERRED", data("to", to.id));
            String id = auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(201).extract().path("id");
            return Json.parse(to.auth().body(to.key.sign(offer.record()).toJson().toString()).post("/api/v1/transfers/" + id + "/accept")
                    .then().statusCode(200).extract().asByteArray());
        }
    }

    public static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN).contentType(ContentType.JSON);
    }

    private static final AtomicInteger CITY = new AtomicInteger(ThreadLocalRandom.current().nextInt(0, 1_000));
    private static final String[] REMOTE_PROVINCES = {"54", "63", "64", "65", "62", "15"};

    /**
     * A prefecture-level city prefix (4 digits) no other test of this JVM uses, in a province where the
     * shared test organizations (430100) are not: reports narrowed to it see only the caller's data.
     */
    public static String freshCity() {
        int n = CITY.getAndIncrement() % (REMOTE_PROVINCES.length * 90);
        return REMOTE_PROVINCES[n / 90] + (10 + n % 90);
    }

    public static String newOrgId() {
        StringBuilder s = new StringBuilder("91430100");
        for (int i = 0; i < 9; i++) {
            s.append(ThreadLocalRandom.current().nextInt(10));
        }
        return CreditCode.withCheckCharacter(s.toString()).value();
    }

    public static Org organization(SignatureAlgorithm alg, boolean qualified, Role... roles) {
        return organization(alg, qualified, null, roles);
    }

    /** With {@code keyValidFrom} in the past, the administrator back-dates the key so the organization can back-fill older events. */
    public static Org organization(SignatureAlgorithm alg, boolean qualified, Instant keyValidFrom, Role... roles) {
        return organization("430100", alg, qualified, keyValidFrom, roles);
    }

    /** In the administrative division {@code region} (6 digits). */
    public static Org organization(String region, SignatureAlgorithm alg, boolean qualified, Instant keyValidFrom, Role... roles) {
        return organization(region, List.of(), alg, qualified, keyValidFrom, roles);
    }

    /** Filing the GB/T 34014 manufacturer codes {@code manufacturerCodes}. */
    public static Org organization(String region, List<String> manufacturerCodes, SignatureAlgorithm alg, boolean qualified, Instant keyValidFrom, Role... roles) {
        String id = newOrgId();
        Map<String, Object> body = Map.of("id", id, "name", "Org " + id, "roles", List.of(roles), "region", region, "manufacturerCodes", manufacturerCodes,
                "qualification", Map.of("qualified", qualified, "validUntil", LocalDate.now().plusYears(1).toString(), "reference", "MIIT-2026-001"));
        admin().body(body).post("/api/v1/organizations").then().statusCode(201);
        String token = admin().body(Map.of("label", "test")).post("/api/v1/organizations/" + id + "/tokens").then().statusCode(201).extract().path("token");
        SigningKey key = SigningKey.generate(alg);
        Org org = new Org(id, token, key);
        if (keyValidFrom == null) {
            org.auth().body(Map.of("publicKeyPem", key.publicKey().toPem())).post("/api/v1/organizations/" + id + "/keys").then().statusCode(201);
        } else {
            admin().body(Map.of("publicKeyPem", key.publicKey().toPem(), "validFrom", keyValidFrom.toString())).post("/api/v1/organizations/" + id + "/keys")
                    .then().statusCode(201);
        }
        return org;
    }

    /** A regulator of {@code region} overseeing {@code scope} (CN, or a division prefix; null = its own division); it signs nothing, so has no key. */
    public static Org regulator(String region, String scope) {
        String id = newOrgId();
        ObjectNode body = Json.object().put("id", id).put("name", "Regulator " + region).put("region", region);
        body.set("roles", Json.array().add("REGULATOR"));
        if (scope != null) {
            body.put("regionScope", scope);
        }
        admin().body(body.toString()).post("/api/v1/organizations").then().statusCode(201);
        String token = admin().body(Map.of("label", "test")).post("/api/v1/organizations/" + id + "/tokens").then().statusCode(201).extract().path("token");
        return new Org(id, token, null);
    }

    public static String newPackCode() {
        return BatteryCode.of("H5N", ProductLevel.PACK, Chemistry.NCM, "A7", "HN24L01", LocalDate.of(2026, 3, 14), SERIAL.incrementAndGet()).value();
    }

    public static String newCode(ProductLevel level) {
        return BatteryCode.of("H5N", level, Chemistry.LFP, "B2", "HN24L01", LocalDate.of(2026, 3, 14), SERIAL.incrementAndGet()).value();
    }

    public static String newCascadeCode() {
        return newCascadeCode(Chemistry.NCM);
    }

    /** A cascade product coded with {@code chemistry}: it must be its sources' unless declared mixed. The test packs are NCM. */
    public static String newCascadeCode(Chemistry chemistry) {
        return BatteryCode.cascade("R7C", ProductLevel.MODULE, chemistry, "02", LocalDate.of(2026, 9, 12), SERIAL.incrementAndGet(), ProductLevel.PACK).value();
    }

    public static String newLotId(Org recycler) {
        return "LOT-" + recycler.id + "-" + SERIAL.incrementAndGet();
    }

    /** A GB/T 34015 residual-capacity test result with a consistent ratio. */
    public static ObjectNode tested(long measuredMah, long ratedMah, String decision) {
        return Json.object().put("measuredCapacityMah", measuredMah).put("ratedCapacityMah", ratedMah).put("measuredEnergyWh", measuredMah * 3_200 / 1_000_000)
                .put("capacityRatioBp", measuredMah * 10_000 / ratedMah).put("internalResistanceMicroOhm", 820).put("decision", decision);
    }

    /** The body of {@code POST /records/bulk} and {@code POST /batteries}: the records, in order, under {@code records}. */
    public static String bulkBody(List<SignedRecord> records) {
        StringBuilder body = new StringBuilder(records.size() * 700 + 16).append("{\"records\":[");
        for (int i = 0; i < records.size(); i++) {
            body.append(i == 0 ? "" : ",").append(records.get(i).toJson());
        }
        return body.append("]}").toString();
    }

    public static String bulkBody(SignedRecord... records) {
        return bulkBody(List.of(records));
    }

    public static ObjectNode data(String key, String value) {
        ObjectNode data = Json.object();
        data.put(key, value);
        return data;
    }
}
