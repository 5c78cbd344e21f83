package org.batterytrace.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.Composition;
import org.batterytrace.recycling.Metal;

/**
 * The regulators' figures recomputed from the signed records the way an outside analyst would: replay
 * each chain by hand, count, sum and divide. Written from docs/reporting-rules.md and the README, not
 * from the server's SQL; the tests compare every cell of the server's reports with these.
 */
final class ReportOracle {
    record OrgInfo(String id, String name, String region, Set<Role> roles) {
    }

    /** A record and the Beijing day the platform accepted it (captured by the test when it uploaded). */
    record Posted(TraceRecord record, LocalDate uploadDay) {
        String type() {
            return record.type();
        }

        Instant time() {
            return record.instant();
        }
    }

    final Map<String, OrgInfo> orgs = new LinkedHashMap<>();
    final Map<String, List<Posted>> chains = new LinkedHashMap<>();

    // ---- calendar, straight from the shipped TSV, day by day ----
    private final Set<LocalDate> holidays = new HashSet<>();
    private final Set<LocalDate> workdays = new HashSet<>();
    private final Set<Integer> covered = new HashSet<>();

    ReportOracle() {
        try (InputStream in = getClass().getResourceAsStream("/org/batterytrace/compliance/china-holidays.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.startsWith("date") || line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t");
                (cells[1].equals("holiday") ? holidays : workdays).add(LocalDate.parse(cells[0]));
                covered.add(Integer.parseInt(cells[3].trim()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static LocalDate beijing(Instant t) {
        return LocalDate.ofInstant(t.plusSeconds(8 * 3600), ZoneOffset.UTC);
    }

    boolean working(LocalDate d) {
        if (workdays.contains(d)) {
            return true;
        }
        return d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY && !holidays.contains(d);
    }

    long workingDays(LocalDate from, LocalDate to) {
        long n = 0;
        for (LocalDate d = from.plusDays(1); !d.isAfter(to); d = d.plusDays(1)) {
            if (working(d)) {
                n++;
            }
        }
        return n;
    }

    LocalDate due(LocalDate from, int days) {
        LocalDate d = from;
        int left = days;
        while (left > 0) {
            d = d.plusDays(1);
            if (working(d)) {
                left--;
            }
        }
        return d;
    }

    boolean covers(LocalDate a, LocalDate b) {
        for (int y = a.getYear(); y <= b.getYear(); y++) {
            if (!covered.contains(y)) {
                return false;
            }
        }
        return true;
    }

    // ---- chains replayed by hand ----
    static final Map<String, String> STATE_AFTER = Map.ofEntries(Map.entry("PRODUCED", "PRODUCED"), Map.entry("INSTALLED", "INSTALLED"),
            Map.entry("SOLD", "IN_SERVICE"), Map.entry("REPLACED", "RETIRED"), Map.entry("RETIRED", "RETIRED"), Map.entry("COLLECTED", "COLLECTED"),
            Map.entry("TESTED", "TESTED"), Map.entry("REPURPOSED", "REPURPOSED"), Map.entry("DISMANTLED", "DISMANTLED"), Map.entry("SEPARATED", "COLLECTED"),
            Map.entry("RECYCLED", "RECYCLED"), Map.entry("ASSEMBLED", "ASSEMBLED"), Map.entry("CERTIFIED", "CERTIFIED"), Map.entry("DEPLOYED", "DEPLOYED"),
            Map.entry("LOT_OPENED", "LOT_OPEN"), Map.entry("LOT_CLOSED", "LOT_CLOSED"));

    /** A chain as it stood at {@code asOf} (null = now): state, custodian, when the state was entered. */
    record At(String state, String custodian, Instant since) {
    }

    At at(String subject, Instant asOf) {
        String state = null;
        String custodian = null;
        Instant since = null;
        for (Posted p : chains.get(subject)) {
            if (asOf != null && p.time().isAfter(asOf)) {
                break;
            }
            TraceRecord r = p.record();
            custodian = r.type().equals("TRANSFERRED") ? r.data().get("to").textValue() : r.actor();
            if (STATE_AFTER.containsKey(r.type())) {
                state = STATE_AFTER.get(r.type());
                since = r.instant();
            }
        }
        return state == null ? null : new At(state, custodian, since);
    }

    boolean isBattery(String subject) {
        return !subject.startsWith("LOT-");
    }

    Long declaredMass(String code) {
        JsonNode mass = chains.get(code).get(0).record().data().get("massGrams");
        return mass == null ? null : mass.longValue();
    }

    String saleRegion(String code, Instant asOf) {
        for (Posted p : chains.get(code)) {
            if (p.type().equals("SOLD") && (asOf == null || !p.time().isAfter(asOf))) {
                JsonNode region = p.record().data().get("region");
                return region != null && region.textValue().matches("\\d{6}") ? region.textValue() : null;
            }
        }
        return null;
    }

    private static String city(String region) {
        return region == null ? null : region.substring(0, 4) + "00";
    }

    private static String month(LocalDate day) {
        return String.format("%04d-%02d", day.getYear(), day.getMonthValue());
    }

    /** Stock grouped by city, enterprise, chemistry, state, production month, sale city (custodian's region in {@code prefix}). */
    List<Map<String, Object>> stock(String prefix, Instant asOf) {
        Map<List<Object>, long[]> groups = new HashMap<>();
        for (String code : chains.keySet()) {
            if (!isBattery(code)) {
                continue;
            }
            At at = at(code, asOf);
            if (at == null || !orgs.get(at.custodian()).region().startsWith(prefix)) {
                continue;
            }
            BatteryCode parsed = BatteryCode.parse(code);
            List<Object> key = new ArrayList<>(List.of(city(orgs.get(at.custodian()).region()), at.custodian(), String.valueOf(parsed.chemistry().code()),
                    at.state(), month(parsed.productionDate())));
            key.add(city(saleRegion(code, asOf)));
            long[] m = groups.computeIfAbsent(key, k -> new long[2]);
            m[0]++;
            m[1] += declaredMass(code) == null ? 0 : declaredMass(code);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((k, m) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("city", k.get(0));
            row.put("enterprise", k.get(1));
            row.put("chemistry", k.get(2));
            row.put("chemistryName", Chemistry.fromCode(((String) k.get(2)).charAt(0)).description());
            row.put("state", k.get(3));
            row.put("month", k.get(4));
            row.put("saleCity", k.get(5));
            row.put("batteries", m[0]);
            row.put("massGrams", m[1]);
            rows.add(row);
        });
        return rows;
    }

    /** Records grouped by enterprise, type and month of the event (or upload) day, actor's region in {@code prefix}, day in [from, to). */
    List<Map<String, Object>> events(String prefix, LocalDate from, LocalDate to, boolean byUpload) {
        Map<List<String>, long[]> groups = new TreeMap<>(Comparator.comparing(Object::toString));
        for (List<Posted> chain : chains.values()) {
            for (Posted p : chain) {
                LocalDate day = byUpload ? p.uploadDay() : beijing(p.time());
                if (!orgs.get(p.record().actor()).region().startsWith(prefix) || day.isBefore(from) || !day.isBefore(to)) {
                    continue;
                }
                groups.computeIfAbsent(List.of(p.record().actor(), p.type(), month(day)), k -> new long[1])[0]++;
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((k, n) -> rows.add(new LinkedHashMap<>(Map.of("enterprise", k.get(0), "type", k.get(1), "month", k.get(2), "records", n[0]))));
        return rows;
    }

    private static String percent(long bp) {
        return String.format("%d.%02d", bp / 100, bp % 100);
    }

    /** Cascade share: waste batteries received (collected or separated itself, or transferred in after retirement), how many it repurposed. */
    List<Map<String, Object>> cascadeShare(String prefix) {
        Map<String, Map<String, Boolean>> received = new TreeMap<>(); // enterprise -> battery -> repurposed by it
        for (Map.Entry<String, List<Posted>> chain : chains.entrySet()) {
            if (!isBattery(chain.getKey()) || BatteryCode.parse(chain.getKey()).isCascade()) {
                continue;
            }
            boolean retired = false;
            for (Posted p : chain.getValue()) {
                String receiver = null;
                if (p.type().equals("COLLECTED") || p.type().equals("SEPARATED")) {
                    receiver = p.record().actor();
                } else if (p.type().equals("TRANSFERRED") && retired) {
                    receiver = p.record().data().get("to").textValue();
                }
                if (receiver != null && orgs.get(receiver).roles().contains(Role.CASCADE_ENTERPRISE) && orgs.get(receiver).region().startsWith(prefix)) {
                    received.computeIfAbsent(receiver, k -> new LinkedHashMap<>()).putIfAbsent(chain.getKey(), false);
                }
                if (p.type().equals("REPURPOSED") && received.containsKey(p.record().actor()) && received.get(p.record().actor()).containsKey(chain.getKey())) {
                    received.get(p.record().actor()).put(chain.getKey(), true);
                }
                if (p.type().equals("RETIRED") || p.type().equals("REPLACED") || p.type().equals("SEPARATED")) {
                    retired = true;
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Boolean> all = new LinkedHashMap<>();
        received.forEach((enterprise, batteries) -> {
            rows.add(shareRow(enterprise, orgs.get(enterprise).name(), batteries));
            batteries.forEach((b, r) -> all.merge(b, r, Boolean::logicalOr));
        });
        rows.add(shareRow("ALL", "all cascade enterprises", all));
        return rows;
    }

    private Map<String, Object> shareRow(String enterprise, String name, Map<String, Boolean> batteries) {
        long n = batteries.size();
        long repurposed = batteries.values().stream().filter(b -> b).count();
        long mass = 0;
        long repurposedMass = 0;
        long withoutMass = 0;
        for (Map.Entry<String, Boolean> b : batteries.entrySet()) {
            Long m = declaredMass(b.getKey());
            if (m == null) {
                withoutMass++;
                continue;
            }
            mass += m;
            repurposedMass += b.getValue() ? m : 0;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("enterprise", enterprise);
        row.put("name", name);
        row.put("received", n);
        row.put("repurposed", repurposed);
        row.put("shareByCount", n == 0 ? null : percent(repurposed * 10_000 / n));
        row.put("receivedMassGrams", mass);
        row.put("repurposedMassGrams", repurposedMass);
        row.put("receivedWithoutMass", withoutMass);
        row.put("shareByMass", mass == 0 ? null : percent(repurposedMass * 10_000 / mass));
        boolean byMass = n > 0 && withoutMass == 0 && mass > 0;
        row.put("judgedBy", n == 0 ? null : byMass ? "mass" : "count");
        row.put("meetsSixtyPercentNorm", n == 0 ? null : (byMass ? repurposedMass * 10_000 / mass : repurposed * 10_000 / n) >= 6_000);
        return row;
    }

    // ---- lots ----
    record LotInput(String battery, long grams, Instant time) {
    }

    Map<String, List<LotInput>> lotInputs() {
        Map<String, List<LotInput>> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, List<Posted>> chain : chains.entrySet()) {
            for (Posted p : chain.getValue()) {
                if (p.type().equals("RECYCLED")) {
                    inputs.computeIfAbsent(p.record().data().get("lot").textValue(), k -> new ArrayList<>())
                            .add(new LotInput(chain.getKey(), p.record().data().get("massGrams").longValue(), p.time()));
                }
            }
        }
        return inputs;
    }

    /** The LOT_CLOSED record of a lot, or null. */
    TraceRecord closing(String lot) {
        for (Posted p : chains.get(lot)) {
            if (p.type().equals("LOT_CLOSED")) {
                return p.record();
            }
        }
        return null;
    }

    private static Map<Metal, Long> metals(TraceRecord closed, String member) {
        Map<Metal, Long> m = new EnumMap<>(Metal.class);
        if (closed != null) {
            closed.data().get(member).fields().forEachRemaining(e -> m.put(Metal.fromSymbol(e.getKey()).orElseThrow(), e.getValue().longValue()));
        }
        return m;
    }

    static final Map<String, Map<Metal, Integer>> TARGETS = Map.of(
            "CN_2024", Map.of(Metal.NI, 9_800, Metal.CO, 9_800, Metal.MN, 9_800, Metal.LI, 9_000),
            "EU_2027", Map.of(Metal.CO, 9_000, Metal.NI, 9_000, Metal.CU, 9_000, Metal.LI, 5_000),
            "EU_2031", Map.of(Metal.CO, 9_500, Metal.NI, 9_500, Metal.CU, 9_500, Metal.LI, 8_000));

    /** Recovery per recycler over its closed lots with inputs (recycler's region in {@code prefix}). */
    List<Map<String, Object>> recovery(String prefix) {
        Map<String, List<LotInput>> inputs = lotInputs();
        Map<String, long[]> counts = new TreeMap<>(); // closed with inputs, empty, batteries, grams
        Map<String, Map<Metal, long[]>> sums = new HashMap<>();
        for (String lot : chains.keySet()) {
            if (isBattery(lot) || closing(lot) == null) {
                continue;
            }
            String recycler = chains.get(lot).get(0).record().actor();
            if (!orgs.get(recycler).region().startsWith(prefix)) {
                continue;
            }
            long[] c = counts.computeIfAbsent(recycler, k -> new long[4]);
            List<LotInput> in = inputs.getOrDefault(lot, List.of());
            if (in.isEmpty()) {
                c[1]++;
                continue;
            }
            c[0]++;
            c[2] += in.size();
            c[3] += in.stream().mapToLong(LotInput::grams).sum();
            Map<Metal, Long> contained = metals(closing(lot), "contained");
            Map<Metal, Long> recovered = metals(closing(lot), "recovered");
            contained.forEach((m, g) -> {
                long[] s = sums.computeIfAbsent(recycler, k -> new EnumMap<>(Metal.class)).computeIfAbsent(m, k -> new long[2]);
                s[0] += g;
                s[1] += recovered.getOrDefault(m, 0L);
            });
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        counts.forEach((recycler, c) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("recycler", recycler);
            row.put("name", orgs.get(recycler).name());
            row.put("closedLots", c[0]);
            row.put("emptyLots", c[1]);
            row.put("inputBatteries", c[2]);
            row.put("inputMassGrams", c[3]);
            Map<Metal, long[]> s = sums.getOrDefault(recycler, Map.of());
            Map<Metal, Long> rate = new EnumMap<>(Metal.class);
            for (Metal m : Metal.values()) {
                long[] x = s.get(m);
                if (x != null && x[0] > 0) {
                    rate.put(m, x[1] * 10_000 / x[0]);
                }
                row.put(m.symbol(), rate.containsKey(m) ? percent(rate.get(m)) : null);
            }
            for (String target : List.of("CN_2024", "EU_2027", "EU_2031")) {
                List<String> short_ = new ArrayList<>();
                for (Metal m : Metal.values()) {
                    Integer min = TARGETS.get(target).get(m);
                    if (min != null && (!s.containsKey(m) || (rate.containsKey(m) && rate.get(m) < min))) {
                        short_.add(m.symbol());
                    }
                }
                row.put(target, c[0] == 0 ? null : short_.isEmpty() ? "met" : "short: " + String.join(" ", short_));
            }
            rows.add(row);
        });
        return rows;
    }

    /** Per lot: inputs, the assay, and the mass-balance findings recomputed from the composition ranges. */
    record Balance(long batteries, long grams, boolean plausible, List<String> flags) {
    }

    Balance balance(String lot) {
        List<LotInput> in = lotInputs().getOrDefault(lot, List.of());
        long grams = in.stream().mapToLong(LotInput::grams).sum();
        List<String> flags = new ArrayList<>();
        if (in.isEmpty()) {
            return new Balance(0, 0, false, List.of("NO_INPUTS"));
        }
        long heavy = in.stream().filter(i -> declaredMass(i.battery()) != null && i.grams() * 100 > declaredMass(i.battery()) * 105).count();
        if (heavy > 0) {
            flags.add("INPUT_ABOVE_DECLARED_MASS");
        }
        Map<Metal, Long> contained = metals(closing(lot), "contained");
        if (!contained.isEmpty()) {
            long total = 0;
            for (Metal m : Metal.values()) {
                long min = 0;
                long max = 0;
                // per chemistry: sum the grams first, then apply the range (as a lot's input is declared per chemistry)
                Map<Chemistry, Long> byChemistry = new EnumMap<>(Chemistry.class);
                in.forEach(i -> byChemistry.merge(BatteryCode.parse(i.battery()).chemistry(), i.grams(), Long::sum));
                for (Map.Entry<Chemistry, Long> e : byChemistry.entrySet()) {
                    Composition.Range r = Composition.of(e.getKey()).orElseThrow().ranges().get(m);
                    min += e.getValue() * r.minBasisPoints() / 10_000;
                    max += (e.getValue() * r.maxBasisPoints() + 9_999) / 10_000;
                }
                Long g = contained.get(m);
                if (g == null) {
                    if (min > 0) {
                        flags.add("NOT_ASSAYED:" + m.symbol());
                    }
                    continue;
                }
                total += g;
                if (g > max) {
                    flags.add("ABOVE_PLAUSIBLE:" + m.symbol());
                } else if (g < min) {
                    flags.add("BELOW_PLAUSIBLE:" + m.symbol());
                }
            }
            if (total > grams) {
                flags.add("METALS_EXCEED_INPUT");
            }
        }
        return new Balance(in.size(), grams, flags.isEmpty(), flags);
    }

    // ---- deadlines, written from the table in docs/reporting-rules.md ----
    record Deadline(int days, String article) {
    }

    static Deadline waste(Set<Role> roles) {
        if (roles.contains(Role.CASCADE_ENTERPRISE)) {
            return new Deadline(15, "Art. 14");
        }
        if (roles.contains(Role.RECYCLER)) {
            return new Deadline(30, "Art. 15");
        }
        if (roles.contains(Role.DISMANTLER)) {
            return new Deadline(15, "Art. 13");
        }
        return new Deadline(30, "Art. 11");
    }

    static Deadline deadline(String type, Set<Role> roles, String before) {
        return switch (type) {
            case "LOT_OPENED" -> null;
            case "PRODUCED", "INSTALLED" -> new Deadline(15, "Art. 8");
            case "SOLD" -> new Deadline(30, "Art. 9");
            case "REPLACED" -> new Deadline(30, "Art. 10");
            case "MAINTAINED", "SWAPPED" -> "DEPLOYED".equals(before) ? new Deadline(15, "Art. 14") : new Deadline(30, "Art. 10");
            case "ASSEMBLED", "CERTIFIED", "DEPLOYED", "REPURPOSED" -> new Deadline(15, "Art. 14");
            case "RECYCLED", "LOT_CLOSED" -> new Deadline(30, "Art. 15");
            case "TRANSFERRED" -> switch (before) {
                case "PRODUCED", "INSTALLED" -> new Deadline(15, "Art. 8");
                case "IN_SERVICE" -> new Deadline(30, "Art. 10");
                case "ASSEMBLED", "CERTIFIED", "DEPLOYED" -> new Deadline(15, "Art. 14");
                default -> waste(roles);
            };
            default -> waste(roles);
        };
    }

    /** Every checked record: actor, type, article, allowed, working days taken, late, due day, coverage. */
    record Check(Posted posted, String actor, Deadline deadline, long workingDays, LocalDate due, boolean covered) {
        boolean late() {
            return workingDays > deadline.days();
        }
    }

    List<Check> checks(String prefix, LocalDate from, LocalDate to, boolean byUpload) {
        List<Check> checks = new ArrayList<>();
        for (List<Posted> chain : chains.values()) {
            String state = null;
            for (Posted p : chain) {
                String before = state;
                if (STATE_AFTER.containsKey(p.type())) {
                    state = STATE_AFTER.get(p.type());
                }
                OrgInfo actor = orgs.get(p.record().actor());
                LocalDate day = byUpload ? p.uploadDay() : beijing(p.time());
                Deadline d = deadline(p.type(), actor.roles(), before);
                if (d == null || !actor.region().startsWith(prefix) || day.isBefore(from) || !day.isBefore(to)) {
                    continue;
                }
                LocalDate event = beijing(p.time());
                LocalDate due = due(event, d.days());
                checks.add(new Check(p, actor.id(), d, workingDays(event, p.uploadDay()), due, covers(event, p.uploadDay().isAfter(due) ? p.uploadDay() : due)));
            }
        }
        return checks;
    }

    List<Map<String, Object>> byStage(List<Check> checks) {
        Map<List<Object>, long[]> groups = new HashMap<>();
        for (Check c : checks) {
            long[] n = groups.computeIfAbsent(List.of(c.posted().type(), c.deadline().article(), (long) c.deadline().days()), k -> new long[2]);
            n[0]++;
            n[1] += c.late() ? 1 : 0;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((k, n) -> rows.add(new LinkedHashMap<>(Map.of("stage", k.get(0), "article", k.get(1), "allowedWorkingDays", k.get(2), "checked", n[0],
                "late", n[1], "lateShare", percent(n[1] * 10_000 / n[0])))));
        return rows;
    }

    List<Map<String, Object>> timeliness(List<Check> checks) {
        Map<String, long[]> groups = new TreeMap<>();
        for (Check c : checks) {
            long[] n = groups.computeIfAbsent(c.actor(), k -> new long[2]);
            n[0]++;
            n[1] += c.late() ? 1 : 0;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((actor, n) -> rows.add(new LinkedHashMap<>(Map.of("actor", actor, "name", orgs.get(actor).name(), "region", orgs.get(actor).region(),
                "checked", n[0], "late", n[1], "lateShare", percent(n[1] * 10_000 / n[0])))));
        return rows;
    }

    // ---- missing uploads ----
    static final Map<String, Integer> ALLOWANCE = Map.of("RETIRED", 30, "COLLECTED", 60, "TESTED", 60, "DISMANTLED", 60);
    static final Map<String, String> EXPECTED = Map.of("RETIRED", "COLLECTED", "COLLECTED", "TESTED or DISMANTLED or RECYCLED",
            "TESTED", "REPURPOSED or DISMANTLED or RECYCLED", "DISMANTLED", "RECYCLED");

    List<Map<String, Object>> overdue(String prefix, Instant asOf) {
        LocalDate asOfDay = beijing(asOf);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String code : chains.keySet()) {
            if (!isBattery(code)) {
                continue;
            }
            At at = at(code, asOf);
            if (at == null || !ALLOWANCE.containsKey(at.state()) || !orgs.get(at.custodian()).region().startsWith(prefix)) {
                continue;
            }
            LocalDate since = beijing(at.since());
            long days = workingDays(since, asOfDay);
            if (days > ALLOWANCE.get(at.state())) {
                OrgInfo holder = orgs.get(at.custodian());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("battery", code);
                row.put("enterprise", holder.id());
                row.put("name", holder.name());
                row.put("city", city(holder.region()));
                row.put("state", at.state());
                row.put("expected", EXPECTED.get(at.state()));
                row.put("since", since.toString());
                row.put("workingDays", days);
                row.put("allowedWorkingDays", (long) ALLOWANCE.get(at.state()));
                rows.add(row);
            }
        }
        return rows;
    }

    static List<Map<String, Object>> overdueSummary(List<Map<String, Object>> detail) {
        Map<List<Object>, Object[]> groups = new HashMap<>();
        for (Map<String, Object> d : detail) {
            List<Object> key = List.of(d.get("enterprise"), d.get("name"), d.get("city"), d.get("state"), d.get("expected"), d.get("allowedWorkingDays"));
            Object[] g = groups.computeIfAbsent(key, k -> new Object[] {0L, d.get("since")});
            g[0] = (Long) g[0] + 1;
            if (((String) d.get("since")).compareTo((String) g[1]) < 0) {
                g[1] = d.get("since");
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((k, g) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("enterprise", k.get(0));
            row.put("name", k.get(1));
            row.put("city", k.get(2));
            row.put("state", k.get(3));
            row.put("expected", k.get(4));
            row.put("allowedWorkingDays", k.get(5));
            row.put("overdue", g[0]);
            row.put("oldestSince", g[1]);
            rows.add(row);
        });
        return rows;
    }
}
