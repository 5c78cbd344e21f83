package org.batterytrace.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.testing.VectorFiles;
import org.junit.jupiter.api.Test;

/**
 * Language-neutral evidence-bundle vectors in {@code docs/test-vectors/bundles/}, one case per file named
 * after what it breaks (the layout of transparency-dev/merkle's testdata). Each file holds the log's
 * {@code logKey} (a C2SP verifier key), the {@code bundle} (or, for a bundle that must not parse,
 * {@code bundleText}) and {@code want}: {@code VERIFIED}, or {@code FAILED} with the exact set of failure
 * kinds of docs/record-format.md §8. Every bundle but the mutated-JSON ones comes from a real log: each
 * breaks one rule with every signature, chain link, inclusion and map proof valid. Keys are Ed25519 from
 * fixed seeds, so the generator ({@link #main}) writes the same bytes every time; the test checks the
 * committed files against it. Regenerate after a deliberate change:
 * {@code ./mvnw -q -pl traceability-core test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.batterytrace.audit.BundleVectorsTest -Dbundle.vectors.dir=docs/test-vectors/bundles}
 */
public class BundleVectorsTest {
    static final Path DIR = Path.of(System.getProperty("bundle.vectors.dir", "../docs/test-vectors/bundles"));
    static final String PACK = "H5NPBA7HN24L01F3K0000521";

    @Test
    void committedVectorsHoldAndMatchTheGenerator() throws IOException {
        Map<String, ObjectNode> generated = generate();
        Map<String, JsonNode> committed = VectorFiles.readMatching(DIR, generated, BundleVectorsTest::check);
        assertTrue(committed.values().stream().anyMatch(v -> v.at("/want/result").asText().equals("VERIFIED")));
        // Another language's verifier meets every failure kind here, but for a bundle above 64 MiB.
        Set<String> covered = new TreeSet<>();
        committed.values().forEach(v -> v.at("/want/failures").forEach(f -> covered.add(f.asText())));
        Set<String> all = new TreeSet<>();
        for (Failure f : Failure.values()) {
            all.add(f.name());
        }
        all.remove(Failure.BUNDLE_TOO_LARGE.name());
        assertEquals(all, covered, "failure kinds without a bundle vector");
    }

    /** What another implementation does with a file: parse within the caps, verify against the pinned key, compare. */
    static void check(String name, JsonNode v) {
        Set<String> failures = new TreeSet<>();
        boolean verified;
        try {
            EvidenceBundle bundle = v.has("bundleText") ? EvidenceBundle.parse(v.get("bundleText").asText().getBytes(StandardCharsets.UTF_8))
                    : EvidenceBundle.fromJson(v.get("bundle"));
            Verifier verifier = Verifier.pinning(NoteKey.parse(v.get("logKey").asText()));
            if (v.has("witnesses")) {
                List<CosignerKey> witnesses = new java.util.ArrayList<>();
                v.get("witnesses").forEach(w -> witnesses.add(CosignerKey.parse(w.asText())));
                verifier = verifier.requiringCosignatures(witnesses, v.get("quorum").asInt());
            }
            VerificationReport report = verifier.verify(bundle);
            report.findings().forEach(f -> failures.add(f.failure().name()));
            verified = report.ok();
        } catch (BundleLimit.Exceeded e) {
            failures.add(e.limit().failure().name());
            verified = false;
        } catch (RecordFormatException e) {
            failures.add(Failure.MALFORMED_BUNDLE.name());
            verified = false;
        }
        assertEquals(v.at("/want/result").asText(), verified ? "VERIFIED" : "FAILED", name + ": " + failures);
        Set<String> want = new TreeSet<>();
        v.at("/want/failures").forEach(f -> want.add(f.asText()));
        assertEquals(want, failures, name);
    }

    // ---- the generator ----

    static SigningKey key(String name) {
        return SigningKey.ed25519(Hashes.sha256(("batterytrace bundle vector " + name).getBytes(StandardCharsets.UTF_8)));
    }

    /** A log with the maker, OEM and recycler registered from 2026-01-01, all Ed25519 from fixed seeds. */
    static Scenario scenario() {
        Scenario s = new Scenario(key("log"));
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        s.register(Scenario.MAKER, key("maker"), from);
        s.register(Scenario.OEM, key("oem"), from);
        s.register(Scenario.RECYCLER, key("recycler"), from);
        return s;
    }

