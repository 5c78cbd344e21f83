package org.batterytrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The regulators' reports over a small province of their own: two cities, a battery maker, a vehicle
 * maker, collection points, a cascade enterprise, a dismantler and a recycler with three lots, and 24
 * batteries whose histories were back-filled over 2026 (keys back-dated by the administrator) or happened
 * in the last weeks, with month-boundary events, masses, missing uploads and late uploads. Every report
 * is narrowed to one region and compared, cell by cell, with {@link ReportOracle}, which recomputes it
 * from the signed records.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class RegulatorReportsTest {
    private static final String VIN = "LSVAU218XN2183294";

    private final ReportOracle oracle = new ReportOracle();
    private String c1;
    private String c2;
    private Org maker;
    private Org oem;
    private Org point1;
    private Org point2;
    private Org cascade;
    private Org recycler;
    private Org dismantler;
    private Org regulator;
    private String lot1;
    private String lot2;
    private String lot3;
    private final Map<String, Org> byId = new LinkedHashMap<>();

    /** A chain being written locally: each record signed by its actor (and the receiver of a transfer). */
    private final class Chain {
        final String subject;
        final List<SignedRecord> records = new ArrayList<>();
        String prev;

        Chain(String subject) {
            this.subject = subject;
        }

        Chain add(String type, Org actor, Instant time, ObjectNode data) {
            return add(type, actor, time, data, null);
        }

        Chain add(String type, Org actor, Instant time, ObjectNode data, Org receiver) {
            ObjectNode d = data == null ? Json.object() : data;
            if (receiver != null) {
                d.put("to", receiver.id);
            }
            TraceRecord record = TraceRecord.of(subject, records.size() + 1, prev, type, time, actor.id, d);
            SignedRecord signed = SignedRecord.sign(record, actor.key);
            if (receiver != null) {
                signed = signed.withSignature(receiver.key.sign(record));
            }
            records.add(signed);
            prev = signed.hash();
            return this;
        }

        Chain transfer(Org from, Org to, Instant time) {
            return add("TRANSFERRED", from, time, null, to);
        }
    }

    private static Instant t(String utc) {
        return Instant.parse(utc);
    }

    private Org org(String region, boolean qualified, List<String> codes, Role... roles) {
        Org org = Platform.organization(region, codes, SignatureAlgorithm.ED25519, qualified, Instant.parse("2025-12-01T00:00:00Z"), roles);
        byId.put(org.id, org);
        oracle.orgs.put(org.id, new ReportOracle.OrgInfo(org.id, "Org " + org.id, region, EnumSet.copyOf(List.of(roles))));
        return org;
    }

    private static ObjectNode data(String key, Object value) {
        ObjectNode d = Json.object();
        if (value instanceof Number n) {
            d.put(key, n.longValue());
        } else {
            d.put(key, (String) value);
        }
        return d;
    }

    /** Built once per class, before the first test (RestAssured knows the test port only from the first test on). */
    @BeforeEach
    void province() {
        if (c1 != null) {
            return;
        }
        c1 = Platform.freshCity();
        c2 = Platform.freshCity();
        String alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXY";
        java.util.Random random = new java.util.Random();
        String manufacturer = "X" + alphabet.charAt(random.nextInt(alphabet.length())) + alphabet.charAt(random.nextInt(alphabet.length()));
        maker = org(c1 + "01", false, List.of(manufacturer), Role.BATTERY_MAKER);
        oem = org(c1 + "02", false, List.of(), Role.VEHICLE_MAKER, Role.DEALER);
        point1 = org(c1 + "01", true, List.of(), Role.SERVICE_POINT);
        point2 = org(c2 + "01", true, List.of(), Role.SERVICE_POINT);
        cascade = org(c2 + "02", true, List.of(), Role.CASCADE_ENTERPRISE);
        recycler = org(c2 + "03", true, List.of(), Role.RECYCLER, Role.DISMANTLER);
        dismantler = org(c1 + "03", true, List.of(), Role.DISMANTLER);
        regulator = Platform.regulator("110000", "CN");

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Chain> chains = new ArrayList<>();
        lot1 = "LOT-" + recycler.id + "-A" + random.nextInt(1_000_000);
        lot2 = "LOT-" + recycler.id + "-B" + random.nextInt(1_000_000);
        lot3 = "LOT-" + recycler.id + "-C" + random.nextInt(1_000_000);
        Chain l1 = new Chain(lot1).add("LOT_OPENED", recycler, t("2026-01-20T02:00:00Z"), data("process", "HYDROMETALLURGY"));
        Chain l2 = new Chain(lot2).add("LOT_OPENED", recycler, t("2026-02-01T02:00:00Z"), data("process", "PYROMETALLURGY"));
        Chain l3 = new Chain(lot3).add("LOT_OPENED", recycler, t("2026-03-01T02:00:00Z"), data("process", "HYDROMETALLURGY"));
        chains.addAll(List.of(l1, l2, l3));
        Map<String, long[]> lotMetal = new LinkedHashMap<>(); // lot -> Li, Ni, Co, Mn, Cu, Al grams contained
        int serial = 1_000_000 + random.nextInt(8_000_000);
        for (int i = 0; i < 24; i++) {
            Chemistry chemistry = i % 3 == 0 ? Chemistry.NCM : Chemistry.LFP;
            String code = BatteryCode.of(manufacturer, ProductLevel.PACK, chemistry, "A7", "HN24L01", LocalDate.of(2026, 1 + i % 3, 1 + i), serial + i).value();
            Long mass = i % 5 == 4 ? null : 250_000L + 10_000L * i;
            ObjectNode produced = mass == null ? Json.object() : data("massGrams", mass);
            Chain b = new Chain(code);
            Instant h = Instant.ofEpochSecond(3_600L * i);
            switch (i % 8) {
                case 0 -> b.add("PRODUCED", maker, t("2026-01-05T01:00:00Z").plusSeconds(3_600L * i), produced).transfer(maker, oem, t("2026-01-12T03:00:00Z"))
                        .add("INSTALLED", oem, t("2026-01-31T20:00:00Z"), data("vin", VIN)) // 1 February in Beijing
                        .add("SOLD", oem, t("2026-02-28T17:30:00Z"), data("region", c1 + "02")) // 1 March in Beijing
                        .add("RETIRED", oem, t("2026-05-06T02:00:00Z"), null).transfer(oem, point1, t("2026-05-07T02:00:00Z"))
                        .add("COLLECTED", point1, t("2026-05-08T02:00:00Z"), null).transfer(point1, cascade, t("2026-05-20T02:00:00Z"))
                        .add("TESTED", cascade, t("2026-05-25T02:00:00Z"), Platform.tested(121_000, 150_000, "CASCADE"))
                        .add("REPURPOSED", cascade, t("2026-06-02T02:00:00Z"), null);
                case 1 -> b.add("PRODUCED", maker, t("2026-01-06T01:00:00Z").plus(java.time.Duration.ofSeconds(h.getEpochSecond())), produced)
                        .transfer(maker, oem, t("2026-01-13T03:00:00Z")).add("INSTALLED", oem, t("2026-01-20T03:00:00Z"), data("vin", VIN))
                        .add("SOLD", oem, t("2026-02-10T03:00:00Z"), data("region", c2 + "01")).add("RETIRED", oem, t("2026-04-30T03:00:00Z"), null)
                        .transfer(oem, cascade, t("2026-05-02T03:00:00Z")).add("COLLECTED", cascade, t("2026-05-03T03:00:00Z"), null)
                        .add("TESTED", cascade, t("2026-05-10T03:00:00Z"), Platform.tested(118_000, 150_000, "CASCADE"));
                case 2 -> {
                    String lot = i % 16 == 2 ? lot1 : lot2;
                    long recycled = (mass == null ? 300_000L : mass) * (lot.equals(lot2) ? 110 : 100) / 100;
                    ObjectNode dismantled = Json.object();
                    dismantled.putArray("components");
                    b.add("PRODUCED", maker, t("2026-01-07T01:00:00Z").plusSeconds(h.getEpochSecond()), produced).transfer(maker, oem, t("2026-01-14T03:00:00Z"))
                            .add("INSTALLED", oem, t("2026-02-01T03:00:00Z"), data("vin", VIN)).add("SOLD", oem, t("2026-03-03T03:00:00Z"), data("region", "Hunan"))
                            .add("RETIRED", oem, t("2026-06-01T03:00:00Z"), null).transfer(oem, point2, t("2026-06-02T03:00:00Z"))
                            .add("COLLECTED", point2, t("2026-06-03T03:00:00Z"), null).transfer(point2, recycler, t("2026-06-15T03:00:00Z"))
                            .add("TESTED", recycler, t("2026-06-16T03:00:00Z"), Platform.tested(60_000, 150_000, "RECYCLE"))
                            .add("DISMANTLED", recycler, t("2026-06-20T03:00:00Z"), dismantled)
                            .add("RECYCLED", recycler, t("2026-07-01T03:00:00Z"), data("lot", lot).put("massGrams", recycled));
                    feed(lotMetal, lot, chemistry, recycled);
                }
                case 3 -> b.add("PRODUCED", maker, t("2026-01-08T01:00:00Z").plusSeconds(h.getEpochSecond()), produced).transfer(maker, oem, t("2026-01-15T03:00:00Z"))
                        .add("INSTALLED", oem, t("2026-02-02T03:00:00Z"), data("vin", VIN)).add("SOLD", oem, t("2026-03-04T03:00:00Z"), data("region", c1 + "01"))
                        .add("RETIRED", oem, t("2026-07-01T03:00:00Z"), null);
                case 4 -> b.add("PRODUCED", maker, now.minus(40, ChronoUnit.DAYS).plusSeconds(i), produced).transfer(maker, oem, now.minus(34, ChronoUnit.DAYS))
                        .add("INSTALLED", oem, now.minus(33, ChronoUnit.DAYS), data("vin", VIN)).add("SOLD", oem, now.minus(20, ChronoUnit.DAYS), data("region", c2 + "02"));
                case 5 -> {
                    ObjectNode dismantled = Json.object();
                    dismantled.putArray("components");
                    long recycled = mass == null ? 280_000L : mass;
                    b.add("PRODUCED", maker, t("2026-01-09T01:00:00Z").plusSeconds(h.getEpochSecond()), produced).transfer(maker, oem, t("2026-01-16T03:00:00Z"))
                            .add("INSTALLED", oem, t("2026-02-03T03:00:00Z"), data("vin", VIN)).add("SOLD", oem, t("2026-03-05T03:00:00Z"), null)
                            .add("RETIRED", oem, t("2026-06-10T03:00:00Z"), null).transfer(oem, dismantler, t("2026-06-11T03:00:00Z"))
                            .add("COLLECTED", dismantler, t("2026-06-12T03:00:00Z"), null).add("DISMANTLED", dismantler, t("2026-06-15T03:00:00Z"), dismantled)
                            .transfer(dismantler, recycler, t("2026-06-20T03:00:00Z"))
                            .add("RECYCLED", recycler, t("2026-07-02T03:00:00Z"), data("lot", lot1).put("massGrams", recycled));
                    feed(lotMetal, lot1, chemistry, recycled);
                }
                case 6 -> b.add("PRODUCED", maker, now.minus(3, ChronoUnit.DAYS).plusSeconds(i), produced).transfer(maker, oem, now.minus(2, ChronoUnit.DAYS))
                        .add("INSTALLED", oem, now.minus(1, ChronoUnit.DAYS), data("vin", VIN));
                default -> b.add("PRODUCED", maker, t("2026-01-10T01:00:00Z").plusSeconds(h.getEpochSecond()), produced).transfer(maker, oem, t("2026-01-17T03:00:00Z"))
                        .add("INSTALLED", oem, t("2026-02-04T03:00:00Z"), data("vin", VIN)).add("SOLD", oem, t("2026-03-06T03:00:00Z"), data("region", c2 + "01"))
                        .add("RETIRED", oem, t("2026-05-11T03:00:00Z"), null).transfer(oem, point1, t("2026-05-12T03:00:00Z"))
                        .add("COLLECTED", point1, t("2026-05-13T03:00:00Z"), null);
            }
            chains.add(b);
        }
        // Waves: the k-th record of every chain, per actor in bulk; the lots' closing records last.
        for (int wave = 0; ; wave++) {
            Map<Org, List<SignedRecord>> byActor = new LinkedHashMap<>();
            for (Chain c : chains) {
                if (wave < c.records.size() && !c.subject.startsWith("LOT-")) {
                    SignedRecord r = c.records.get(wave);
                    byActor.computeIfAbsent(byId.get(r.record().actor()), a -> new ArrayList<>()).add(r);
                } else if (wave == 0) {
                    byActor.computeIfAbsent(recycler, a -> new ArrayList<>()).add(c.records.get(0));
                }
            }
            if (byActor.isEmpty()) {
                break;
            }
            byActor.forEach(this::post);
        }
        l1.add("LOT_CLOSED", recycler, t("2026-08-15T02:00:00Z"), assay(lotMetal.get(lot1), false));
        l2.add("LOT_CLOSED", recycler, t("2026-08-16T02:00:00Z"), assay(lotMetal.get(lot2), true));
        post(recycler, List.of(l1.records.get(1), l2.records.get(1)));
        // A lot closed with no inputs is refused and changes nothing.
        l3.add("LOT_CLOSED", recycler, t("2026-08-17T02:00:00Z"), assay(new long[] {1_000, 0, 0, 0, 1_000, 1_000}, false));
        CascadeAndRecyclingTest.problem(recycler.submit(l3.records.get(1)), 422, "empty-lot");
        recycler.auth().get("/api/v1/lots/" + lot3).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("LOT_OPEN"));
    }

    private void post(Org actor, List<SignedRecord> records) {
        actor.auth().body(Platform.bulkBody(records)).post("/api/v1/records/bulk").then().statusCode(201);
        LocalDate uploaded = ReportOracle.beijing(Instant.now());
        for (SignedRecord r : records) {
            oracle.chains.computeIfAbsent(r.record().subject(), s -> new ArrayList<>()).add(new ReportOracle.Posted(r.record(), uploaded));
        }
    }

    /** Typical metal content (basis points of the pack) of NCM and LFP: Li, Ni, Co, Mn, Cu, Al. */
    private static void feed(Map<String, long[]> lots, String lot, Chemistry chemistry, long grams) {
        long[] bp = chemistry == Chemistry.NCM ? new long[] {140, 780, 260, 240, 700, 1_200} : new long[] {110, 0, 0, 0, 700, 1_200};
        long[] m = lots.computeIfAbsent(lot, k -> new long[6]);
        for (int i = 0; i < 6; i++) {
            m[i] += grams * bp[i] / 10_000;
        }
    }

    /** An assay of {@code contained}, 97 % recovered (Li 93 %); {@code understateLithium}: Li contained put at 1 kg, far below what the input holds. */
    private static ObjectNode assay(long[] contained, boolean understateLithium) {
        String[] symbols = {"Li", "Ni", "Co", "Mn", "Cu", "Al"};
        ObjectNode data = Json.object();
        ObjectNode in = data.putObject("contained");
        ObjectNode out = data.putObject("recovered");
        for (int i = 0; i < 6; i++) {
            long grams = i == 0 && understateLithium ? 1_000 : contained[i];
            in.put(symbols[i], grams);
            out.put(symbols[i], grams * (i == 0 ? 9_300 : 9_700) / 10_000);
        }
        return data;
    }

    // ---- comparing ----

    static List<Map<String, Object>> rows(JsonNode array) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : array) {
            Map<String, Object> map = new LinkedHashMap<>();
            row.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue())));
            rows.add(map);
        }
        return rows;
    }

    static Object value(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(x -> list.add(value(x)));
            return list;
        }
        return v.asText();
    }

    /** Every expected row, cell for cell, and nothing else; server columns the oracle does not compute (names of provinces, article texts) are ignored. */
    static void assertRows(String what, List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
        assertFalse(expected.isEmpty(), what + ": the scenario should give this report something to show");
        Set<String> keys = expected.isEmpty() ? Set.of() : expected.get(0).keySet();
        List<Map<String, Object>> projected = new ArrayList<>();
        for (Map<String, Object> row : actual) {
            Map<String, Object> p = new TreeMap<>();
            for (String k : keys) {
                assertTrue(row.containsKey(k), what + ": no column " + k + " in " + row);
                p.put(k, row.get(k));
            }
            projected.add(p);
        }
        List<Map<String, Object>> want = expected.stream().<Map<String, Object>>map(TreeMap::new).toList();
        Comparator<Map<String, Object>> order = Comparator.comparing(Object::toString);
        assertEquals(want.stream().sorted(order).toList(), projected.stream().sorted(order).toList(), what);
    }

    private static JsonNode get(io.restassured.specification.RequestSpecification request, String path) {
        return Json.parse(request.get(path).then().statusCode(200).contentType("application/json").extract().asByteArray());
    }

    private JsonNode get(String path) {
        return Json.parse(regulator.auth().get(path).then().statusCode(200).contentType("application/json").extract().asByteArray());
    }

    private static final String FINE = "city,enterprise,chemistry,state,month,saleCity";

    @Test
    void stockNowAndAsOfPastInstantsMatchTheReplayedChains() {
        for (String region : List.of(c1, c2, c1 + "01")) {
            assertRows("stock now in " + region, oracle.stock(region, null), rows(get("/api/v1/reports/batteries?groupBy=" + FINE + "&region=" + region)));
        }
        // A date is the end of that day in Beijing; a date-time may carry any offset.
        Instant endOfMarch = Instant.parse("2026-03-31T15:59:59.999999Z");
        assertRows("stock at the end of March", oracle.stock(c1, endOfMarch),
                rows(get("/api/v1/reports/batteries?groupBy=" + FINE + "&asOf=2026-03-31&region=" + c1)));
        Instant may20 = Instant.parse("2026-05-20T04:00:00Z");
        for (String region : List.of(c1, c2)) {
            assertRows("stock on 20 May in " + region, oracle.stock(region, may20),
                    rows(get(regulator.auth().queryParam("groupBy", FINE).queryParam("asOf", "2026-05-20T12:00:00+08:00").queryParam("region", region),
                            "/api/v1/reports/batteries")));
        }
        assertFalse(oracle.stock(c2, may20).isEmpty(), "the cascade enterprise held batteries on 20 May");
        JsonNode bySale = get("/api/v1/reports/batteries?groupBy=saleProvince,saleCity&region=" + c1);
        assertTrue(rows(bySale).stream().anyMatch(r -> (c1 + "00").equals(r.get("saleCity")) && r.get("saleProvinceName") != null), bySale::toString);
        assertTrue(rows(bySale).stream().anyMatch(r -> r.get("saleCity") == null), "batteries sold without a region, or not sold yet");
    }

    @Test
    void flowsByEventMonthAndByUploadMonthInBeijingTime() {
        LocalDate from = LocalDate.of(2026, 1, 1);
        LocalDate to = LocalDate.of(2027, 1, 1);
        for (String region : List.of(c1, c2)) {
            assertRows("events by event month in " + region, oracle.events(region, from, to, false),
                    rows(get("/api/v1/reports/events?groupBy=enterprise,type,month&from=2026-01-01&to=2027-01-01&region=" + region)));
        }
        // The INSTALLED records at 2026-01-31T20:00Z are February's (Beijing).
        assertTrue(oracle.events(c1, from, to, false).stream().anyMatch(r -> r.get("type").equals("INSTALLED") && r.get("month").equals("2026-02")));
        LocalDate today = ReportOracle.beijing(Instant.now());
        assertRows("events by upload month", oracle.events(c1, today.minusDays(1), today.plusDays(2), true),
                rows(get(regulator.auth().queryParam("groupBy", "enterprise,type,month").queryParam("by", "upload")
                        .queryParam("from", today.minusDays(1) + "T00:00:00+08:00").queryParam("to", today.plusDays(2).toString()).queryParam("region", c1),
                        "/api/v1/reports/events")));
        // An unencoded '+' arrives as a space and is read as '+'.
        assertRows("events in a window with a +08:00 offset", oracle.events(c1, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), false),
                rows(get(regulator.auth().queryParam("groupBy", "enterprise,type,month").queryParam("from", "2026-02-01T00:00:00+08:00")
                        .queryParam("to", "2026-03-01T00:00:00 08:00").queryParam("region", c1), "/api/v1/reports/events")));
    }

    @Test
    void cascadeShareCountsWhatTheEnterpriseReceivedByTransfer() {
        List<Map<String, Object>> expected = oracle.cascadeShare(c2);
        assertRows("cascade share", expected, rows(get("/api/v1/reports/cascade-share?region=" + c2)));
        Map<String, Object> row = expected.stream().filter(r -> r.get("enterprise").equals(cascade.id)).findFirst().orElseThrow();
        assertEquals(6L, row.get("received"), "3 transferred in from a collection point, 3 retired batteries transferred in and collected by itself");
        assertEquals(3L, row.get("repurposed"));
        assertRows("no cascade enterprise in the first city", oracle.cascadeShare(c1), rows(get("/api/v1/reports/cascade-share?region=" + c1)));
        for (JsonNode share : get("/api/v1/reports/cascade-share")) {
            if (!share.get("shareByCount").isNull()) {
                assertTrue(share.get("repurposed").asLong() <= share.get("received").asLong(), () -> "never above 100 %: " + share);
            }
        }
    }

    @Test
    void recoveryMassBalanceAndTheListOfLots() {
        assertRows("recovery", oracle.recovery(c2), rows(get("/api/v1/reports/recovery?region=" + c2)));
        List<Map<String, Object>> lots = new ArrayList<>();
        List<Map<String, Object>> flagged = new ArrayList<>();
        for (String lot : List.of(lot1, lot2, lot3)) {
            ReportOracle.Balance b = oracle.balance(lot);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", lot);
            row.put("state", oracle.closing(lot) == null ? "LOT_OPEN" : "LOT_CLOSED");
            row.put("inputBatteries", b.batteries());
            row.put("inputMassGrams", b.grams());
            row.put("massBalancePlausible", b.plausible());
            row.put("massBalanceFlags", new ArrayList<Object>(b.flags()));
            lots.add(row);
            if (!b.plausible()) {
                flagged.add(row);
            }
        }
        assertEquals(List.of("INPUT_ABOVE_DECLARED_MASS", "BELOW_PLAUSIBLE:Li"), lots.get(1).get("massBalanceFlags"), "lot 2 overstates its input and understates Li");
        assertEquals(List.of("NO_INPUTS"), lots.get(2).get("massBalanceFlags"));
        assertRows("lots", lots, rows(get("/api/v1/lots?region=" + c2).get("items")));
        assertRows("flagged lots", flagged, rows(get("/api/v1/lots?flagged=true&region=" + c2).get("items")));
        JsonNode own = Json.parse(recycler.auth().get("/api/v1/lots?state=closed&recycler=" + recycler.id).then().statusCode(200).extract().asByteArray());
        assertRows("closed lots of the recycler, seen by itself", lots.subList(0, 2), rows(own.get("items")));
        List<Map<String, Object>> balance = rows(get("/api/v1/reports/mass-balance?region=" + c2));
        assertEquals(2, balance.size(), "closed lots only");
        for (Map<String, Object> row : balance) {
            ReportOracle.Balance b = oracle.balance((String) row.get("lot"));
            assertEquals(b.plausible(), row.get("plausible"), row::toString);
            assertEquals(b.grams(), row.get("inputMassGrams"));
            assertEquals(b.batteries(), row.get("inputBatteries"));
        }
        Map<String, Object> understated = balance.stream().filter(r -> r.get("lot").equals(lot2)).findFirst().orElseThrow();
        assertTrue((Long) understated.get("LiGrams") < (Long) understated.get("LiMinGrams"), understated::toString);
        recycler.auth().get("/api/v1/lots/" + lot2).then().statusCode(200).body("massBalance.plausible", org.hamcrest.Matchers.equalTo(false))
                .body("massBalance.findings.flag", org.hamcrest.Matchers.hasItem("BELOW_PLAUSIBLE"));
    }

    @Test
    void missingUploadsByEnterpriseAndCityNowAndAsOfAPastDay() {
        for (String region : List.of(c1, c2)) {
            List<Map<String, Object>> detail = oracle.overdue(region, Instant.now());
            assertRows("overdue batteries in " + region, detail, rows(get("/api/v1/reports/missing-uploads?detail=true&region=" + region)));
            assertRows("overdue per enterprise in " + region, ReportOracle.overdueSummary(detail), rows(get("/api/v1/reports/missing-uploads?region=" + region)));
        }
        assertTrue(oracle.overdue(c1, Instant.now()).stream().anyMatch(r -> r.get("state").equals("RETIRED")), "retired but never collected");
        assertTrue(oracle.overdue(c1, Instant.now()).stream().anyMatch(r -> r.get("state").equals("COLLECTED")), "collected but never processed");
        assertTrue(oracle.overdue(c2, Instant.now()).stream().anyMatch(r -> r.get("state").equals("TESTED")), "tested but never repurposed");
        Instant september30 = Instant.parse("2026-09-30T15:59:59.999999Z");
        assertRows("overdue on 30 September", oracle.overdue(c1, september30),
                rows(get("/api/v1/reports/missing-uploads?detail=true&asOf=2026-09-30&region=" + c1)));
        assertTrue(oracle.overdue(c1, september30).size() < oracle.overdue(c1, Instant.now()).size() || oracle.overdue(c1, september30).stream()
                .anyMatch(r -> (Long) r.get("workingDays") < 100), "as of a past day, fewer or younger overdue batteries");
    }

    @Test
    void lateReportsByStageArticleAndEnterprise() {
        LocalDate from = LocalDate.of(2026, 1, 1);
        LocalDate to = LocalDate.of(2027, 1, 1);
        for (String region : List.of(c1, c2)) {
            List<ReportOracle.Check> checks = oracle.checks(region, from, to, false);
            assertRows("late by stage in " + region, oracle.byStage(checks), rows(get("/api/v1/compliance/by-stage?by=event&from=2026-01-01&to=2027-01-01&region=" + region)));
            assertRows("timeliness in " + region, oracle.timeliness(checks), rows(get("/api/v1/compliance/timeliness?by=event&from=2026-01-01&to=2027-01-01&region=" + region)));
        }
        // The battery maker's hand-over to the vehicle maker 34 days ago: late under Art. 8 (15 working days), though within Art. 11's 30.
        List<ReportOracle.Check> makers = oracle.checks(c1 + "01", from, to, false).stream().filter(c -> c.actor().equals(maker.id)).toList();
        assertTrue(makers.stream().anyMatch(c -> c.posted().type().equals("TRANSFERRED") && c.late() && c.workingDays() <= 30 && c.deadline().article().equals("Art. 8")));
        JsonNode late = get("/api/v1/compliance/late-reports?by=event&from=2026-01-01&to=2027-01-01&limit=1000&actor=" + maker.id);
        assertEquals(makers.size(), late.get("checked").asLong());
        List<Map<String, Object>> expected = new ArrayList<>();
        for (ReportOracle.Check c : makers) {
            if (c.late()) {
                expected.add(new LinkedHashMap<>(Map.of("subject", c.posted().record().subject(), "seq", c.posted().record().seq(), "type", c.posted().type(),
                        "workingDays", c.workingDays(), "allowedWorkingDays", (long) c.deadline().days(), "dueDate", c.due().toString(), "article",
                        c.deadline().article(), "calendarCovered", c.covered())));
            }
        }
        assertEquals(expected.size(), late.get("late").asLong());
        assertRows("the maker's late reports", expected, rows(late.get("items")));
    }

    /** CSV (RFC 4180) with the same cells as JSON; the Excel variant behind a BOM with formula-like cells defused. */
    @Test
    void csvMatchesJsonAndExcelGetsABom() {
        String timeliness = "/api/v1/compliance/timeliness?by=event&from=2026-01-01&to=2027-01-01&region=" + c2;
        List<Map<String, Object>> json = rows(get(timeliness));
        String csv = new String(regulator.auth().get(timeliness + "&format=csv").then().statusCode(200).contentType("text/csv").extract().asByteArray(), StandardCharsets.UTF_8);
        assertFalse(csv.startsWith(org.batterytrace.server.report.Table.BOM));
        assertEquals(json.size() + 1, parseCsv(csv).size());
        assertCsvEqualsJson(json, parseCsv(csv));
        byte[] excel = regulator.auth().get(timeliness + "&format=csv-excel").then().statusCode(200).contentType("text/csv").extract().asByteArray();
        assertEquals(0xEF, excel[0] & 0xFF);
        assertEquals(0xBB, excel[1] & 0xFF);
        assertEquals(0xBF, excel[2] & 0xFF);
        String excelText = new String(excel, 3, excel.length - 3, StandardCharsets.UTF_8);
        for (String path : List.of("/api/v1/reports/batteries?groupBy=" + FINE + "&region=" + c1, "/api/v1/reports/recovery?region=" + c2,
                "/api/v1/reports/missing-uploads?detail=true&region=" + c1, "/api/v1/compliance/by-stage?region=" + c1)) {
            String text = new String(regulator.auth().get(path + "&format=csv").then().statusCode(200).contentType("text/csv").extract().asByteArray(), StandardCharsets.UTF_8);
            assertCsvEqualsJson(rows(get(path)), parseCsv(text));
        }
        String lateCsv = new String(maker.auth().header("Accept", "text/csv").get("/api/v1/compliance/late-reports?by=event&from=2026-01-01&actor=" + maker.id)
                .then().statusCode(200).contentType("text/csv").extract().asByteArray(), StandardCharsets.UTF_8);
        assertTrue(lateCsv.startsWith("subject,seq,type,logIndex,eventTime,acceptedAt,workingDays,allowedWorkingDays,dueDate,article,basis,calendarCovered\r\n"), lateCsv);
        assertTrue(excelText.startsWith("actor,name,region,checked,late,lateShare\r\n"), excelText);
    }

    /** The organization names the test gave, with quotes, commas and Chinese, survive CSV; a name Excel would run as a formula is defused in csv-excel only. */
    @Test
    void quotesCommasChineseAndFormulasInCsv() {
        String city = Platform.freshCity();
        String tricky = "湘江电池 \"Xiang\", Ltd.";
        String formula = "=HYPERLINK(\"http://evil.example\",\"回收\")";
        Org a = named(city + "01", tricky, Role.BATTERY_MAKER);
        Org b = named(city + "02", formula, Role.BATTERY_MAKER);
        Instant old = Instant.now().minus(40, ChronoUnit.DAYS);
        for (Org o : List.of(a, b)) {
            o.submit(ComplianceTest.backdated(o, Platform.newPackCode(), "PRODUCED", old)).then().statusCode(201);
        }
        String path = "/api/v1/compliance/timeliness?region=" + city;
        String csv = new String(regulator.auth().get(path + "&format=csv").then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        List<List<String>> parsed = parseCsv(csv);
        assertTrue(parsed.stream().anyMatch(r -> r.get(1).equals(tricky)), csv);
        assertTrue(parsed.stream().anyMatch(r -> r.get(1).equals(formula)), "plain CSV keeps the cell as it is: " + csv);
        String excel = new String(regulator.auth().get(path + "&format=csv-excel").then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        List<List<String>> excelRows = parseCsv(excel.substring(1));
        assertTrue(excelRows.stream().anyMatch(r -> r.get(1).equals("'" + formula)), "Excel would run it as a formula: " + excel);
        assertTrue(excelRows.stream().anyMatch(r -> r.get(1).equals(tricky)), excel);
    }

    private static Org named(String region, String name, Role role) {
        String id = Platform.newOrgId();
        Platform.admin().body(Map.of("id", id, "name", name, "roles", List.of(role), "region", region)).post("/api/v1/organizations").then().statusCode(201);
        String token = Platform.admin().body(Map.of("label", "t")).post("/api/v1/organizations/" + id + "/tokens").then().statusCode(201).extract().path("token");
        org.batterytrace.record.SigningKey key = org.batterytrace.record.SigningKey.generate(SignatureAlgorithm.ED25519);
        Platform.admin().body(Map.of("publicKeyPem", key.publicKey().toPem(), "validFrom", Instant.now().minus(60, ChronoUnit.DAYS).toString()))
                .post("/api/v1/organizations/" + id + "/keys").then().statusCode(201);
        Org org = new Org(id, token, key);
        return org;
    }

    static void assertCsvEqualsJson(List<Map<String, Object>> json, List<List<String>> csv) {
        List<String> header = csv.get(0);
        assertEquals(json.size(), csv.size() - 1);
        for (int i = 0; i < json.size(); i++) {
            Map<String, Object> row = json.get(i);
            assertEquals(new ArrayList<>(row.keySet()), header);
            for (int j = 0; j < header.size(); j++) {
                Object v = row.get(header.get(j));
                assertEquals(v == null ? "" : v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : v.toString(),
                        csv.get(i + 1).get(j), header.get(j) + " of row " + i);
            }
        }
    }

    /** RFC 4180: CRLF records, quoted fields with doubled quotes. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                assertFalse(c == '\n' || c == '\r', "a bare line break outside quotes");
                field.append(c);
            }
        }
        assertTrue(row.isEmpty() && field.length() == 0, "the last record ends with CRLF");
        return rows;
    }

    /** The empty-lot rule counts inputs recycled earlier in the same batch. */
    @Test
    void aLotFedAndClosedInOneBatchIsAccepted() {
        String city = Platform.freshCity();
        Org oem = Platform.organization(city + "01", SignatureAlgorithm.ED25519, false, null, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        Org smelter = Platform.organization(city + "02", SignatureAlgorithm.ED25519, true, null, Role.RECYCLER);
        String pack = Platform.newPackCode();
        oem.record(pack, "PRODUCED", data("massGrams", 400_000));
        oem.record(pack, "INSTALLED", data("vin", VIN));
        oem.record(pack, "RETIRED", null);
        oem.transfer(pack, smelter);
        smelter.record(pack, "COLLECTED", null);
        String lot = Platform.newLotId(smelter);
        smelter.record(lot, "LOT_OPENED", data("process", "HYDROMETALLURGY"));
        SignedRecord recycled = smelter.prepareAndSign(pack, "RECYCLED", data("lot", lot).put("massGrams", 400_000));
        // The close follows the lot's open record in its own chain; prepare would not know about the batch, so it is signed locally.
        String openedHash = Json.parse(smelter.auth().get("/api/v1/lots/" + lot + "/history").then().statusCode(200).extract().asByteArray()).get(0).get("hash").asText();
        TraceRecord close = TraceRecord.of(lot, 2, openedHash, "LOT_CLOSED", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                smelter.id, assay(new long[] {5_600, 31_200, 10_400, 9_600, 28_000, 48_000}, false));
        smelter.auth().body(Platform.bulkBody(recycled, SignedRecord.sign(close, smelter.key))).post("/api/v1/records/bulk")
                .then().statusCode(201); // not through post(): this city is not the oracle's
        smelter.auth().get("/api/v1/lots/" + lot).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("LOT_CLOSED"))
                .body("inputBatteries", org.hamcrest.Matchers.equalTo(1)).body("massBalance.plausible", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void badParametersAreProblems() {
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/events?groupBy=type&type=EXPLODED"), 400, "bad-type");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/batteries?groupBy=state&region=4x"), 400, "bad-region");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/batteries?groupBy=state&region=431"), 400, "bad-region");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/batteries?groupBy=state&asOf=yesterday"), 400, "bad-range");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/events?groupBy=type&by=sometime"), 400, "bad-range");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/cascade-share?from=2026-05-01&to=2026-04-01"), 400, "bad-range");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/recovery?format=xlsx"), 400, "bad-format");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/compliance/timeliness?format=xlsx"), 400, "bad-format");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/lots?state=burning"), 400, "bad-state");
        CascadeAndRecyclingTest.problem(regulator.auth().queryParam("actor", maker.id).queryParam("from", "2026-01-01T00:00:00+0800")
                .get("/api/v1/compliance/late-reports"), 400, "bad-range");
        // Who may see what (until region scopes arrive): regulators and the administrator; a recycler its own lots.
        for (String path : List.of("/api/v1/reports/missing-uploads", "/api/v1/reports/mass-balance", "/api/v1/compliance/by-stage", "/api/v1/lots")) {
            CascadeAndRecyclingTest.problem(maker.auth().get(path), 403, "regulator-required");
            Platform.admin().get(path).then().statusCode(200);
        }
        CascadeAndRecyclingTest.problem(maker.auth().get("/api/v1/lots?recycler=" + recycler.id), 403, "not-your-organization");
        io.restassured.RestAssured.given().get("/api/v1/compliance/rules").then().statusCode(200).body("article", org.hamcrest.Matchers.hasItem("Art. 8"));
    }
}
