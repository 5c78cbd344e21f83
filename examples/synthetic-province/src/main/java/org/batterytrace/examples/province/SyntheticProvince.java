package org.batterytrace.examples.province;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.identity.Vin;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;

/**
 * Synthetic but rule-abiding data for Hunan: battery makers, vehicle makers, a collection service
 * point in each of the 14 prefecture-level cities, cascade enterprises and recyclers; then thousands
 * of batteries through production, vehicle use and, for the retired ones, collection, testing and
 * cascade use or recycling — all signed locally and posted through the bulk API.
 *
 * <pre>java -jar examples/synthetic-province/target/synthetic-province.jar --api http://localhost:8080/api/v1 --admin change-me [--batteries 20000] [--seed 7] [--bulk 2000]</pre>
 *
 * Record times are the real times of posting (keys are valid from their registration, and the
 * server refuses records from the future), so a whole life spans seconds here.
 */
public final class SyntheticProvince {
    private final Api api;
    private final String admin;
    private final Random random;
    private final int bulk;
    private final PrintStream out;
    private final List<Org> orgs = new ArrayList<>();
    private long posted;

    /** An enterprise as its own client sees it. */
    record Org(String id, String name, Hunan.City city, List<Role> roles, String token, SigningKey key) {
    }

    /** One lifecycle step still to be recorded. */
    record Step(String type, Org actor, Org receiver, ObjectNode data) {
    }

    static final class Battery {
        final String code;
        final List<Step> plan = new ArrayList<>();
        long seq;
        String lastHash;
        int next;

        Battery(String code) {
            this.code = code;
        }
    }

    /** A recycler's lot: its own chain, and the metal its input contains (by a typical composition per chemistry). */
    static final class Lot {
        final Battery chain;
        final Org recycler;
        long li, ni, co, mn, cu, al;

        Lot(Battery chain, Org recycler) {
            this.chain = chain;
            this.recycler = recycler;
        }

        void feed(long grams, boolean ncm) {
            li += grams * (ncm ? 140 : 110) / 10_000;
            ni += ncm ? grams * 780 / 10_000 : 0;
            co += ncm ? grams * 260 / 10_000 : 0;
            mn += ncm ? grams * 240 / 10_000 : 0;
            cu += grams * 700 / 10_000;
            al += grams * 1_200 / 10_000;
        }

        /** Recovery between typical and excellent, so some lots miss the Chinese 98 % / 90 % bar. */
        ObjectNode assay(Random random) {
            ObjectNode data = Json.object();
            ObjectNode contained = data.putObject("contained");
            ObjectNode recovered = data.putObject("recovered");
            long[][] metals = {{li, 8_700, 9_700}, {ni, 9_750, 9_960}, {co, 9_750, 9_960}, {mn, 9_700, 9_950}, {cu, 9_300, 9_900}, {al, 9_000, 9_700}};
            String[] symbols = {"Li", "Ni", "Co", "Mn", "Cu", "Al"};
            for (int i = 0; i < metals.length; i++) {
                long in = metals[i][0];
                long rate = metals[i][1] + random.nextInt((int) (metals[i][2] - metals[i][1]));
                contained.put(symbols[i], in);
                recovered.put(symbols[i], in * rate / 10_000);
            }
            data.putArray("products").add(Json.object().put("form", "Li2CO3").put("massGrams", li * 53 / 10));
            return data;
        }
    }

