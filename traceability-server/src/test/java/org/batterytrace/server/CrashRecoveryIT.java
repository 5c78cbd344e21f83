package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kills the packaged server with SIGKILL while writers are busy, restarts it on the same H2 file
 * database, and checks that every acknowledged record survived, the log key and tree carried on, and
 * the new checkpoint is consistent with the last one published before the crash.
 */
class CrashRecoveryIT {
    private final Path data = Path.of("target", "crash-it");
    private ServerProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void acknowledgedRecordsSurviveKillMinusNine() throws Exception {
        deleteRecursively(data.toFile());
        Files.createDirectories(data);
        server = new ServerProcess(data);
        server.start();
        String verifierKey = given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey");
        NoteKey logKey = NoteKey.parse(verifierKey);
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);

        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            Thread writer = new Thread(() -> {
                while (running.get()) {
                    try {
                        SignedRecord record = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
                        if (maker.submit(record).statusCode() == 201) {
                            acknowledged.add(record.hash());
                        }
                    } catch (Throwable connectionDropped) {
                        return;
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }
        // Let the writers get going however loaded the machine is: at least 11 acknowledgements, or a minute.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (acknowledged.size() <= 10 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String before = given().accept("text/plain").get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
        Thread.sleep(500);
        server.kill();
        running.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
        assertTrue(acknowledged.size() > 10, "writers got going: " + acknowledged.size());

        server.start();
        assertEquals(verifierKey, given().get("/api/v1/log/key").then().extract().path("verifierKey"), "same log key after restart");
        List<String> lost = acknowledged.stream().filter(hash -> maker.auth().get("/api/v1/records/" + hash).statusCode() != 200).toList();
        assertEquals(List.of(), lost, lost.size() + " of " + acknowledged.size() + " acknowledged records lost");
        // The tree continues where it stopped: a new record, a new checkpoint consistent with the old one.
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        Checkpoint older = SignedNotes.verify(before, logKey);
        Checkpoint newer = awaitCheckpointBeyond(logKey, older.size());
        var consistency = Json.parse(given().get("/api/v1/log/proofs/consistency?first=" + older.size() + "&second=" + newer.size())
                .then().statusCode(200).extract().asByteArray());
        List<byte[]> proof = new ArrayList<>();
        consistency.get("proof").forEach(h -> proof.add(Hashes.fromHex(h.asText())));
        Proofs.verifyConsistency(older.size(), newer.size(), older.rootHash(), newer.rootHash(), proof);

        EvidenceBundle bundle = EvidenceBundle.parse(maker.auth().get("/api/v1/batteries/" + pack + "/evidence").then().statusCode(200).extract().asByteArray());
        VerificationReport report = Verifier.pinning(logKey).verify(bundle);
        assertTrue(report.ok(), () -> report.findings().toString());
    }

    private static Checkpoint awaitCheckpointBeyond(NoteKey logKey, long size) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var response = given().accept("text/plain").get("/api/v1/log/checkpoint");
            if (response.statusCode() == 200) {
                Checkpoint c = SignedNotes.verify(response.asString(), logKey);
                if (c.size() > size) {
                    return c;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no new checkpoint after restart");
    }

    static void deleteRecursively(File file) throws IOException {
        if (file.isDirectory()) {
            for (File child : file.listFiles()) {
                deleteRecursively(child);
            }
        }
        Files.deleteIfExists(file.toPath());
    }
}
