package org.batterytrace.audit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CheckpointException;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.ProofException;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.log.map.MapValue;
import org.batterytrace.record.Fields;
import org.batterytrace.record.Json;
import org.batterytrace.record.KeyFormatException;
import org.batterytrace.record.RecordFormatException;

/**
 * {@code verify-map-proof --log-key <vkey|@file> PROOF.json}: checks a response of
 * {@code GET /api/v1/log/map/proof} offline — the checkpoint's signature, its {@code trace-map/1} root, and
 * the proof against it — and prints what it proves: a chain's latest record or a key's status, or that
 * the key is absent ("this battery code was never logged", as of the checkpoint's size).
 */
final class MapProofCommand {
    private MapProofCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String logKey = null;
        String file = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--log-key") && i + 1 < args.length) {
                logKey = args[++i];
            } else if (!args[i].startsWith("--") && file == null) {
                file = args[i];
            } else {
                err.println("unexpected argument " + args[i]);
                err.println(AuditCli.USAGE);
                return 2;
            }
        }
        if (logKey == null || file == null) {
            err.println(AuditCli.USAGE);
            return 2;
        }
        JsonNode response;
        NoteKey pinned;
        try {
            pinned = NoteKey.parse(logKey.startsWith("@") ? Files.readString(Path.of(logKey.substring(1))).trim() : logKey);
            response = Json.parse(Files.readAllBytes(Path.of(file)));
        } catch (IOException e) {
            err.println("cannot read input: " + e.getMessage());
            return 2;
        } catch (KeyFormatException | RecordFormatException e) {
            err.println("invalid input: " + e.getMessage());
            return 2;
        }
        try {
            Checkpoint checkpoint = SignedNotes.verify(Fields.text(response, "checkpoint", "response"), pinned);
            byte[] root = MapCheckpoints.mapRoot(checkpoint).orElseThrow(() -> new CheckpointException("the checkpoint commits to no map"));
            MapProof proof = MapProof.fromJson(response.get("proof"), "proof");
            Optional<MapValue> value = proof.verify(root);
            out.println("checkpoint  " + checkpoint.origin() + " size " + checkpoint.size());
            if (value.isEmpty()) {
                out.println("ABSENT      " + proof.label() + ": no entry of the log's first " + checkpoint.size() + " sets it");
            } else if (value.get() instanceof MapValue.Head h) {
                out.println("PRESENT     " + proof.label() + ": latest record #" + h.seq() + " at log index " + h.logIndex() + ", hash " + h.hash());
            } else {
                MapValue.KeyStatus k = (MapValue.KeyStatus) value.get();
                out.println("PRESENT     " + proof.label() + ": " + (k.revoked() ? "revoked" : "active") + " since log index " + k.logIndex());
            }
            out.println("RESULT: VERIFIED");
            return 0;
        } catch (CheckpointException | ProofException | RecordFormatException e) {
            out.println("FAIL " + e.getMessage());
            out.println("RESULT: FAILED");
            return 1;
        }
    }
}
