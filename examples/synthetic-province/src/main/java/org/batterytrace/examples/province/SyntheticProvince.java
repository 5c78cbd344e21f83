package org.batterytrace.examples.province;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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
 * cascade use or recycling, all signed locally and posted through the bulk API. Then it prints what a
 * regulator sees in the reports.
 *
 * <p>The history is back-dated: the administrator registers every enterprise's key valid from the start
 * of the history ({@code --months} before now), and each battery's records carry the times its events
 * happened, spread over those months, with declared masses. Everything is uploaded now, so a record is
 * late when its event lies further back than its deadline (15 or 30 working days): the back-filled
 * months are late, the last weeks mostly on time. Some batteries stop short on purpose (retired but
 * never collected, collected but never processed, tested but never used) and show up as missing
 * uploads; one recycler understates the lithium in its assay, which the mass-balance check flags.
 */
public final class SyntheticProvince {
    static final String USAGE = """
            usage: java -jar synthetic-province.jar [options]

            Registers 25 enterprises across Hunan's 14 cities on a traceability server, posts a back-dated
            history of batteries through the bulk API, and prints the regulators' reports over it.

              --api URL          the server's API base (default http://localhost:8080/api/v1)
              --admin TOKEN      the platform administrator's bearer token (default change-me)
              --batteries N      batteries to generate (default 20000)
              --months N         how many months back the history starts (default 6, 1 to 24)
              --seed N           random seed, for a reproducible province (default 7)
              --bulk N           records per bulk request (default 2000)
              --help             print this and exit
            """;

    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private final Api api;
    private final String admin;
    private final Random random;
    private final int bulk;
    private final PrintStream out;
    private final Instant now;
    private final Instant start;
    private final List<Org> orgs = new ArrayList<>();
    private long posted;

    /** An enterprise as its own client sees it. */
    record Org(String id, String name, Hunan.City city, List<Role> roles, String token, SigningKey key) {
    }

    /** One lifecycle step still to be recorded, at the time it happened. */
    record Step(String type, Org actor, Org receiver, ObjectNode data, Instant time) {
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
        int inputs;
        Instant lastInput;
        long li, ni, co, mn, cu, al;

        Lot(Battery chain, Org recycler) {
            this.chain = chain;
            this.recycler = recycler;
        }

        void feed(long grams, boolean ncm, Instant at) {
            inputs++;
            lastInput = lastInput == null || at.isAfter(lastInput) ? at : lastInput;
            li += grams * (ncm ? 140 : 110) / 10_000;
            ni += ncm ? grams * 780 / 10_000 : 0;
            co += ncm ? grams * 260 / 10_000 : 0;
            mn += ncm ? grams * 240 / 10_000 : 0;
            cu += grams * 700 / 10_000;
            al += grams * 1_200 / 10_000;
        }

        /** Recovery between typical and excellent, so some lots miss the Chinese 98 % / 90 % bar; {@code understateLithium} reports a fifth of the Li. */
        ObjectNode assay(Random random, boolean understateLithium) {
            ObjectNode data = Json.object();
            ObjectNode contained = data.putObject("contained");
            ObjectNode recovered = data.putObject("recovered");
            long[][] metals = {{li, 8_700, 9_700}, {ni, 9_750, 9_960}, {co, 9_750, 9_960}, {mn, 9_700, 9_950}, {cu, 9_300, 9_900}, {al, 9_000, 9_700}};
            String[] symbols = {"Li", "Ni", "Co", "Mn", "Cu", "Al"};
            for (int i = 0; i < metals.length; i++) {
                long in = metals[i][0];
                long rate = metals[i][1] + random.nextInt((int) (metals[i][2] - metals[i][1]));
                long reported = i == 0 && understateLithium ? in / 5 : in;
                contained.put(symbols[i], reported);
                recovered.put(symbols[i], Math.min(reported, in * rate / 10_000));
            }
            data.putArray("products").add(Json.object().put("form", "Li2CO3").put("massGrams", li * 53 / 10));
            return data;
        }
    }