    static Map<String, ObjectNode> generate() {
        Map<String, ObjectNode> files = new TreeMap<>();
        Scenario life = scenario().standardLife(PACK);
        files.put("valid-life.json", vector("a pack from production to collection: every check passes", life, life.bundle(PACK).toJson(), List.of()));

        files.put("last-record-withheld.json", vector("the bundle leaves out the newest record; the map's head proves it",
                life, edit(life.bundle(PACK).toJson(), b -> ((ArrayNode) b.get("records")).remove(b.get("records").size() - 1)), List.of("NOT_LATEST")));
        files.put("flipped-inclusion-proof-bit.json", vector("one bit of an inclusion proof flipped", life, edit(life.bundle(PACK).toJson(), b -> {
            ArrayNode proof = (ArrayNode) b.get("records").get(2).get("proof");
            byte[] hash = Hashes.fromHex(proof.get(0).asText());
            hash[0] ^= 1;
            proof.set(0, Hashes.hex(hash));
        }), List.of("INCLUSION_PROOF_INVALID")));
        files.put("non-canonical-number.json", vectorText("a decimal where trace-record/1 allows only integers: not a bundle", life,
                life.bundle(PACK).toJson().toString().replace("\"ratedCapacityAh\":150", "\"ratedCapacityAh\":150.5"), List.of("MALFORMED_BUNDLE")));
        files.put("too-many-signatures.json", vector("nine signatures on one record: over the verifier's cap, refused before parsing them", life,
                edit(life.bundle(PACK).toJson(), b -> {
                    ArrayNode signatures = (ArrayNode) b.get("records").get(0).get("entry").get("signatures");
                    while (signatures.size() < 9) {
                        signatures.add(signatures.get(0).deepCopy());
                    }
                }), List.of("TOO_MANY_SIGNATURES")));

        files.put("bad-signature.json", logged("a logged record whose only signature does not verify", s -> {
            TraceRecord r = s.next(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            RecordSignature good = s.keys.get(Scenario.MAKER).sign(r);
            byte[] value = good.value().clone();
            value[0] ^= 1;
            s.add(PACK, SignedRecord.of(r, List.of(new RecordSignature(good.keyId(), good.alg(), value))));
        }, List.of("SIGNATURE_INVALID", "MISSING_SIGNATURE")));
        files.put("broken-prev.json", logged("the second record names a prev that is not the first record's hash", s -> {
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            ObjectNode to = Json.object();
            to.put("to", Scenario.OEM);
            TraceRecord r = s.next(PACK, "TRANSFERRED", "2026-02-02T08:00:00Z", Scenario.MAKER, to);
            TraceRecord broken = TraceRecord.of(r.subject(), r.seq(), "00".repeat(32), r.type(), r.instant(), r.actor(), r.data());
            s.add(PACK, SignedRecord.sign(broken, s.keys.get(Scenario.MAKER), s.keys.get(Scenario.OEM)));
        }, List.of("CHAIN_BROKEN")));
        files.put("time-running-backwards.json", logged("a transfer dated before the production it follows", s -> {
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            s.transfer(PACK, "2026-01-20T08:00:00Z", Scenario.MAKER, Scenario.OEM);
        }, List.of("TIME_BEFORE_PREVIOUS")));
        files.put("duplicate-signer.json", logged("the maker's signature twice on one record", s -> {
            TraceRecord r = s.next(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            RecordSignature once = s.keys.get(Scenario.MAKER).sign(r);
            s.add(PACK, SignedRecord.of(r, List.of(once, once)));
        }, List.of("DUPLICATE_SIGNER")));
        files.put("signed-after-revocation.json", logged("a record logged after its key's revocation, dated before it (a stolen key back-dating)", s -> {
            s.revoke(Scenario.MAKER, Instant.parse("2026-03-01T00:00:00Z"));
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        }, List.of("SIGNED_AFTER_REVOCATION", "MISSING_SIGNATURE")));
        files.put("missing-receiver-signature.json", logged("a transfer carrying only the custodian's signature", s -> {
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            ObjectNode to = Json.object();
            to.put("to", Scenario.OEM);
            s.add(PACK, SignedRecord.sign(s.next(PACK, "TRANSFERRED", "2026-02-10T08:00:00Z", Scenario.MAKER, to), s.keys.get(Scenario.MAKER)));
        }, List.of("MISSING_SIGNATURE")));
        String cascade = BatteryCode.cascade("H5N", ProductLevel.MODULE, Chemistry.LFP, "02", java.time.LocalDate.of(2026, 1, 8), 7, ProductLevel.PACK).value();
        files.put("produced-on-cascade-code.json", logged(cascade, "PRODUCED under a 19-character cascade-product code", s ->
                s.record(cascade, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced()), List.of("CODE_KIND_MISMATCH")));
        String other = "H5NPBA7HN24L01F3K0000530";
        files.put("pack-part-of-pack.json", logged(other, "a pack PRODUCED as part of another pack", s -> {
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            ObjectNode part = Scenario.produced();
            part.put("parent", PACK);
            s.record(other, "PRODUCED", "2026-02-01T09:00:00Z", Scenario.MAKER, part);
        }, List.of("LEVEL_MISMATCH")));
        addEveryOtherFailure(files, life);
        files.put("recycled-into-another-recyclers-lot.json", logged("a battery RECYCLED into a lot whose id names another recycler", s -> {
            s.standardLife(PACK);
            ObjectNode recycled = Json.object();
            recycled.put("lot", "LOT-" + Scenario.MAKER + "-2026A7");
            recycled.put("massGrams", 300_000);
            s.record(PACK, "RECYCLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, recycled);
        }, List.of("EVENT_DATA_INVALID")));
        addOrganizationFacts(files, life);
        linkScenarios().forEach((name, c) -> files.put(name, vector(c.description(), c.log(), c.log().bundle(c.subject()).toJson(), List.of(c.failure().name()))));
        Scenario assembled = linkedLife();
        assembled.record(CASCADE, "ASSEMBLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().set("sources", Json.array().add(PACK)));
        files.put("valid-cascade-product.json", vector("a cascade product assembled from a pack its assembler tested and repurposed: the bundle carries the"
                + " source's chain", assembled, assembled.bundle(CASCADE).toJson(), List.of()));
        return files;
    }

    static final String CASCADE = "H5NMB02G580000007RP";
    static final String MODULE = BatteryCode.of("H5N", ProductLevel.MODULE, Chemistry.NCM, "A7", "HN24L01", java.time.LocalDate.of(2026, 1, 20), 7).value();
    static final String LOT = "LOT-" + Scenario.RECYCLER + "-2026A7";

    /** A log where a pack went through its life to the recycler, which tested it for cascade use and repurposed it. */
    static Scenario linkedLife() {
        Scenario s = scenario().standardLife(PACK);
        ObjectNode test = Json.object().put("measuredCapacityMah", 118_000).put("ratedCapacityMah", 150_000).put("measuredEnergyWh", 55_000)
                .put("internalResistanceMicroOhm", 900).put("capacityRatioBp", 7866).put("decision", "CASCADE");
        s.record(PACK, "TESTED", "2026-09-10T08:00:00Z", Scenario.RECYCLER, test);
        s.record(PACK, "REPURPOSED", "2026-09-11T08:00:00Z", Scenario.RECYCLER, null);
        return s;
    }

    /** One broken rule: the log that accepted it, the subject whose bundle shows it, and the failure. */
    record RuleCase(String description, Scenario log, String subject, Failure failure) {
    }

    private static void logged(Map<String, RuleCase> cases, String name, String description, Failure failure, Consumer<Scenario> build) {
        Scenario s = scenario();
        build.accept(s);
        cases.put(name, new RuleCase(description, s, PACK, failure));
    }

    /** Each rule that reads organization facts, broken once in a log that accepted it; VerifierTest runs the same cases. */
    static Map<String, RuleCase> factScenarios() {
        Map<String, RuleCase> cases = new TreeMap<>();
        logged(cases, "installed-by-a-battery-maker.json", "the battery maker records INSTALLED, which only vehicle makers may", Failure.ROLE_NOT_ALLOWED, s -> {
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            s.record(PACK, "INSTALLED", "2026-02-20T08:00:00Z", Scenario.MAKER, Json.object().put("vin", "LSVAU218XN2183294"));
        });
        logged(cases, "actor-never-registered.json", "a record by an organization whose key is logged but which the log never registered",
                Failure.ACTOR_NOT_REGISTERED, s -> {
                    s.registerKey(UNREGISTERED, key("unregistered"), JAN_1);
                    s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", UNREGISTERED, Scenario.produced());
                });
        logged(cases, "transfer-to-an-unregistered-organization.json", "a transfer to an organization the log never registered", Failure.UNKNOWN_RECEIVER, s -> {
            s.registerKey(UNREGISTERED, key("unregistered"), JAN_1);
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            s.transfer(PACK, "2026-02-10T08:00:00Z", Scenario.MAKER, UNREGISTERED);
        });
        logged(cases, "transfer-to-a-regulator.json", "a battery handed to a regulator, which may not hold batteries", Failure.RECEIVER_CANNOT_HOLD, s -> {
            s.organization(REGULATOR, EnumSet.of(Role.REGULATOR), null, JAN_1);
            s.registerKey(REGULATOR, key("regulator"), JAN_1);
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            s.transfer(PACK, "2026-02-10T08:00:00Z", Scenario.MAKER, REGULATOR);
        });
        logged(cases, "retired-battery-to-a-withdrawn-recycler.json", "a retired battery handed to a recycler whose white-list qualification was withdrawn"
                + " before", Failure.RECEIVER_NOT_QUALIFIED, s -> {
                    s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
                    s.qualify(Scenario.RECYCLER, new OrganizationFacts.Qualification(false, null, "MIIT-2026-001 withdrawn"), Instant.parse("2026-08-01T00:00:00Z"));
                    s.standardLifeAfterProduction(PACK);
                });
        logged(cases, "retired-battery-after-qualification-expired.json", "a retired battery handed to a recycler qualified until the day before",
                Failure.RECEIVER_NOT_QUALIFIED, s -> {
                    s.qualify(Scenario.RECYCLER, new OrganizationFacts.Qualification(true, LocalDate.parse("2026-09-04"), "MIIT-2026-001"),
                            Instant.parse("2026-01-02T00:00:00Z"));
                    s.standardLife(PACK);
                });
        logged(cases, "code-under-another-makers-filing.json", "a pack registered under a manufacturer code another maker filed", Failure.MANUFACTURER_CODE_MISMATCH,
                s -> {
                    s.organization(OTHER_MAKER, EnumSet.of(Role.BATTERY_MAKER), null, JAN_1, "H5N");
                    s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
                });
        Scenario own = new Scenario(key("log"));
        own.organization(Scenario.MAKER, EnumSet.of(Role.BATTERY_MAKER), null, JAN_1, "X12");
        own.register(Scenario.MAKER, key("maker"), JAN_1);
        own.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        cases.put("code-not-among-the-makers-own.json", new RuleCase("a maker that filed X12 registers a pack under H5N, which nobody filed", own, PACK,
                Failure.MANUFACTURER_CODE_MISMATCH));
        logged(cases, "forged-organization-fact.json", "a qualification entry in the maker's facts signed by the maker instead of the log",
                Failure.ORGANIZATION_EVENT_INVALID, s -> {
                    SignedRecord last = s.lastFact(OrganizationEvents.factsSubject(Scenario.MAKER));
                    s.appendFact(SignedRecord.sign(OrganizationEvents.qualification(Scenario.MAKER, 2, last.hash(), JAN_1, Scenario.LOG,
                            new OrganizationFacts.Qualification(true, null, "self-granted")), key("maker")));
                    s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
                });
        return cases;
    }

    /** Each rule that reads another chain (LinkRules), broken once; VerifierTest runs the same cases. */
    static Map<String, RuleCase> linkScenarios() {
        Map<String, RuleCase> cases = new TreeMap<>();
        Scenario unregistered = scenario();
        unregistered.record(CASCADE, "ASSEMBLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().set("sources", Json.array().add(PACK)));
        cases.put("assembled-from-an-unregistered-source.json", new RuleCase("a cascade product assembled from a pack the log never registered",
                unregistered, CASCADE, Failure.SOURCE_NOT_REGISTERED));
        Scenario notRepurposed = scenario().standardLife(PACK);
        notRepurposed.record(CASCADE, "ASSEMBLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().set("sources", Json.array().add(PACK)));
        cases.put("assembled-from-a-source-never-repurposed.json", new RuleCase("a cascade product assembled from a pack that was collected but never"
                + " tested and repurposed", notRepurposed, CASCADE, Failure.SOURCE_NOT_REPURPOSED));
        Scenario orphan = scenario();
        orphan.record(MODULE, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced().put("parent", PACK));
        cases.put("module-of-an-unregistered-pack.json", new RuleCase("a module PRODUCED as part of a pack the log never registered", orphan, MODULE,
                Failure.PARENT_NOT_REGISTERED));
        Scenario foreignPart = scenario().standardLife(PACK);
        foreignPart.record(MODULE, "PRODUCED", "2026-02-01T09:00:00Z", Scenario.MAKER, Scenario.produced());
        foreignPart.record(PACK, "DISMANTLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().set("components", Json.array().add(MODULE)));
        cases.put("dismantled-listing-a-part-of-no-parent.json", new RuleCase("a pack DISMANTLED into a module that was registered without a parent",
                foreignPart, PACK, Failure.PART_NOT_REGISTERED));
        Scenario undismantled = scenario();
        undismantled.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        undismantled.record(MODULE, "PRODUCED", "2026-02-01T09:00:00Z", Scenario.MAKER, Scenario.produced().put("parent", PACK));
        undismantled.record(MODULE, "SEPARATED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().put("parent", PACK));
        cases.put("separated-from-a-pack-never-dismantled.json", new RuleCase("a module SEPARATED by a recycler from a pack nobody dismantled",
                undismantled, MODULE, Failure.PARENT_NOT_DISMANTLED));
        Scenario otherParent = scenario();
        otherParent.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        otherParent.record(MODULE, "PRODUCED", "2026-02-01T09:00:00Z", Scenario.MAKER, Scenario.produced().put("parent", PACK));
        otherParent.record(MODULE, "SEPARATED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().put("parent", "H5NPBA7HN24L01F3K0000530"));
        cases.put("separated-naming-another-parent.json", new RuleCase("a module SEPARATED naming a pack other than the one it was registered in",
                otherParent, MODULE, Failure.PART_OF_ANOTHER_PARENT));
        Scenario noLot = scenario().standardLife(PACK);
        noLot.record(PACK, "RECYCLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().put("lot", LOT).put("massGrams", 300_000));
        cases.put("recycled-into-a-lot-never-opened.json", new RuleCase("a pack RECYCLED into a lot of the recycler's that was never opened", noLot, PACK,
                Failure.LOT_NOT_OPEN));
        return cases;
    }

    static final String UNREGISTERED = CreditCode.withCheckCharacter("91430100MA4L0009X").value();
    static final String REGULATOR = CreditCode.withCheckCharacter("11430000MB1234567").value();
    static final String OTHER_MAKER = CreditCode.withCheckCharacter("91430100MA4L0008X").value();
    static final Instant JAN_1 = Instant.parse("2026-01-01T00:00:00Z");

    /** The rules that read organization facts (roles, white list, filed manufacturer codes), each broken once in a log that accepted it. */
    static void addOrganizationFacts(Map<String, ObjectNode> files, Scenario life) {
        ObjectNode v2 = life.bundle(PACK).toJson();
        v2.put("format", EvidenceBundle.FORMAT_V2);
        v2.remove("organizationFacts");
        v2.remove("linkedRecords");
        files.put("trace-evidence-2.json", vector("an archived trace-evidence/2 bundle: it carries no organization facts, so roles, the white list and"
                + " manufacturer codes are unchecked", life, v2, List.of("ORGANIZATION_FACTS_MISSING")));
        Scenario future = scenario().standardLife(PACK);
        future.record(PACK, "DISMANTLED", "2099-01-01T00:00:00Z", Scenario.RECYCLER, Json.object().set("components", Json.array()));
        EvidenceBundle dated = future.bundle(PACK);
        files.put("dated-after-the-witness-cosigned.json", pinning(vector("a record dated 2099 in a tree a pinned witness cosigned in 2027: the"
                + " witness's time is a clock the log does not control", future, withCosignatures(dated, cosign(dated, WITNESS_1)).toJson(),
                List.of("TIME_IN_FUTURE")), 1));
        files.put("qualification-withdrawal-withheld.json", vector("the bundle leaves out the recycler's withdrawal from the white list; the map's"
                + " head of its facts shows it", life, withheldWithdrawal(), List.of("NOT_LATEST")));
        factScenarios().forEach((name, c) -> files.put(name, vector(c.description(), c.log(), c.log().bundle(c.subject()).toJson(), List.of(c.failure().name()))));
        Scenario filed = new Scenario(key("log"));
        filed.organization(Scenario.MAKER, EnumSet.of(Role.BATTERY_MAKER), null, JAN_1, "H5N");
        filed.register(Scenario.MAKER, key("maker"), JAN_1);
        filed.register(Scenario.OEM, key("oem"), JAN_1);
        filed.register(Scenario.RECYCLER, key("recycler"), JAN_1);
        filed.standardLife(PACK);
        files.put("valid-life-filed-code.json", vector("a pack under the manufacturer code its maker filed, to a recycler on the white list", filed,
                filed.bundle(PACK).toJson(), List.of()));
    }

    private static ObjectNode withheldWithdrawal() {
        Scenario s = scenario();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        s.qualify(Scenario.RECYCLER, new OrganizationFacts.Qualification(false, null, "MIIT-2026-001 withdrawn"), Instant.parse("2026-08-01T00:00:00Z"));
        s.standardLifeAfterProduction(PACK);
        return edit(s.bundle(PACK).toJson(), b -> {
            ArrayNode facts = (ArrayNode) b.get("organizationFacts");
            facts.remove(facts.size() - 1);
        });
    }

    static final NoteKey.Signer WITNESS_1 = new NoteKey.Signer("witness.example/w1", key("witness 1"));
    static final NoteKey.Signer WITNESS_2 = new NoteKey.Signer("witness.example/w2", key("witness 2"));
    static final long COSIGNED_AT = 1_800_000_000L;
    static final String NEVER_LOGGED = "X12MCPM27KLPCLX2M2382320";

    /**
     * One vector for each failure kind the first vectors leave out (VerifierTest's fixtures, each in a
     * log of fixed keys), the witness cases (with {@code witnesses} and {@code quorum} pinned), and valid
     * lives signed with ES256 and with SM2. BUNDLE_TOO_LARGE has no file: it takes a bundle above 64 MiB.
     */
    static void addEveryOtherFailure(Map<String, ObjectNode> files, Scenario life) {
        // ---- the checkpoint, witnesses and consistency ----
        NoteKey impostor = new NoteKey(Scenario.LOG, key("impostor").publicKey());
        ObjectNode wrongKey = vector("pinned a log key that did not sign the checkpoint: nothing can be proven against it", life,
                life.bundle(PACK).toJson(), List.of("CHECKPOINT_INVALID", "INCLUSION_PROOF_INVALID", "KEY_EVENT_INVALID", "ORGANIZATION_EVENT_INVALID", "UNKNOWN_KEY", "MISSING_SIGNATURE"));
        wrongKey.put("logKey", impostor.verifierKey());
        files.put("checkpoint-signed-by-another-key.json", wrongKey);

        EvidenceBundle plain = life.bundle(PACK);
        EvidenceBundle byBoth = withCosignatures(plain, cosign(plain, WITNESS_1), cosign(plain, WITNESS_2));
        files.put("valid-life-cosigned.json", pinning(vector("both pinned witnesses cosigned the checkpoint; a quorum of two holds", life,
                byBoth.toJson(), List.of()), 2));
        files.put("witness-quorum-not-met.json", pinning(vector("two cosignatures required, one pinned witness cosigned", life,
                withCosignatures(plain, cosign(plain, WITNESS_1)).toJson(), List.of("WITNESS_QUORUM_NOT_MET")), 2));
        NoteKey.Signer forger = new NoteKey.Signer(WITNESS_1.name(), key("forger"));
        Note.Signature forged = cosign(plain, forger);
        Note.Signature claimed = new Note.Signature(WITNESS_1.name(), CosignerKey.of(WITNESS_1).keyId(), forged.signature());
        files.put("forged-cosignature.json", pinning(vector("a cosignature line under witness 1's name and key id, signed by another key", life,
                withCosignatures(plain, claimed, cosign(plain, WITNESS_2)).toJson(), List.of("COSIGNATURE_INVALID")), 1));

        Scenario grown = scenario().standardLife(PACK);
        EvidenceBundle atHead = grown.bundle(PACK);
        long size = grown.tree.size();
        grown.record(NEVER_LOGGED, "PRODUCED", "2026-06-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        Note later = Note.parse(grown.checkpoint());
        String cosignedLater = later.with(List.of(Cosignatures.sign(later.text(), WITNESS_1, COSIGNED_AT))).format();
        List<byte[]> proof = grown.tree.consistencyProof(size, grown.tree.size());
        files.put("valid-life-witnessed-later.json", pinning(vector("the witness cosigned a later checkpoint, which the bundle shows extends its own",
                grown, atHead.withCheckpoint(atHead.checkpoint(), new EvidenceBundle.WitnessedCheckpoint(cosignedLater, proof)).toJson(), List.of()), 1));
        files.put("witnessed-checkpoint-smaller.json", vector("a witnessed checkpoint smaller than the bundle's proves nothing about it", grown,
                atHead.withCheckpoint(atHead.checkpoint(), new EvidenceBundle.WitnessedCheckpoint(grown.checkpoint(size - 1), List.of())).toJson(),
                List.of("CONSISTENCY_INVALID")));
        files.put("witnessed-checkpoint-not-signed-by-the-log.json", vector("the witnessed checkpoint's text was changed after the log signed it", grown,
                atHead.withCheckpoint(atHead.checkpoint(), new EvidenceBundle.WitnessedCheckpoint(cosignedLater.replace("\n\n", "\nextra\n\n"), proof)).toJson(),
                List.of("CHECKPOINT_INVALID")));

        // ---- keys and signatures ----
        files.put("key-event-dated-before-previous.json", logged("the maker's second key registration is dated before its first", s -> {
            s.register(Scenario.MAKER, key("maker 2"), Instant.parse("2025-06-01T00:00:00Z"));
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        }, List.of("KEY_EVENT_INVALID")));
        files.put("unregistered-key.json", logged("signed by a key no key event registers", s ->
                s.add(PACK, SignedRecord.sign(s.next(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced()), key("unregistered"))),
                List.of("UNKNOWN_KEY", "MISSING_SIGNATURE")));
        files.put("signed-before-key-valid.json", logged("dated before the signing key's registration takes effect", s ->
                s.record(PACK, "PRODUCED", "2025-12-31T23:59:59Z", Scenario.MAKER, Scenario.produced()), List.of("KEY_NOT_VALID_AT_TIME", "MISSING_SIGNATURE")));
        files.put("algorithm-mismatch.json", logged("an Ed25519 signature that claims to be ES256", s -> {
            TraceRecord r = s.next(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            RecordSignature good = s.keys.get(Scenario.MAKER).sign(r);
            s.add(PACK, SignedRecord.of(r, List.of(new RecordSignature(good.keyId(), SignatureAlgorithm.ES256, good.value()))));
        }, List.of("ALGORITHM_MISMATCH", "MISSING_SIGNATURE")));
        files.put("third-party-signature.json", logged("the recycler co-signs the maker's production record", s -> {
            TraceRecord r = s.next(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            s.add(PACK, SignedRecord.sign(r, s.keys.get(Scenario.MAKER), s.keys.get(Scenario.RECYCLER)));
        }, List.of("SIGNER_NOT_PARTY")));
        files.put("revocation-withheld.json", vector("the recycler's key was revoked after its records; the bundle leaves the revocation out",
                withRevokedRecycler(), edit(withRevokedRecycler().bundle(PACK).toJson(), b -> {
                    ArrayNode events = (ArrayNode) b.get("keyEvents");
                    events.remove(events.size() - 1);
                }), List.of("KEY_STATUS_MISMATCH")));

        // ---- the chain and its rules ----
        files.put("records-of-another-battery.json", vector("one battery's records offered as another's, with a valid head proof for the other code", life,
                new EvidenceBundle(NEVER_LOGGED, plain.checkpoint(), plain.keyEvents(), plain.organizationFacts(), plain.records(), plain.linkedRecords(), life.mapProofs(NEVER_LOGGED, plain.records())).toJson(),
                List.of("SUBJECT_MISMATCH", "NOT_LATEST")));
        files.put("install-without-custody.json", logged("the OEM installs a battery it never received", s -> {
            s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
            ObjectNode installed = Json.object();
            installed.put("vin", "LSVAU218XN2183294");
            s.record(PACK, "INSTALLED", "2026-02-20T08:00:00Z", Scenario.OEM, installed);
        }, List.of("LIFECYCLE_VIOLATION")));
        files.put("no-records.json", vector("a bundle of a code the log never saw: no records, and the map proves it absent", life,
                life.bundle(NEVER_LOGGED).toJson(), List.of("EMPTY_BUNDLE")));

        // ---- map proofs ----
        files.put("head-proof-missing.json", vector("the bundle carries no proof of the battery's head", life,
                edit(life.bundle(PACK).toJson(), b -> ((ArrayNode) b.get("mapProofs")).remove(0)), List.of("MAP_PROOF_MISSING")));
        files.put("trace-evidence-1.json", vector("an archived trace-evidence/1 bundle: every old check passes, completeness is unproven", life,
                new EvidenceBundle(PACK, plain.checkpoint(), plain.keyEvents(), plain.records()).toJson(), List.of("MAP_PROOF_MISSING", "ORGANIZATION_FACTS_MISSING")));
        files.put("head-proof-claims-older-seq.json", vector("the head proof's value is edited to an older seq: it no longer leads to the map root", life,
                edit(life.bundle(PACK).toJson(), b -> ((ObjectNode) b.get("mapProofs").get(0).get("value")).put("seq", 6)), List.of("MAP_PROOF_INVALID")));

        // ---- caps ----
        files.put("inclusion-proof-too-long.json", vector("an inclusion proof of 65 hashes, longer than any tree below 2^64 leaves needs", life,
                edit(life.bundle(PACK).toJson(), b -> {
                    ArrayNode p = (ArrayNode) b.get("records").get(1).get("proof");
                    while (p.size() <= BundleLimit.INCLUSION_PROOF_HASHES.max()) {
                        p.add("00".repeat(32));
                    }
                }), List.of("PROOF_TOO_LONG")));
        StringBuilder many = new StringBuilder("{\"format\":\"trace-evidence/2\",\"subject\":\"" + PACK + "\",\"checkpoint\":\"\",\"keyEvents\":[],\"records\":[0");
        for (long i = 1; i <= BundleLimit.ENTRIES.max(); i++) {
            many.append(",0");
        }
        files.put("too-many-entries.json", vectorText("100,001 records: over the verifier's cap, refused on the array's length before any is read", life,
                many.append("],\"mapProofs\":[]}").toString(), List.of("TOO_MANY_ENTRIES")));

        // ---- the other signature algorithms ----
        Scenario es256 = new Scenario(key("log"));
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        es256.register(Scenario.MAKER, key("maker"), from);
        es256.register(Scenario.OEM, key("oem"), from);
        es256.register(Scenario.RECYCLER, SigningKey.generate(SignatureAlgorithm.ES256, new FixedRandom("recycler ES256")), from);
        es256.standardLife(PACK);
        files.put("valid-life-es256.json", vector("the recycler signs with ECDSA P-256 (DER signatures, deterministic k): every check passes", es256,
                es256.bundle(PACK).toJson(), List.of()));
        files.put("valid-life-sm2.json", sm2Life());
    }

    /** Production, transfer and installation where the OEM signs with SM2 (a fixed k source, so the file is stable). */
    static ObjectNode sm2Life() {
        Scenario s = new Scenario(key("log"));
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        s.register(Scenario.MAKER, key("maker"), from);
        SigningKey oem = s.register(Scenario.OEM, SigningKey.generate(SignatureAlgorithm.SM2, new FixedRandom("oem SM2")), from);
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        ObjectNode to = Json.object();
        to.put("to", Scenario.OEM);
        TraceRecord transfer = s.next(PACK, "TRANSFERRED", "2026-02-10T08:00:00Z", Scenario.MAKER, to);
        s.add(PACK, SignedRecord.of(transfer, List.of(s.keys.get(Scenario.MAKER).sign(transfer), sm2(oem, transfer))));
        ObjectNode installed = Json.object();
        installed.put("vin", "LSVAU218XN2183294");
        TraceRecord install = s.next(PACK, "INSTALLED", "2026-02-20T08:00:00Z", Scenario.OEM, installed);
        s.add(PACK, SignedRecord.of(install, List.of(sm2(oem, install))));
        return vector("the OEM signs with SM2: the Java verifier checks it; a browser cannot (WebCrypto has no SM2)", s, s.bundle(PACK).toJson(), List.of());
    }

    private static RecordSignature sm2(SigningKey key, TraceRecord record) {
        try {
            var privateKey = org.bouncycastle.crypto.util.PrivateKeyFactory.createKey(org.batterytrace.record.Pem.decode("PRIVATE KEY", key.toPem()));
            var signer = new org.bouncycastle.crypto.signers.SM2Signer();
            signer.init(true, new org.bouncycastle.crypto.params.ParametersWithRandom(privateKey, new FixedRandom("k " + record.seq())));
            byte[] message = record.canonicalBytes();
            signer.update(message, 0, message.length);
            RecordSignature signature = new RecordSignature(key.keyId(), SignatureAlgorithm.SM2, signer.generateSignature());
            assertTrue(key.publicKey().verify(message, signature.value()));
            return signature;
        } catch (IOException | org.bouncycastle.crypto.CryptoException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A standard life, then the recycler's key revoked (logged after its records). */
    private static Scenario withRevokedRecycler() {
        Scenario s = scenario().standardLife(PACK);
        s.revoke(Scenario.RECYCLER, Instant.parse("2027-01-01T00:00:00Z"));
        return s;
    }

    static Note.Signature cosign(EvidenceBundle bundle, NoteKey.Signer witness) {
        return Cosignatures.sign(Note.parse(bundle.checkpoint()).text(), witness, COSIGNED_AT);
    }

    static EvidenceBundle withCosignatures(EvidenceBundle bundle, Note.Signature... lines) {
        return bundle.withCheckpoint(Note.parse(bundle.checkpoint()).with(List.of(lines)).format(), bundle.witnessedCheckpoint());
    }

    /** The vector's verifier pins both witnesses and requires {@code quorum} of them. */
    static ObjectNode pinning(ObjectNode vector, int quorum) {
        ArrayNode witnesses = Json.array();
        witnesses.add(CosignerKey.of(WITNESS_1).verifierKey());
        witnesses.add(CosignerKey.of(WITNESS_2).verifierKey());
        ObjectNode v = Json.object();
        v.set("description", vector.get("description"));
        v.set("logKey", vector.get("logKey"));
        v.set("witnesses", witnesses);
        v.put("quorum", quorum);
        v.set("want", vector.get("want"));
        v.set("bundle", vector.get("bundle"));
        return v;
    }

    /** Bytes from a SHA-256 counter stream over a name: fixed keys and SM2 nonces for the vector files, never for real keys. */
    static final class FixedRandom extends java.security.SecureRandom {
        private final String seed;
        private long counter;

        FixedRandom(String name) {
            this.seed = "batterytrace bundle vector " + name + "#";
        }

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i += 32) {
                byte[] block = Hashes.sha256((seed + counter++).getBytes(StandardCharsets.UTF_8));
                System.arraycopy(block, 0, bytes, i, Math.min(32, bytes.length - i));
            }
        }
    }

    static ObjectNode logged(String description, Consumer<Scenario> build, List<String> failures) {
        return logged(PACK, description, build, failures);
    }

    static ObjectNode logged(String subject, String description, Consumer<Scenario> build, List<String> failures) {
        Scenario s = scenario();
        build.accept(s);
        return vector(description, s, s.bundle(subject).toJson(), failures);
    }

    static ObjectNode edit(ObjectNode bundle, Consumer<ObjectNode> edit) {
        edit.accept(bundle);
        return bundle;
    }

    static ObjectNode vector(String description, Scenario s, ObjectNode bundle, List<String> failures) {
        ObjectNode v = head(description, s, failures);
        v.set("bundle", bundle);
        return v;
    }

    static ObjectNode vectorText(String description, Scenario s, String bundleText, List<String> failures) {
        ObjectNode v = head(description, s, failures);
        v.put("bundleText", bundleText);
        return v;
    }

    private static ObjectNode head(String description, Scenario s, List<String> failures) {
        ObjectNode v = Json.object();
        v.put("description", description);
        v.put("logKey", s.log.noteKey().verifierKey());
        ObjectNode want = v.putObject("want");
        want.put("result", failures.isEmpty() ? "VERIFIED" : "FAILED");
        ArrayNode kinds = want.putArray("failures");
        new TreeSet<>(failures).forEach(kinds::add);
        return v;
    }

    /** Writes the vector files (and removes stale ones). */
    public static void main(String[] args) throws IOException {
        VectorFiles.write(DIR, generate());
    }
}
