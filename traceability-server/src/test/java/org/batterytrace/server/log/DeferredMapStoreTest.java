package org.batterytrace.server.log;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import javax.sql.DataSource;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.map.LogMap;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.log.map.MapValue;
import org.batterytrace.log.map.TileId;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * The integrator signs a checkpoint with the new map root first and stores the changed map tiles after
 * it ({@link LogMapStore#store}). Between the two, proofs come from the unstored tiles in memory, at the
 * new checkpoint; without them, from the stored map at an older checkpoint, and both verify. A lost
 * copy of the unstored tiles (a crash between checkpoint and store) is rebuilt by replaying the entries
 * after the stored size, which must give the root the checkpoint already names: nothing is signed twice. A stored map that does not give that root (damaged or altered tiles) stops
 * the integrator instead of being carried into later checkpoints. The schedule is slowed to an hour here,
 * so that the test drives every round.
 */
@QuarkusTest
@TestProfile(DeferredMapStoreTest.ManualRounds.class)
public class DeferredMapStoreTest {
    public static class ManualRounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trace.checkpoint.interval", "1h", "trace.checkpoint.map-store-interval", "1h");
        }
    }

    @Inject
    CheckpointIntegrator integrator;
    @Inject
    LogMapStore map;
    @Inject
    DataSource dataSource;

    @Test
    void checkpointsComeFirstTheTilesAfterAndALostCopyIsReplayed() {
        NoteKey logKey = NoteKey.parse(given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey"));
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        integrator.integrate();
        long stored = map.size();
        assertEquals(stored, latest().size, "integrate() stores the map");

        maker.record(pack, "INSTALLED", Platform.data("vin", "LSVAU218XN2183294"));
        CheckpointEntity signed = integrator.integrate(false);
        assertTrue(signed.size > stored);
        assertNotNull(signed.mapRoot);
        assertEquals(stored, map.size(), "the tiles wait for the store interval");

        // Proofs come from the unstored tiles: the new checkpoint, with the new head, before any tile is written.
        JsonNode fresh = given().get("/api/v1/log/map/proof?key=" + MapLabels.head(pack)).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals(signed.size, fresh.get("treeSize").asLong());
        assertEquals(2, ((MapValue.Head) verify(fresh, logKey).orElseThrow()).seq());

        // The unstored tiles are lost: proofs come from the stored map (the older checkpoint, which shows the
        // older head and verifies), and the next round replays from the stored map and signs nothing new.
        String note = signed.note;
        map.forgetCachedTiles();
        JsonNode older = given().get("/api/v1/log/map/proof?key=" + MapLabels.head(pack)).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals(stored, older.get("treeSize").asLong());
        assertEquals(1, ((MapValue.Head) verify(older, logKey).orElseThrow()).seq());
        CheckpointEntity again = integrator.integrate(false);
        assertEquals(signed.size, again.size);
        assertEquals(note, QuarkusTransaction.requiringNew().call(() -> CheckpointEntity.<CheckpointEntity>findById(signed.size).note));
        assertEquals(stored, map.size());

        integrator.integrate();
        assertEquals(signed.size, map.size());
        JsonNode newer = given().get("/api/v1/log/map/proof?key=" + MapLabels.head(pack)).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals(signed.size, newer.get("treeSize").asLong());
        assertEquals(2, ((MapValue.Head) verify(newer, logKey).orElseThrow()).seq());
    }

    /**
     * The store holds only the map's row lock, so checkpoints go on while it writes (here: while it waits
     * for that lock, held by the test). Proofs follow each new checkpoint from memory; once the store
     * commits, the tiles of checkpoints signed meanwhile stay unstored until the next store, and every
     * root still matches a replay of the log.
     */
    @Test
    void checkpointsGoOnWhileTheMapIsStored() throws Exception {
        NoteKey logKey = NoteKey.parse(given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey"));
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        maker.record(Platform.newPackCode(), "PRODUCED", null);
        integrator.integrate();
        long stored = map.size();
        maker.record(Platform.newPackCode(), "PRODUCED", null);
        CheckpointEntity first = integrator.integrate(false);

        String late = Platform.newPackCode();
        CheckpointEntity second;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT counter FROM log_state WHERE name = 'map' FOR UPDATE")) {
                lock.executeQuery().close();
            }
            integrator.storeInBackground();
            maker.record(late, "PRODUCED", null);
            second = integrator.integrate(false);
            assertTrue(second.size > first.size, "a checkpoint signed while the store waits");
            assertEquals(stored, map.size(), "the store waits for the row lock");
            JsonNode proof = given().get("/api/v1/log/map/proof?key=" + MapLabels.head(late)).then().statusCode(200).extract().as(JsonNode.class);
            assertEquals(second.size, proof.get("treeSize").asLong());
            assertTrue(verify(proof, logKey).isPresent());
            holder.rollback();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (map.size() == stored) {
            assertTrue(System.nanoTime() < deadline, "the store went on once the lock was free");
            Thread.sleep(10);
        }
        assertTrue(map.size() >= first.size && map.size() <= second.size, "stored " + map.size());

        JsonNode proof = given().get("/api/v1/log/map/proof?key=" + MapLabels.head(late)).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals(second.size, proof.get("treeSize").asLong(), "tiles signed after the store began are still served");
        assertTrue(verify(proof, logKey).isPresent());

        CheckpointEntity last = integrator.integrate();
        assertEquals(last.size, map.size());
        assertFalse(map.hasUnstored());
        map.forgetCachedTiles(); // the stored tiles alone give the signed root
        JsonNode fromStorage = given().get("/api/v1/log/map/proof?key=" + MapLabels.head(late)).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals(last.size, fromStorage.get("treeSize").asLong());
        assertTrue(verify(fromStorage, logKey).isPresent());
    }

    /**
     * Stores committing in the middle of advances, many times over: writers keep the log growing while
     * rounds sign checkpoints and a store is started after each. Every map root signed must be the one a
     * replay of the log gives at that size.
     */
    @Test
    void rootsStayThoseOfTheReplayWhileStoresAndCheckpointsOverlap() throws Exception {
        integrator.integrate();
        long from = latest().size;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
            Thread writer = new Thread(() -> {
                while (writing.get()) {
                    maker.record(Platform.newPackCode(), "PRODUCED", null);
                }
            });
            writer.start();
            writers.add(writer);
        }
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) {
            integrator.integrate(false);
            integrator.storeInBackground();
            Thread.sleep(5);
        }
        writing.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
        long last = integrator.integrate().size;

        Map<Long, String> signed = new TreeMap<>();
        List<SignedRecord> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement checkpoints = c.prepareStatement("SELECT size, map_root FROM checkpoint WHERE map_root IS NOT NULL AND size > ? ORDER BY size");
             PreparedStatement log = c.prepareStatement("SELECT envelope FROM log_entry WHERE idx < ? ORDER BY idx")) {
            checkpoints.setLong(1, from);
            try (ResultSet rs = checkpoints.executeQuery()) {
                while (rs.next()) {
                    signed.put(rs.getLong(1), rs.getString(2));
                }
            }
            log.setLong(1, last);
            try (ResultSet rs = log.executeQuery()) {
                while (rs.next()) {
                    entries.add(SignedRecord.parse(rs.getString(1)));
                }
            }
        }
        assertTrue(signed.size() >= 10, signed.size() + " map checkpoints");
        LogMap replay = LogMap.inMemory();
        for (Map.Entry<Long, String> checkpoint : signed.entrySet()) {
            replay.append(entries.subList((int) replay.size(), checkpoint.getKey().intValue()));
            assertEquals(Hashes.hex(replay.root()), checkpoint.getValue(), "the map root signed at " + checkpoint.getKey());
        }
    }

    /**
     * The memory bound ({@code trace.checkpoint.map-unstored-tiles}): at the bound the unstored tiles are
     * stored in the background, long before the interval (an hour here) is up; at twice the bound the
     * integrator waits for the store.
     */
    @Test
    void unstoredTilesAreStoredAtTheBoundWhateverTheInterval() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        integrator.integrate();
        for (int i = 0; i < 8; i++) {
            maker.record(Platform.newPackCode(), "PRODUCED", null);
        }
        CheckpointEntity signed = integrator.integrate(false);
        int unstored = map.unstoredTiles(); // one (the root) on a fresh database, more after other tests
        assertTrue(unstored >= 1, unstored + " tiles");
        assertTrue(map.size() < signed.size);

        integrator.boundUnstoredTiles(unstored + 1);
        assertTrue(map.size() < signed.size, "below the bound nothing is stored");
        integrator.boundUnstoredTiles(unstored);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (map.size() < signed.size || map.hasUnstored()) {
            assertTrue(System.nanoTime() < deadline, "the background store at the bound");
            Thread.sleep(10);
        }
        assertEquals(0, map.unstoredTiles());

        for (int i = 0; i < 8; i++) {
            maker.record(Platform.newPackCode(), "PRODUCED", null);
        }
        CheckpointEntity next = integrator.integrate(false);
        assertTrue(map.size() < next.size);
        integrator.boundUnstoredTiles(map.unstoredTiles() / 2); // at least twice the bound
        assertEquals(next.size, map.size(), "at twice the bound the store is waited for");
        assertFalse(map.hasUnstored());
    }

    @Test
    void aStoredMapThatDoesNotGiveTheSignedRootStopsTheIntegrator() throws SQLException {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        maker.record(Platform.newPackCode(), "PRODUCED", null);
        integrator.integrate();
        maker.record(Platform.newPackCode(), "PRODUCED", null);
        CheckpointEntity signed = integrator.integrate(false);
        assertTrue(signed.size > map.size());

        // The stored root tile is altered, and this instance's unstored copy is lost.
        byte[] root = rootTile();
        setRootTile(new org.batterytrace.log.map.Tile().toBytes());
        map.forgetCachedTiles();
        try {
            RuntimeException refused = assertThrows(RuntimeException.class, () -> integrator.integrate(false));
            assertTrue(causes(refused).contains("names " + signed.mapRoot), causes(refused));
            assertEquals(signed.size, latest().size, "nothing was signed over the altered map");
        } finally {
            setRootTile(root);
            map.forgetCachedTiles();
        }
        integrator.integrate();
        assertEquals(latest().size, map.size());
        assertFalse(map.hasUnstored());
    }

    private static CheckpointEntity latest() {
        return QuarkusTransaction.requiringNew().call(CheckpointEntity::latest);
    }

    private static Optional<MapValue> verify(JsonNode response, NoteKey logKey) {
        Checkpoint checkpoint = SignedNotes.verify(response.get("checkpoint").asText(), logKey);
        byte[] mapRoot = MapCheckpoints.mapRoot(checkpoint).orElseThrow();
        assertEquals(response.get("mapRoot").asText(), Hashes.hex(mapRoot));
        return MapProof.fromJson(response.get("proof"), "proof").verify(mapRoot);
    }

    private static String causes(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" / ");
        }
        return all.toString();
    }

    private byte[] rootTile() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement("SELECT body FROM map_tile WHERE id = ?")) {
            select.setBytes(1, TileId.ROOT.bytes());
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next());
                return rs.getBytes(1);
            }
        }
    }

    private void setRootTile(byte[] body) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement("UPDATE map_tile SET body = ? WHERE id = ?")) {
            update.setBytes(1, body);
            update.setBytes(2, TileId.ROOT.bytes());
            assertEquals(1, update.executeUpdate());
        }
    }
}
