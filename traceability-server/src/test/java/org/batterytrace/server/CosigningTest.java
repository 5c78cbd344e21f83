package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Optional;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CheckpointException;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.FakeWitness.Mode;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log asks its witness (a {@link FakeWitness}) to cosign each checkpoint and publishes the
 * cosigned note; with the witness refusing, hanging or forging, the log keeps checkpointing uncosigned.
 */
@QuarkusTest
@TestProfile(CosigningProfile.class)
public class CosigningTest {
    private FakeWitness witness;
    private NoteKey logKey;
    private Org maker;

    @BeforeEach
    void setUp() {
        witness = FakeWitness.current;
        witness.mode = Mode.UP;
        logKey = NoteKey.parse(given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey"));
        assertEquals(witness.log.noteKey().verifierKey(), logKey.verifierKey());
        maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
    }

    /** Writes a record; returns its log index. */
    long write(String battery) {
        return maker.record(battery, "PRODUCED", null).get("logIndex").asLong();
    }

    /** The published checkpoint once it covers {@code index} (and is cosigned, if asked), or empty after {@code millis}. */
    Optional<Note> await(long index, boolean cosigned, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            String text = given().accept("text/plain").get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
            Note note = Note.parse(text);
            if (Checkpoint.parseBody(note.text()).size() > index) {
                try {
                    SignedNotes.verify(text, logKey);
                } catch (CheckpointException e) {
                    throw new AssertionError("the published checkpoint does not verify: " + e.getMessage() + "\n" + text, e);
                }
                if (!cosigned || cosignedBy(note)) {
                    return Optional.of(note);
                }
            }
            Thread.sleep(20);
        }
        return Optional.empty();
    }

    boolean cosignedBy(Note note) {
        try {
            return Cosignatures.verify(note, witness.cosignerKey()).isPresent();
        } catch (CheckpointException forged) {
            throw new AssertionError("the log published a cosignature that does not verify", forged);
        }
    }

    @Test
    void checkpointsAreCosignedWithinTwoSecondsAndBundlesCarryTheCosignature() throws Exception {
        String battery = Platform.newPackCode();
        for (int i = 0; i < 5; i++) {
            long index = write(i == 0 ? battery : Platform.newPackCode());
            long start = System.nanoTime();
            Note note = await(index, true, 15_000).orElseThrow(() -> new AssertionError("no cosigned checkpoint within 15 s"));
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
            assertEquals(2, note.signatures().size(), "the log's signature and one cosignature");
        }
        EvidenceBundle bundle = EvidenceBundle.parse(maker.auth().get("/api/v1/batteries/" + battery + "/evidence").then().statusCode(200).extract().asByteArray());
        VerificationReport report = Verifier.pinning(logKey).requiringCosignatures(List.of(witness.cosignerKey()), 1).verify(bundle);
        assertTrue(report.ok(), report.findings().toString());
        assertEquals(1, report.cosignatures().size());
        // The tiles' checkpoint is the same cosigned note.
        assertTrue(cosignedBy(Note.parse(given().get("/tlog/checkpoint").then().statusCode(200).extract().asString())));
    }

    @jakarta.inject.Inject
    org.batterytrace.server.log.CheckpointIntegrator integrator;

    /** The newest signed checkpoint size (the consistency endpoint's default second size), published or not. */
    long signedSize() {
        return given().get("/api/v1/log/proofs/consistency?first=1").then().statusCode(200).extract().jsonPath().getLong("second");
    }

    @Test
    void aBundleWhoseCheckpointWasSkippedCarriesTheLaterCosignedOne() throws Exception {
        // The map checkpoint of the battery's record is signed while the witness is down ...
        witness.mode = Mode.UNAVAILABLE;
        String battery = Platform.newPackCode();
        long index = write(battery);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!Boolean.TRUE.equals(given().get("/api/v1/log/map/proof?key=head:" + battery).then().extract().path("present"))) {
            assertTrue(System.nanoTime() < deadline, "the map covers the record");
            Thread.sleep(20);
        }
        // ... then the map stands still (the bundle's checkpoint stays that one) while the log grows, and the
        // witness, back up, cosigns only the newer checkpoint: it always goes for the newest.
        integrator.maintainMap(false);
        try {
            long later = write(Platform.newPackCode());
            while (signedSize() <= later) {
                assertTrue(System.nanoTime() < deadline, "a newer checkpoint is signed");
                Thread.sleep(20);
            }
            witness.mode = Mode.UP;
            assertTrue(await(later, true, 15_000).isPresent(), "the newer checkpoint is cosigned");
            EvidenceBundle bundle = EvidenceBundle.parse(maker.auth().get("/api/v1/batteries/" + battery + "/evidence").then().statusCode(200).extract().asByteArray());
            long size = SignedNotes.verify(bundle.checkpoint(), logKey).size();
            assertTrue(size > index && size <= later, "the bundle proves against the map's checkpoint");
            assertEquals(1, Note.parse(bundle.checkpoint()).signatures().size(), "which no witness cosigned");
            assertTrue(bundle.witnessedCheckpoint() != null, "the later cosigned checkpoint comes along");
            VerificationReport report = Verifier.pinning(logKey).requiringCosignatures(List.of(witness.cosignerKey()), 1).verify(bundle);
            assertTrue(report.ok(), report.findings().toString());
            assertTrue(report.latestProven());
            assertTrue(report.witnessedCheckpoint().orElseThrow().size() > later);
        } finally {
            integrator.maintainMap(true);
        }
        // The map catches up and signs the newest size again, now with its map line; the witness cosigns it again.
        long last = write(Platform.newPackCode());
        Note note = await(last, true, 15_000).orElseThrow(() -> new AssertionError("cosigned after the map caught up"));
        assertTrue(org.batterytrace.log.map.MapCheckpoints.mapRoot(Checkpoint.parseBody(note.text())).isPresent(), note.text());
    }

    @Test
    void theLogKeepsCheckpointingWhileItsWitnessIsDownAndResumesAfter() throws Exception {
        for (Mode down : List.of(Mode.UNAVAILABLE, Mode.HANGING)) {
            witness.mode = down;
            long index = write(Platform.newPackCode());
            // Signed at once; published uncosigned once it has waited trace.cosigning.publish-wait (1 s here).
            Note note = await(index, false, 15_000).orElseThrow(() -> new AssertionError("no checkpoint within 15 s with the witness " + down));
            assertTrue(!cosignedBy(note), "not cosigned while the witness is " + down);
        }
        witness.mode = Mode.UP;
        long index = write(Platform.newPackCode());
        assertTrue(await(index, true, 15_000).isPresent(), "cosigned again once the witness is back");
    }

    @Test
    void aForgedCosignatureIsNotPublished() throws Exception {
        witness.mode = Mode.FORGING;
        int before = witness.requests.get();
        long index = write(Platform.newPackCode());
        Note note = await(index, false, 15_000).orElseThrow();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (witness.requests.get() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(witness.requests.get() > before, "the witness was asked");
        Thread.sleep(300);
        assertEquals(1, Note.parse(given().accept("text/plain").get("/api/v1/log/checkpoint").asString()).signatures().size(), "only the log's own signature");
        assertTrue(!cosignedBy(note));
        witness.mode = Mode.UP;
    }
}