    SyntheticProvince(Api api, String admin, long seed, int bulk, PrintStream out) {
        this.api = api;
        this.admin = admin;
        this.random = new Random(seed);
        this.bulk = bulk;
        this.out = out;
    }

    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--api", "http://localhost:8080/api/v1", "--admin", "change-me",
                "--batteries", "20000", "--seed", "7", "--bulk", "2000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                System.err.println("unknown option " + args[i] + "; options: " + options.keySet());
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        SyntheticProvince province = new SyntheticProvince(new Api(options.get("--api")), options.get("--admin"),
                Long.parseLong(options.get("--seed")), Integer.parseInt(options.get("--bulk")), System.out);
        province.run(Integer.parseInt(options.get("--batteries")));
    }

    void run(int batteries) {
        long start = System.nanoTime();
        List<Org> makers = new ArrayList<>();
        List<Org> oems = new ArrayList<>();
        List<Org> servicePoints = new ArrayList<>();
        List<Org> cascades = new ArrayList<>();
        List<Org> recyclers = new ArrayList<>();
        String[][] makerNames = {{"Xiangjiang Cell Works", "430100"}, {"Zhuzhou Power Packs", "430200"}, {"Xiangtan Energy Storage Materials", "430300"}};
        for (String[] m : makerNames) {
            makers.add(org(m[0], city(m[1]), List.of(Role.BATTERY_MAKER), false));
        }
        oems.add(org("Changsha Automotive", city("430100"), List.of(Role.VEHICLE_MAKER, Role.DEALER), false));
        oems.add(org("Zhuzhou Electric Bus", city("430200"), List.of(Role.VEHICLE_MAKER, Role.DEALER), false));
        for (Hunan.City city : Hunan.CITIES) {
            servicePoints.add(org(city.name() + " Battery Collection Point", city, List.of(Role.SERVICE_POINT), true));
        }
        cascades.add(org("Xiangtan Second-Life Storage", city("430300"), List.of(Role.CASCADE_ENTERPRISE), true));
        cascades.add(org("Yueyang Backup Power", city("430600"), List.of(Role.CASCADE_ENTERPRISE), true));
        cascades.add(org("Chenzhou Swap Station Services", city("431000"), List.of(Role.CASCADE_ENTERPRISE), true));
        recyclers.add(org("Hengyang Metals Recycling", city("430400"), List.of(Role.RECYCLER, Role.DISMANTLER), true));
        recyclers.add(org("Changde Green Materials", city("430700"), List.of(Role.RECYCLER, Role.DISMANTLER), true));
        recyclers.add(org("Loudi Resource Regeneration", city("431300"), List.of(Role.RECYCLER, Role.DISMANTLER), true));
        out.printf("registered %d enterprises in %d cities (keys: Ed25519 and SM2)%n", orgs.size(), Hunan.CITIES.size());

        Map<String, Integer> collectedByCity = new TreeMap<>();
        List<Battery> fleet = new ArrayList<>(batteries);
        // Each recycler feeds this run's retired packs into one lot, closed with its assay at the end.
        Map<Org, Lot> lots = new LinkedHashMap<>();
        for (Org recycler : recyclers) {
            Lot lot = new Lot(new Battery("LOT-" + recycler.id() + "-HN" + (100_000 + random.nextInt(900_000))), recycler);
            lot.chain.plan.add(new Step("LOT_OPENED", recycler, null, text("process", pick(List.of("HYDROMETALLURGY", "PYROMETALLURGY")))));
            lots.put(recycler, lot);
            fleet.add(lot.chain);
        }
        int serial = random.nextInt(1_000_000);
        for (int i = 0; i < batteries; i++) {
            Org maker = pick(makers);
            Org oem = pick(oems);
            String manufacturer = "H" + (makers.indexOf(maker) + 5) + "N";
            LocalDate made = LocalDate.of(2026, 1 + random.nextInt(10), 1 + random.nextInt(28));
            Battery b = new Battery(BatteryCode.of(manufacturer, ProductLevel.PACK, random.nextInt(3) == 0 ? Chemistry.NCM : Chemistry.LFP,
                    "A" + (1 + random.nextInt(9)), "HN24L0" + (1 + random.nextInt(9)), made, serial + i).value());
            b.plan.add(new Step("PRODUCED", maker, null, data("ratedEnergyWh", 40_000 + 1_000L * random.nextInt(60))));
            b.plan.add(new Step("TRANSFERRED", maker, oem, null));
            b.plan.add(new Step("INSTALLED", oem, null, text("vin", vin())));
            b.plan.add(new Step("SOLD", oem, null, text("region", pick(Hunan.CITIES).code())));
            if (random.nextInt(100) < 20) {
                b.plan.add(new Step("MAINTAINED", oem, null, text("work", "BMS firmware update")));
            }
            if (random.nextInt(100) < 45) {
                Org point = pick(servicePoints);
                collectedByCity.merge(point.city().name(), 1, Integer::sum);
                b.plan.add(new Step("RETIRED", oem, null, data("odometerKm", 80_000 + random.nextInt(220_000))));
                b.plan.add(new Step("TRANSFERRED", oem, point, null));
                b.plan.add(new Step("COLLECTED", point, null, text("site", point.city().nameZh() + "回收服务网点")));
                boolean cascade = random.nextInt(100) < 40;
                Org next = cascade ? pick(cascades) : pick(recyclers);
                b.plan.add(new Step("TRANSFERRED", point, next, null));
                b.plan.add(new Step("TESTED", next, null, residualCapacityTest(cascade)));
                if (cascade) {
                    b.plan.add(new Step("REPURPOSED", next, null, text("application", pick(List.of("ENERGY_STORAGE", "BACKUP_POWER", "CHARGING_SWAP")))));
                } else {
                    ObjectNode dismantled = Json.object();
                    dismantled.putArray("components"); // packs only here: their modules were not registered separately
                    b.plan.add(new Step("DISMANTLED", next, null, dismantled));
                    Lot lot = lots.get(next);
                    long mass = 250_000 + random.nextInt(250_000);
                    lot.feed(mass, BatteryCode.parse(b.code).chemistry() == Chemistry.NCM);
                    b.plan.add(new Step("RECYCLED", next, null, text("lot", lot.chain.code).put("massGrams", mass)));
                }
            }
            fleet.add(b);
        }
        long total = fleet.stream().mapToLong(b -> b.plan.size()).sum() + lots.size();
        out.printf("planned %,d batteries, %,d records%n", batteries, total);

        long ingestStart = System.nanoTime();
        for (int wave = 0; ; wave++) {
            int stepIndex = wave;
            List<Battery> due = fleet.stream().filter(b -> b.next == stepIndex && b.next < b.plan.size()).toList();
            if (due.isEmpty()) {
                break;
            }
            postWave(due, total);
        }
        lots.values().forEach(lot -> lot.chain.plan.add(new Step("LOT_CLOSED", lot.recycler, null, lot.assay(random))));
        postWave(lots.values().stream().map(lot -> lot.chain).toList(), total);
        double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
        System.err.println();
        summary(batteries, total, ingestSeconds, (System.nanoTime() - start) / 1e9, collectedByCity);
        reports();
        lots.values().forEach(lot -> {
            JsonNode view = api.get("/lots/" + lot.chain.code, lot.recycler.token());
            StringBuilder line = new StringBuilder(String.format("lot %s (%s): %d packs, %,d kg;", lot.recycler.name(), view.get("process").asText(),
                    view.get("inputBatteries").asInt(), view.get("inputMassGrams").asLong() / 1000));
            view.get("recovery").forEach(m -> line.append(' ').append(m.get("metal").asText()).append(' ').append(m.get("rate").asText()).append('%'));
            view.get("targets").forEach(t -> line.append(" | ").append(t.get("target").asText()).append(t.get("met").asBoolean() ? " met" : " short: "
                    + t.get("shortfalls").findValuesAsText("metal")));
            out.println(line);
        });
    }

    /** One lifecycle step for many batteries: signed in parallel, posted per acting enterprise in bulk requests. */
    private void postWave(List<Battery> due, long total) {
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<Org, List<Battery>> byActor = new LinkedHashMap<>();
        due.forEach(b -> byActor.computeIfAbsent(b.plan.get(b.next).actor(), a -> new ArrayList<>()).add(b));
        for (Map.Entry<Org, List<Battery>> entry : byActor.entrySet()) {
            List<Battery> group = entry.getValue();
            for (int from = 0; from < group.size(); from += bulk) {
                List<Battery> chunk = group.subList(from, Math.min(group.size(), from + bulk));
                List<SignedRecord> signed = chunk.parallelStream().map(b -> sign(b, time)).toList();
                StringBuilder body = new StringBuilder(chunk.size() * 800).append("{\"records\":[");
                for (int i = 0; i < signed.size(); i++) {
                    body.append(i == 0 ? "" : ",").append(signed.get(i).toJson());
                }
                api.post("/records/bulk", entry.getKey().token(), body.append("]}").toString());
                for (int i = 0; i < chunk.size(); i++) {
                    Battery b = chunk.get(i);
                    b.seq++;
                    b.lastHash = signed.get(i).hash();
                    b.next++;
                }
                posted += chunk.size();
                progress(total);
            }
        }
    }

    private SignedRecord sign(Battery b, Instant time) {
        Step step = b.plan.get(b.next);
        ObjectNode data = step.data() == null ? Json.object() : step.data().deepCopy();
        if (step.receiver() != null) {
            data.put("to", step.receiver().id());
        }
        TraceRecord record = TraceRecord.of(b.code, b.seq + 1, b.lastHash, step.type(), time, step.actor().id(), data);
        SignedRecord signed = SignedRecord.sign(record, step.actor().key());
        return step.receiver() == null ? signed : signed.withSignature(step.receiver().key().sign(record));
    }

    private void progress(long total) {
        int width = 40;
        int filled = (int) (width * posted / total);
        System.err.printf("\r[%s%s] %3d%%  %,d / %,d records", "#".repeat(filled), ".".repeat(width - filled), 100 * posted / total, posted, total);
    }

    private void summary(int batteries, long total, double ingestSeconds, double seconds, Map<String, Integer> collectedByCity) {
        out.printf("%n== summary%nposted %,d records for %,d batteries in %.1f s (%,.0f records/s through the bulk API; %.1f s in all)%n",
                total, batteries, ingestSeconds, total / ingestSeconds, seconds);
        Map<BatteryState, Long> byState = new EnumMap<>(BatteryState.class);
        for (BatteryState state : BatteryState.values()) {
            long count = api.get("/batteries?size=1&state=" + state, admin).get("total").asLong();
            if (count > 0) {
                byState.put(state, count);
            }
        }
        out.println("batteries by state (server's count, all data on this server): " + byState);
        out.println("retired batteries collected per city: " + collectedByCity);
        JsonNode checkpoint = api.get("/log/checkpoint", admin);
        out.printf("log checkpoint: size %,d, root %s%n", checkpoint.get("size").asLong(), checkpoint.get("rootHash").asText());
    }

    /** What a regulator sees: the platform's reports API over the data just posted (all data on this server). */
    private void reports() {
        Map<String, String> names = new LinkedHashMap<>();
        Hunan.CITIES.forEach(c -> names.put(c.code(), c.name()));
        StringBuilder stock = new StringBuilder("batteries held per city (reports API, by the custodian's city):");
        api.get("/reports/batteries?groupBy=city", admin).forEach(row -> stock.append(' ').append(names.getOrDefault(row.get("city").asText(), row.get("city").asText()))
                .append('=').append(row.get("batteries").asLong()));
        out.println(stock);
        JsonNode all = null;
        for (JsonNode row : api.get("/reports/cascade-share", admin)) {
            all = row; // the last row sums every cascade enterprise
        }
        if (all != null && all.get("shareByCount") != null && !all.get("shareByCount").isNull()) {
            out.printf("cascade enterprises repurposed %d of the %d batteries they collected (%s %%; the 2024 norm asks 60 %% by weight)%n",
                    all.get("repurposed").asLong(), all.get("collected").asLong(), all.get("shareByCount").asText());
        }
    }

    private Org org(String name, Hunan.City city, List<Role> roles, boolean qualified) {
        StringBuilder base = new StringBuilder("91").append(city.code());
        for (int i = 0; i < 9; i++) {
            base.append(random.nextInt(10));
        }
        String id = CreditCode.withCheckCharacter(base.toString()).value();
        ObjectNode body = Json.object();
        body.put("id", id);
        body.put("name", name);
        roles.forEach(r -> body.withArray("roles").add(r.name()));
        body.put("region", city.code());
        ObjectNode qualification = body.putObject("qualification");
        qualification.put("qualified", qualified);
        qualification.put("validUntil", "2030-12-31");
        qualification.put("reference", qualified ? "HN-WL-" + city.code() : null);
        api.post("/organizations", admin, body.toString());
        String token = api.post("/organizations/" + id + "/tokens", admin, "{\"label\":\"synthetic-province\"}").get("token").asText();
        SigningKey key = SigningKey.generate(random.nextInt(4) == 0 ? SignatureAlgorithm.SM2 : SignatureAlgorithm.ED25519);
        ObjectNode pem = Json.object();
        pem.put("publicKeyPem", key.publicKey().toPem());
        api.post("/organizations/" + id + "/keys", token, pem.toString());
        Org org = new Org(id, name, city, roles, token, key);
        orgs.add(org);
        return org;
    }

    private String vin() {
        String alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
        StringBuilder vin = new StringBuilder("LS");
        for (int i = 2; i < 17; i++) {
            vin.append(i == 8 ? '0' : alphabet.charAt(random.nextInt(i >= 12 ? 10 : alphabet.length())));
        }
        return Vin.withCheckDigit(vin.toString()).value();
    }

    /** A GB/T 34015 result for a 150 Ah, 350 V pack: above 70 % of rated capacity goes to cascade use. */
    private ObjectNode residualCapacityTest(boolean cascade) {
        long rated = 150_000;
        long measured = rated * (cascade ? 7_000 + random.nextInt(1_500) : 3_000 + random.nextInt(4_000)) / 10_000;
        ObjectNode test = Json.object();
        test.put("measuredCapacityMah", measured);
        test.put("ratedCapacityMah", rated);
        test.put("measuredEnergyWh", measured * 350 / 1_000);
        test.put("capacityRatioBp", measured * 10_000 / rated);
        test.put("internalResistanceMicroOhm", 60_000 + random.nextInt(60_000));
        test.put("decision", cascade ? "CASCADE" : "RECYCLE");
        return test;
    }

    private Hunan.City city(String code) {
        return Hunan.CITIES.stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow();
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static ObjectNode data(String key, long value) {
        ObjectNode data = Json.object();
        data.put(key, value);
        return data;
    }

    private static ObjectNode text(String key, String value) {
        ObjectNode data = Json.object();
        data.put(key, value);
        return data;
    }
}
