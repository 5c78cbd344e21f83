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
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.log.map.MapValue;
import org.batterytrace.log.map.TileId;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * The integrator signs a checkpoint with the new map root first and stores the changed map tiles after
 * it ({@link LogMapStore#store}). Between the two, proofs come from the stored map at an older checkpoint
 * and still verify. A lost copy of the unstored tiles (a crash between checkpoint and store) is rebuilt
 * by replaying the entries after the stored size, which must give the root the checkpoint already names:
 * nothing is signed twice. A stored map that does not give that root (damaged or altered tiles) stops
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

        // Proofs come from the stored map: the older checkpoint, which shows the older head and verifies.
        JsonNode older = given().get("/api/v1/log/map/proof?key=" + MapLabels.head(pack)).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals(stored, older.get("treeSize").asLong());
        assertEquals(1, ((MapValue.Head) verify(older, logKey).orElseThrow()).seq());

        // The unstored tiles are lost: the next round replays from the stored map and signs nothing new.
        String note = signed.note;
        map.forgetCachedTiles();
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
