package org.batterytrace.audit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import org.batterytrace.audit.BundleLimit;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.Failure;
import org.batterytrace.audit.Finding;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.Fields;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.KeyFormatException;
import org.batterytrace.record.RecordFormatException;

/**
 * {@code java -jar traceability-core-cli.jar verify --log-key <vkey|@file> [--witness <vkey|@file>]...
 * [--quorum N] [--previous-checkpoint FILE --consistency-proof FILE] bundle.json}. Exit status 0 =
 * verified, 1 = verification failed, 2 = usage or input error. Also {@code monitor} (see
 * {@link MonitorCommand}) and key generation for log operators and witnesses.
 */
public final class AuditCli {
    static final String USAGE = """
            usage: verify --log-key <verifier key | @file> [--witness <key | @file>]... [--quorum N]
                          [--previous-checkpoint FILE --consistency-proof FILE] BUNDLE.json
                   verify-map-proof --log-key <verifier key | @file> PROOF.json   (a response of GET /api/v1/log/map/proof)
                   monitor --log PREFIX --log-key KEY --state FILE [--entries API --token TOKEN] [--witness KEY]... [--every DURATION]   (see monitor --help)
                   new-log-key ORIGIN      (prints a fresh signer key for the server and its verifier key for auditors)
                   new-witness-key NAME    (prints a witness signer key for trace.witness.signer-key and its cosigner key)
              --log-key              the log's pinned note verifier key, e.g. trace.example/log+1a2b3c4d+AU...
              --witness              a witness's cosigner key (type 0x04), e.g. witness.example/w1+5c6d7e8f+BK...; repeatable
              --quorum               how many of the given witnesses must have cosigned the bundle's checkpoint (default: all)
              --previous-checkpoint  another signed checkpoint you trust, older or newer than the bundle's
              --consistency-proof    JSON {"proof": ["<hex>", ...]} between the two sizes, from
                                     GET /api/v1/log/proofs/consistency?first=<smaller>&second=<larger>
            exit status: 0 verified, 1 verification failed, 2 usage or input error""";

    private AuditCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** An operator's log key: the signer key goes into trace.log.signer-key, the verifier key to auditors. */
    static int newLogKey(String origin, PrintStream out, PrintStream err) {
        try {
            NoteKey.Signer signer = new NoteKey.Signer(origin, org.batterytrace.record.SigningKey.generate(org.batterytrace.record.SignatureAlgorithm.ED25519));
            out.println("signer-key   " + signer.signerKey());
            out.println("verifier-key " + signer.noteKey().verifierKey());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("invalid origin: " + e.getMessage());
            return 2;
        }
    }

    /** A witness's key: the signer key goes into trace.witness.signer-key, the cosigner key to logs and auditors. */
    static int newWitnessKey(String name, PrintStream out, PrintStream err) {
        try {
            NoteKey.Signer signer = new NoteKey.Signer(name, org.batterytrace.record.SigningKey.generate(org.batterytrace.record.SignatureAlgorithm.ED25519));
            out.println("signer-key   " + signer.signerKey());
            out.println("witness-key  " + CosignerKey.of(signer).verifierKey());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("invalid name: " + e.getMessage());
            return 2;
        }
    }

