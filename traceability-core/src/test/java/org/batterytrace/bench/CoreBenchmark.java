package org.batterytrace.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.LoggedRecord;
import org.batterytrace.audit.Scenario;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.TreeHash;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the core against raw Bouncy Castle in the same run. The audit benchmarks verify a
 * bundle of {@value #RECORDS} Ed25519-signed records (ops = records), so their score divided by
 * {@code rawEd25519Verify} is the verifier's share of raw signature speed: {@code verifyParsedBundle}
 * for the verifier itself, {@code verifyBundleFromJson} including JSON parsing of the bundle file.
 *
 * <pre>./mvnw -q -pl traceability-core test-compile exec:exec@bench</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class CoreBenchmark {
    static final int RECORDS = 1000;

    @State(Scope.Benchmark)
    public static class Audit {
        Verifier verifier;
        EvidenceBundle bundle;
        byte[] bundleJson;
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        Ed25519PublicKeyParameters makerKey;

        @Setup
        public void setUp() {
            Scenario s = Scenario.standard();
            String battery = "H5NPBA7HN24L01F3K0000521";
            s.record(battery, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
            var installed = Json.object();
            installed.put("vin", "LSVAU218XN2183294");
            s.record(battery, "INSTALLED", "2026-02-02T08:00:00Z", Scenario.MAKER, installed);
            s.record(battery, "SOLD", "2026-02-03T08:00:00Z", Scenario.MAKER, null);
            for (int i = 3; i < RECORDS; i++) {
                var data = Json.object();
                data.put("odometerKm", 1000 + i);
                s.record(battery, "MAINTAINED", String.format("2026-03-01T08:%02d:%02dZ", i / 60 % 60, i % 60), Scenario.MAKER, data);
            }
            verifier = Verifier.pinning(s.log.noteKey());
            bundle = s.bundle(battery);
            try {
                bundleJson = Json.MAPPER.writeValueAsBytes(bundle.toJson());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            makerKey = new Ed25519PublicKeyParameters(s.keys.get(Scenario.MAKER).publicKey().rawEd25519());
            for (LoggedRecord logged : bundle.records()) {
                messages.add(logged.entry().record().canonicalBytes());
                signatures.add(logged.entry().signatures().get(0).value());
            }
            VerificationReport report = verifier.verify(EvidenceBundle.parse(bundleJson));
            if (!report.ok()) {
                throw new IllegalStateException("benchmark bundle does not verify: " + report.findings());
            }
        }
    }

    /** Baseline: Bouncy Castle Ed25519 verification of the same canonical bytes, nothing else. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void rawEd25519Verify(Audit a, Blackhole bh) {
        Ed25519Signer signer = new Ed25519Signer();
        for (int i = 0; i < RECORDS; i++) {
            signer.init(false, a.makerKey);
            byte[] message = a.messages.get(i);
            signer.update(message, 0, message.length);
            bh.consume(signer.verifySignature(a.signatures.get(i)));
        }
    }

    /** The auditor's whole job from the bundle file's bytes: parse, canonicalize, verify everything. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public VerificationReport verifyBundleFromJson(Audit a) {
        return a.verifier.verify(EvidenceBundle.parse(a.bundleJson));
    }

    /** A freshly parsed bundle per call (nothing cached from an earlier verification); parsing is not timed. */
    @State(Scope.Thread)
    public static class Parsed {
        EvidenceBundle bundle;

        @Setup(Level.Invocation)
        public void parse(Audit a) {
            bundle = EvidenceBundle.parse(a.bundleJson);
        }
    }

    /** The verifier alone: canonicalization, hashing, signatures, chain, lifecycle and inclusion proofs. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public VerificationReport verifyParsedBundle(Audit a, Parsed parsed) {
        return a.verifier.verify(parsed.bundle);
    }

    /** The parsing share of {@link #verifyBundleFromJson}. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public EvidenceBundle parseBundle(Audit a) {
        return EvidenceBundle.parse(a.bundleJson);
    }

    @State(Scope.Thread)
    public static class Log {
        static final int SIZE = 1 << 20;
        MerkleTree tree;
        long next;
        List<byte[]> proof;
        byte[] root;
        byte[] provenLeaf;

        @Setup(Level.Trial)
        public void setUp() {
            tree = MerkleTree.inMemory();
            for (int i = 0; i < SIZE; i++) {
                tree.append(TreeHash.leaf(("leaf-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            root = tree.root();
            provenLeaf = tree.leafHash(123_457);
            proof = tree.inclusionProof(123_457, SIZE);
        }
    }

    /** A fresh tree per iteration, so that memory stays bounded. */
    @State(Scope.Thread)
    public static class Appender {
        MerkleTree tree;
        byte[] leaf = Hashes.sha256("leaf".getBytes(StandardCharsets.UTF_8));

        @Setup(Level.Iteration)
        public void setUp() {
            tree = MerkleTree.inMemory();
        }
    }

    @Benchmark
    public long merkleAppend(Appender appender) {
        return appender.tree.append(appender.leaf);
    }

    @Benchmark
    public List<byte[]> merkleInclusionProof(Log log) {
        log.next = (log.next + 7919) % Log.SIZE;
        return log.tree.inclusionProof(log.next, Log.SIZE);
    }

    @Benchmark
    public List<byte[]> merkleConsistencyProof(Log log) {
        log.next = (log.next + 7919) % Log.SIZE;
        return log.tree.consistencyProof(log.next + 1, Log.SIZE);
    }

    @Benchmark
    public void merkleVerifyInclusion(Log log) {
        Proofs.verifyInclusion(log.provenLeaf, 123_457, Log.SIZE, log.proof, log.root);
    }
}