    SyntheticProvince(Api api, String admin, long seed, int bulk, int months, PrintStream out) {
        this.api = api;
        this.admin = admin;
        this.random = new Random(seed);
        this.bulk = bulk;
        this.out = out;
        this.now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        this.start = now.atZone(BEIJING).minusMonths(months).toInstant();
    }

    public static void main(String[] args) {
        Map<String, String> options = parse(args, System.out, System.err);
        if (options == null) {
            return;
        }
        SyntheticProvince province = new SyntheticProvince(new Api(options.get("--api")), options.get("--admin"), Long.parseLong(options.get("--seed")),
                Integer.parseInt(options.get("--bulk")), Integer.parseInt(options.get("--months")), System.out);
        province.run(Integer.parseInt(options.get("--batteries")));
    }

    /**
     * The options, or null after {@code --help} (usage on {@code out}). A bad option prints the problem
     * and the usage on {@code err} and exits with status 2.
     */
    static Map<String, String> parse(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--api", "http://localhost:8080/api/v1", "--admin", "change-me",
                "--batteries", "20000", "--seed", "7", "--bulk", "2000", "--months", "6"));
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(USAGE);
                return null;
            }
        }
        String problem = null;
        for (int i = 0; i < args.length && problem == null; i += 2) {
            if (!options.containsKey(args[i])) {
                problem = "unknown option " + args[i];
            } else if (i + 1 >= args.length) {
                problem = args[i] + " needs a value";
            } else {
                options.put(args[i], args[i + 1]);
            }
        }
        if (problem == null) {
            for (String number : List.of("--batteries", "--seed", "--bulk", "--months")) {
                try {
                    long value = Long.parseLong(options.get(number));
                    if (!number.equals("--seed") && value < 1 || number.equals("--months") && value > 24) {
                        problem = number + " out of range: " + value;
                    }
                } catch (NumberFormatException e) {
                    problem = number + " must be a number, got " + options.get(number);
                }
            }
        }
        if (problem != null) {
            err.println(problem);
            err.print(USAGE);
            System.exit(2);
        }
        return options;
    }

    void run(int batteries) {
        long startNanos = System.nanoTime();
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
        out.printf("registered %d enterprises in %d cities (keys: Ed25519 and SM2, back-dated by the administrator to %s)%n", orgs.size(), Hunan.CITIES.size(),
                day(start.minus(1, ChronoUnit.DAYS)));

        Map<String, Integer> collectedByCity = new TreeMap<>();
        List<Battery> fleet = new ArrayList<>(batteries);
        // Each recycler feeds the run's recycled packs into one lot, closed with its assay at the end.
        Map<Org, Lot> lots = new LinkedHashMap<>();
        for (Org recycler : recyclers) {
            Lot lot = new Lot(new Battery("LOT-" + recycler.id() + "-HN" + (100_000 + random.nextInt(900_000))), recycler);
            lot.chain.plan.add(new Step("LOT_OPENED", recycler, null, text("process", pick(List.of("HYDROMETALLURGY", "PYROMETALLURGY"))), start.plus(1, ChronoUnit.HOURS)));
            lots.put(recycler, lot);
            fleet.add(lot.chain);
        }
        int serial = random.nextInt(1_000_000);
        long span = Duration.between(start, now).toMinutes();
        for (int i = 0; i < batteries; i++) {
            Org maker = pick(makers);
            Org oem = pick(oems);
            String manufacturer = "H" + (makers.indexOf(maker) + 5) + "N";
            Instant produced = start.plus(2 + random.nextInt((int) Math.max(1, span - 3 * 24 * 60)), ChronoUnit.MINUTES).plus(1, ChronoUnit.DAYS);
            LocalDate made = produced.atZone(BEIJING).toLocalDate();
            boolean ncm = random.nextInt(3) == 0;
            Battery b = new Battery(BatteryCode.of(manufacturer, ProductLevel.PACK, ncm ? Chemistry.NCM : Chemistry.LFP, "A" + (1 + random.nextInt(9)),
                    "HN24L0" + (1 + random.nextInt(9)), made, serial + i).value());
            long mass = 250_000 + 1_000L * random.nextInt(300);
            Timeline t = new Timeline(produced);
            b.plan.add(new Step("PRODUCED", maker, null, data("ratedEnergyWh", 40_000 + 1_000L * random.nextInt(60)).put("massGrams", mass), t.at()));
            b.plan.add(new Step("TRANSFERRED", maker, oem, null, t.after(1, 6)));
            b.plan.add(new Step("INSTALLED", oem, null, text("vin", vin()), t.after(1, 10)));
            b.plan.add(new Step("SOLD", oem, null, text("region", pick(Hunan.CITIES).code()), t.after(3, 30)));
            if (random.nextInt(100) < 20) {
                b.plan.add(new Step("MAINTAINED", oem, null, text("work", "BMS firmware update"), t.after(5, 40)));
            }
            if (random.nextInt(100) < 55) {
                Org point = pick(servicePoints);
                b.plan.add(new Step("RETIRED", oem, null, data("odometerKm", 80_000 + random.nextInt(220_000)), t.after(10, 60)));
                int fate = random.nextInt(100);
                if (fate >= 8) { // 8 %: retired and never collected
                    collectedByCity.merge(point.city().name(), 1, Integer::sum);
                    b.plan.add(new Step("TRANSFERRED", oem, point, null, t.after(1, 5)));
                    b.plan.add(new Step("COLLECTED", point, null, text("site", point.city().nameZh() + "回收服务网点"), t.after(0, 3)));
                }
                if (fate >= 14) { // 6 %: collected and never sent on
                    boolean cascade = random.nextInt(100) < 40;
                    Org next = cascade ? pick(cascades) : pick(recyclers);
                    b.plan.add(new Step("TRANSFERRED", point, next, null, t.after(3, 20)));
                    b.plan.add(new Step("TESTED", next, null, residualCapacityTest(cascade), t.after(1, 10)));
                    if (cascade && fate >= 19) { // 5 %: tested for cascade use and left waiting
                        b.plan.add(new Step("REPURPOSED", next, null, text("application", pick(List.of("ENERGY_STORAGE", "BACKUP_POWER", "CHARGING_SWAP"))),
                                t.after(3, 20)));
                    } else if (!cascade) {
                        ObjectNode dismantled = Json.object();
                        dismantled.putArray("components"); // packs only here: their modules were not registered separately
                        b.plan.add(new Step("DISMANTLED", next, null, dismantled, t.after(2, 15)));
                        b.plan.add(new Step("RECYCLED", next, null, text("lot", lots.get(next).chain.code).put("massGrams", mass), t.after(1, 10)));
                    }
                }
            }
            // What has not happened by now is not recorded: the battery stays where it is.
            Instant cutoff = now.minus(1, ChronoUnit.HOURS);
            b.plan.removeIf(step -> step.time().isAfter(cutoff));
            for (Step step : b.plan) {
                if (step.type().equals("RECYCLED")) {
                    lots.get(step.actor()).feed(mass, ncm, step.time());
                }
            }
            fleet.add(b);
        }
        long total = fleet.stream().mapToLong(b -> b.plan.size()).sum() + lots.values().stream().filter(l -> l.inputs > 0).count();
        out.printf("planned %,d batteries, %,d records, events from %s to %s (Beijing)%n", batteries, total, day(start), day(now));

        long ingestStart = System.nanoTime();
        for (int wave = 0; ; wave++) {
            int stepIndex = wave;
            List<Battery> due = fleet.stream().filter(b -> b.next == stepIndex && b.next < b.plan.size()).toList();
            if (due.isEmpty()) {
                break;
            }
            postWave(due, total);
        }
        // Lots are closed once everything fed into them is in; a lot without input stays open (closing it would be refused).
        Org understating = recyclers.get(recyclers.size() - 1);
        List<Battery> closing = new ArrayList<>();
        for (Lot lot : lots.values()) {
            if (lot.inputs > 0) {
                Instant closed = lot.lastInput.plus(1, ChronoUnit.DAYS).isBefore(now) ? lot.lastInput.plus(1, ChronoUnit.DAYS) : lot.lastInput.plusSeconds(1);
                lot.chain.plan.add(new Step("LOT_CLOSED", lot.recycler, null, lot.assay(random, lot.recycler == understating), closed));
                closing.add(lot.chain);
            }
        }
        if (!closing.isEmpty()) {
            postWave(closing, total);
        }
        double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
        System.err.println();
        summary(batteries, total, ingestSeconds, (System.nanoTime() - startNanos) / 1e9, collectedByCity);
        reports(understating);
        lots.values().forEach(lot -> {
            JsonNode view = api.get("/lots/" + lot.chain.code, lot.recycler.token());
            StringBuilder line = new StringBuilder(String.format("lot %s (%s, %s): %d packs, %,d kg;", lot.recycler.name(), view.get("process").asText(),
                    view.get("state").asText(), view.get("inputBatteries").asInt(), view.get("inputMassGrams").asLong() / 1000));
            view.get("recovery").forEach(m -> line.append(' ').append(m.get("metal").asText()).append(' ').append(m.get("rate").asText()).append('%'));
            view.get("targets").forEach(t -> line.append(" | ").append(t.get("target").asText()).append(t.get("met").asBoolean() ? " met" : " short: "
                    + t.get("shortfalls").findValuesAsText("metal")));
            JsonNode balance = view.get("massBalance");
            line.append(" | mass balance ").append(balance.get("plausible").asBoolean() ? "plausible" : "IMPLAUSIBLE: " + balance.get("findings").findValuesAsText("detail"));
            out.println(line);
        });
    }

    /** Event times of one battery: each step some days after the previous one. */
    private final class Timeline {
        private Instant time;

        Timeline(Instant first) {
            this.time = first;
        }

        Instant at() {
            return time;
        }

        Instant after(int minDays, int maxDays) {
            time = time.plus(minDays * 24L * 60 + random.nextInt(Math.max(1, (maxDays - minDays) * 24 * 60)), ChronoUnit.MINUTES);
            return time;
        }
    }

    /** One lifecycle step for many batteries: signed in parallel, posted per acting enterprise in bulk requests. */
    private void postWave(List<Battery> due, long total) {
        Map<Org, List<Battery>> byActor = new LinkedHashMap<>();
        due.forEach(b -> byActor.computeIfAbsent(b.plan.get(b.next).actor(), a -> new ArrayList<>()).add(b));
        for (Map.Entry<Org, List<Battery>> entry : byActor.entrySet()) {
            List<Battery> group = entry.getValue();
            for (int from = 0; from < group.size(); from += bulk) {
                List<Battery> chunk = group.subList(from, Math.min(group.size(), from + bulk));
                List<SignedRecord> signed = chunk.parallelStream().map(this::sign).toList();
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

    private SignedRecord sign(Battery b) {
        Step step = b.plan.get(b.next);
        ObjectNode data = step.data() == null ? Json.object() : step.data().deepCopy();
        if (step.receiver() != null) {
            data.put("to", step.receiver().id());
        }
        TraceRecord record = TraceRecord.of(b.code, b.seq + 1, b.lastHash, step.type(), step.time(), step.actor().id(), data);
        SignedRecord signed = SignedRecord.sign(record, step.actor().key());
        return step.receiver() == null ? signed : signed.withSignature(step.receiver().key().sign(record));
    }

    private void progress(long total) {
        int width = 40;
        int filled = (int) (width * Math.min(posted, total) / total);
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
        out.println("retired batteries planned for collection per city: " + collectedByCity);
        JsonNode checkpoint = api.get("/log/checkpoint", admin);
        out.printf("log checkpoint: size %,d, root %s%n", checkpoint.get("size").asLong(), checkpoint.get("rootHash").asText());
    }

    /** What a regulator of Hunan sees: the reports API narrowed to the province (region=43). */
    private void reports(Org understating) {
        Map<String, String> names = new LinkedHashMap<>();
        Hunan.CITIES.forEach(c -> names.put(c.code(), c.name()));
        out.println("\n== what a regulator of Hunan sees (reports API, region=43; days and months in Beijing time)");
        StringBuilder stock = new StringBuilder("batteries held per city (by the custodian's city):");
        api.get("/reports/batteries?groupBy=city&region=43", admin).forEach(row -> stock.append(' ')
                .append(names.getOrDefault(row.get("city").asText(), row.get("city").asText())).append('=').append(row.get("batteries").asLong()));
        out.println(stock);
        StringBuilder sold = new StringBuilder("batteries by the city where the vehicle was sold:");
        api.get("/reports/batteries?groupBy=saleCity&region=43", admin).forEach(row -> sold.append(' ')
                .append(row.get("saleCity").isNull() ? "not sold" : names.getOrDefault(row.get("saleCity").asText(), row.get("saleCity").asText()))
                .append('=').append(row.get("batteries").asLong()));
        out.println(sold);
        LocalDate firstMonthEnd = start.atZone(BEIJING).toLocalDate().plusMonths(1).withDayOfMonth(1).minusDays(1);
        out.println("stock by state on " + firstMonthEnd + ": " + byState(api.get("/reports/batteries?groupBy=state&region=43&asOf=" + firstMonthEnd, admin))
                + "; now: " + byState(api.get("/reports/batteries?groupBy=state&region=43", admin)));
        StringBuilder months = new StringBuilder("records per month of the event:");
        api.get("/reports/events?groupBy=month&region=43&from=" + day(start.minus(31, ChronoUnit.DAYS)) + "&to=" + day(now.plus(1, ChronoUnit.DAYS)), admin)
                .forEach(row -> months.append(' ').append(row.get("month").asText()).append('=').append(row.get("records").asLong()));
        out.println(months);
        JsonNode all = null;
        for (JsonNode row : api.get("/reports/cascade-share?region=43", admin)) {
            all = row; // the last row covers every cascade enterprise
        }
        if (all != null && !all.get("shareByCount").isNull()) {
            out.printf("cascade enterprises repurposed %d of the %d waste batteries they received (%s %% by count, %s %% by mass; the 2024 norm asks 60 %% by weight)%n",
                    all.get("repurposed").asLong(), all.get("received").asLong(), all.get("shareByCount").asText(), all.get("shareByMass").asText());
        }
        out.println("missing uploads today (next record overdue), per holding enterprise:");
        JsonNode missing = api.get("/reports/missing-uploads?region=43", admin);
        missing.forEach(row -> out.printf("  %s (%s): %d %s, expected %s within %d working days, oldest since %s%n", row.get("name").asText(),
                names.getOrDefault(row.get("city").asText(), row.get("city").asText()), row.get("overdue").asLong(), row.get("state").asText(),
                row.get("expected").asText(), row.get("allowedWorkingDays").asLong(), row.get("oldestSince").asText()));
        if (missing.isEmpty()) {
            out.println("  none");
        }
        String recent = day(now.minus(56, ChronoUnit.DAYS));
        out.println("late uploads by stage and article, events since " + recent + " (older events were back-filled today and are late by construction):");
        for (JsonNode row : api.get("/compliance/by-stage?by=event&region=43&from=" + recent, admin)) {
            out.printf("  %-11s %-7s %2d working days: %d of %d late%n", row.get("stage").asText(), row.get("article").asText(), row.get("allowedWorkingDays").asInt(),
                    row.get("late").asLong(), row.get("checked").asLong());
        }
        long late = 0;
        long checked = 0;
        for (JsonNode row : api.get("/compliance/by-stage?by=event&region=43&from=" + day(start.minus(31, ChronoUnit.DAYS)), admin)) {
            late += row.get("late").asLong();
            checked += row.get("checked").asLong();
        }
        out.printf("all records with a deadline: %,d of %,d late%n", late, checked);
        JsonNode flagged = api.get("/lots?flagged=true&region=43", admin);
        out.printf("lots whose mass balance is flagged: %d (%s understates lithium on purpose)%n", flagged.get("total").asLong(), understating.name());
    }

    private static String byState(JsonNode rows) {
        StringBuilder s = new StringBuilder();
        rows.forEach(row -> s.append(s.length() == 0 ? "" : ", ").append(row.get("state").asText()).append('=').append(row.get("batteries").asLong()));
        return s.toString();
    }

    private static String day(Instant instant) {
        return instant.atZone(BEIJING).toLocalDate().toString();
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
        // Back-filling: only the administrator may date a key before today.
        pem.put("validFrom", start.minus(1, ChronoUnit.DAYS).toString());
        api.post("/organizations/" + id + "/keys", admin, pem.toString());
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
