package org.batterytrace.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.SigningKey;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code docs/tlog-vectors.json}: a witness cosignature (tlog-cosignature v1) on the checkpoint of
 * {@code docs/test-vectors.json}, the add-checkpoint request a log sends for it (tlog-witness), and tile
 * paths and the tiles of a tree (tlog-tiles). Ed25519 is deterministic, so everything must match byte for
 * byte. Regenerate with {@link #main} after a deliberate change.
 */
public class TlogVectorsTest {
    static final Path FILE = Path.of(System.getProperty("tlog.vectors.file", "../docs/tlog-vectors.json"));
    static final Path RECORD_VECTORS = Path.of(System.getProperty("vectors.file", "../docs/test-vectors.json"));

    @Test
    void publishedVectorsHold() throws IOException {
        assertEquals(Json.parse(Files.readAllBytes(FILE)), Json.parse(generate().toString()), "docs/tlog-vectors.json is out of date: regenerate it (see main)");
        JsonNode v = Json.parse(Files.readAllBytes(FILE)).get("cosignature");
        CosignerKey witness = CosignerKey.parse(v.get("witnessKey").asText());
        Note cosigned = Note.parse(v.get("cosignedCheckpoint").asText());
        assertEquals(v.get("timestamp").asLong(), Cosignatures.verify(cosigned, witness).orElseThrow().timestamp());
        SignedNotes.verify(cosigned.format(), NoteKey.parse(v.get("logKey").asText()));
        assertEquals(v.get("signedMessage").asText(), new String(Cosignatures.message(cosigned.text(), v.get("timestamp").asLong()), StandardCharsets.UTF_8));
        AddCheckpoint request = AddCheckpoint.parse(Json.parse(Files.readAllBytes(FILE)).get("addCheckpoint").get("request").asText());
        Checkpoint checkpoint = Witness.verify(request, origin -> List.of(NoteKey.parse(v.get("logKey").asText())));
        Witness.Witnessed at3 = new Witness.Witnessed(3, Hashes.fromHex(Json.parse(Files.readAllBytes(RECORD_VECTORS)).get("merkle").get("consistency").get("firstRoot").asText()));
        assertEquals(7, Witness.advance(request, checkpoint, at3).size());
        assertTrue(generate().get("tiles").get("tiles").size() > 0);
    }

    static ObjectNode generate() throws IOException {
        JsonNode records = Json.parse(Files.readAllBytes(RECORD_VECTORS));
        ObjectNode root = Json.object();
        root.put("description", "Vectors for C2SP tlog-cosignature v1 (Ed25519), tlog-witness add-checkpoint and tlog-tiles paths, "
                + "see docs/record-format.md section 6. The checkpoint and Merkle tree are those of test-vectors.json. Keys are for testing only.");

        byte[] seed = Hashes.sha256("batterytrace test vector witness".getBytes(StandardCharsets.UTF_8));
        NoteKey.Signer witness = new NoteKey.Signer("witness.example/w1", SigningKey.ed25519(seed));
        String logNote = records.get("checkpoint").get("note").asText();
        Note note = Note.parse(logNote);
        long timestamp = 1_780_000_000L;
        Note.Signature line = Cosignatures.sign(note.text(), witness, timestamp);
        ObjectNode cosignature = root.putObject("cosignature");
        cosignature.put("witnessSignerKey", witness.signerKey());
        cosignature.put("witnessKey", CosignerKey.of(witness).verifierKey());
        cosignature.put("logKey", records.get("checkpoint").get("verifierKey").asText());
        cosignature.put("checkpoint", logNote);
        cosignature.put("timestamp", timestamp);
        cosignature.put("signedMessage", new String(Cosignatures.message(note.text(), timestamp), StandardCharsets.UTF_8));
        cosignature.put("line", line.line());
        cosignature.put("cosignedCheckpoint", note.with(List.of(line)).format());

        List<byte[]> proof = new ArrayList<>();
        records.get("merkle").get("consistency").get("proof").forEach(h -> proof.add(Hashes.fromHex(h.asText())));
        ObjectNode add = root.putObject("addCheckpoint");
        add.put("description", "the log's request to a witness that last cosigned size 3 (root merkle.consistency.firstRoot of test-vectors.json)");
        add.put("request", new AddCheckpoint(3, proof, logNote).format());
        add.put("response", line.line() + "\n");

        ArrayNode paths = root.putArray("tilePaths");
        for (Tile tile : List.of(new Tile(0, 0, 256), new Tile(0, 5, 7), new Tile(1, 1000, 256), new Tile(2, 1_234_067, 17), new Tile(63, Long.MAX_VALUE >> 8, 255))) {
            ObjectNode p = paths.addObject();
            p.put("level", tile.level());
            p.put("index", tile.index());
            p.put("width", tile.width());
            p.put("path", tile.path());
        }
        ObjectNode tiles = root.putObject("tiles");
        tiles.put("description", "the non-full tiles, and the number of full tiles per level, a tree of this size is served as");
        tiles.put("treeSize", 70_000);
        ArrayNode list = tiles.putArray("tiles");
        Tile.tilesOf(70_000).stream().filter(t -> !t.isFull()).forEach(t -> list.add(t.path()));
        ArrayNode full = tiles.putArray("fullTilesPerLevel");
        for (int level = 0; level < 3; level++) {
            int l = level;
            full.add(Tile.tilesOf(70_000).stream().filter(t -> t.isFull() && t.level() == l).count());
        }
        return root;
    }

    /** Writes the file: {@code ./mvnw -q -pl traceability-core test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.batterytrace.log.TlogVectorsTest -Dtlog.vectors.file=docs/tlog-vectors.json -Dvectors.file=docs/test-vectors.json}. */
    public static void main(String[] args) throws IOException {
        Files.writeString(FILE, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(generate()) + "\n");
    }
}