    /** A key given inline or as {@code @file}. */
    static String keyArgument(String value) throws IOException {
        return value.startsWith("@") ? Files.readString(Path.of(value.substring(1))).trim() : value;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 2 && args[0].equals("new-log-key")) {
            return newLogKey(args[1], out, err);
        }
        if (args.length > 0 && args[0].equals("verify-map-proof")) {
            return MapProofCommand.run(args, out, err);
        }
        if (args.length == 2 && args[0].equals("new-witness-key")) {
            return newWitnessKey(args[1], out, err);
        }
        if (args.length > 0 && args[0].equals("monitor")) {
            if (args.length == 2 && args[1].equals("--help")) {
                out.println(MonitorCommand.USAGE);
                return 0;
            }
            return MonitorCommand.run(args, out, err, java.time.Clock.systemUTC());
        }
        if (args.length == 0 || !args[0].equals("verify")) {
            err.println(USAGE);
            return 2;
        }
        String logKey = null;
        String previous = null;
        String proof = null;
        String bundlePath = null;
        List<String> witnesses = new ArrayList<>();
        String quorum = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--log-key" -> logKey = i + 1 < args.length ? args[++i] : null;
                case "--witness" -> witnesses.add(i + 1 < args.length ? args[++i] : null);
                case "--quorum" -> quorum = i + 1 < args.length ? args[++i] : "";
                case "--previous-checkpoint" -> previous = i + 1 < args.length ? args[++i] : null;
                case "--consistency-proof" -> proof = i + 1 < args.length ? args[++i] : null;
                default -> {
                    if (args[i].startsWith("--") || bundlePath != null) {
                        err.println("unexpected argument " + args[i]);
                        err.println(USAGE);
                        return 2;
                    }
                    bundlePath = args[i];
                }
            }
        }
        if (logKey == null || bundlePath == null || (previous == null) != (proof == null) || witnesses.contains(null)
                || (quorum != null && (witnesses.isEmpty() || !quorum.matches("[1-9][0-9]{0,3}")))) {
            err.println(USAGE);
            return 2;
        }
        try {
            NoteKey pinned = NoteKey.parse(keyArgument(logKey));
            Verifier verifier = Verifier.pinning(pinned);
            if (!witnesses.isEmpty()) {
                List<CosignerKey> keys = new ArrayList<>();
                for (String w : witnesses) {
                    keys.add(CosignerKey.parse(keyArgument(w)));
                }
                int required = quorum == null ? (int) keys.stream().distinct().count() : Integer.parseInt(quorum);
                try {
                    verifier = verifier.requiringCosignatures(keys, required);
                } catch (IllegalArgumentException e) {
                    err.println("invalid input: " + e.getMessage());
                    return 2;
                }
            }
            EvidenceBundle bundle;
            Verifier.PreviousCheckpoint older = null;
            try {
                Path file = Path.of(bundlePath);
                BundleLimit.BUNDLE_BYTES.check(Files.size(file), "bundle (bytes)");
                bundle = EvidenceBundle.parse(Files.readAllBytes(file));
            } catch (BundleLimit.Exceeded e) {
                return overCap(e, out);
            } catch (RecordFormatException e) {
                out.println("FAIL " + Failure.MALFORMED_BUNDLE + " bundle: " + e.getMessage());
                out.println("RESULT: FAILED (bundle unreadable)");
                return 1;
            }
            if (previous != null) {
                // A malformed proof file is a usage error (exit 2, below); an overlong one fails like an overlong bundle proof.
                JsonNode hashes = Fields.array(Json.parse(Files.readAllBytes(Path.of(proof))), "proof", "consistency proof");
                try {
                    BundleLimit.CONSISTENCY_PROOF_HASHES.check(hashes.size(), "consistency proof");
                } catch (BundleLimit.Exceeded e) {
                    return overCap(e, out);
                }
                List<byte[]> decoded = new ArrayList<>();
                for (JsonNode hash : hashes) {
                    decoded.add(Hashes.fromHex(hash.asText()));
                }
                older = new Verifier.PreviousCheckpoint(Files.readString(Path.of(previous), StandardCharsets.UTF_8), decoded);
            }
            VerificationReport report = verifier.verify(bundle, older);
            print(bundle, report, out);
            return report.ok() ? 0 : 1;
        } catch (IOException e) {
            err.println("cannot read input: " + e.getMessage());
            return 2;
        } catch (KeyFormatException | RecordFormatException e) {
            err.println("invalid input: " + e.getMessage());
            return 2;
        }
    }

    /** An input over one of the verifier's caps fails with the cap's kind, read no further. */
    private static int overCap(BundleLimit.Exceeded e, PrintStream out) {
        out.println("FAIL " + e.limit().failure() + ": " + e.getMessage());
        out.println("RESULT: FAILED (over the verifier's caps, not read further)");
        return 1;
    }

    private static void print(EvidenceBundle bundle, VerificationReport report, PrintStream out) {
        out.println("subject     " + bundle.subject());
        report.checkpoint().ifPresentOrElse(
                c -> out.println("checkpoint  " + c.origin() + " size " + c.size() + " root " + Hashes.hex(c.rootHash())),
                () -> out.println("checkpoint  INVALID"));
        report.witnessedCheckpoint().ifPresent(c -> out.println("witnessed   checkpoint size " + c.size() + " extends it (consistency proof)"));
        report.cosignatures().forEach(c -> out.println("cosigned    by " + c.witness().name() + " at " + c.time()));
        report.mapRoot().ifPresent(r -> out.println("map root    " + Hashes.hex(r)));
        out.println("key events  " + report.keyEventsChecked());
        report.recordLines().forEach(out::println);
        if (report.latestProven()) {
            out.println("latest      the last record is the subject's latest at the checkpoint (map proof)");
        }
        report.finalStatus().ifPresent(s -> out.println("final state " + s.state() + ", custodian " + s.custodian()));
        for (Finding finding : report.findings()) {
            out.println("FAIL " + finding);
        }
        out.println(report.ok() ? "RESULT: VERIFIED (" + report.recordsChecked() + " records)" : "RESULT: FAILED (" + report.findings().size() + " problems)");
    }
}
