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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.RecordSignature;
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
        Map<String, JsonNode> committed = VectorFiles.read(DIR);
        assertEquals(generated.keySet(), committed.keySet(), "the committed vector files are not what the generator writes; regenerate (see javadoc)");
        for (Map.Entry<String, JsonNode> e : committed.entrySet()) {
            assertEquals(Json.parse(Json.MAPPER.writeValueAsBytes(generated.get(e.getKey()))), e.getValue(), e.getKey() + " differs from the generator's output");
            check(e.getKey(), e.getValue());
        }
        assertTrue(committed.values().stream().anyMatch(v -> v.at("/want/result").asText().equals("VERIFIED")));
    }

    /** What another implementation does with a file: parse within the caps, verify against the pinned key, compare. */
    static void check(String name, JsonNode v) {
        Set<String> failures = new TreeSet<>();
        boolean verified;
        try {
            EvidenceBundle bundle = v.has("bundleText") ? EvidenceBundle.parse(v.get("bundleText").asText().getBytes(StandardCharsets.UTF_8))
                    : EvidenceBundle.fromJson(v.get("bundle"));
            VerificationReport report = Verifier.pinning(NoteKey.parse(v.get("logKey").asText())).verify(bundle);
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
        files.put("recycled-into-another-recyclers-lot.json", logged("a battery RECYCLED into a lot whose id names another recycler", s -> {
            s.standardLife(PACK);
            ObjectNode recycled = Json.object();
            recycled.put("lot", "LOT-" + Scenario.MAKER + "-2026A7");
            recycled.put("massGrams", 300_000);
            s.record(PACK, "RECYCLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, recycled);
        }, List.of("EVENT_DATA_INVALID")));
        return files;
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
