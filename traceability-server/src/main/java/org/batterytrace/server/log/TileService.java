package org.batterytrace.server.log;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import org.batterytrace.log.Tile;

/**
 * The log's hashes as C2SP tlog-tiles: hash {@code i} of tile {@code (L, N)} is the stored Merkle node
 * {@code (8L, 256N + i)} (see {@link JdbcNodeStore}: tile levels are exactly the stored ones), so a tile
 * is one range read. Only tiles of the tree of
 * the latest checkpoint are served: the spec asks for tiles of checkpointed sizes, and entries not yet
 * checkpointed stay unannounced.
 */
@ApplicationScoped
public class TileService {
    @Inject
    EntityManager em;
    @Inject
    CheckpointIntegrator integrator;
    @Inject
    TransparencyLog log;

    /** The published checkpoint note (see {@link CheckpointIntegrator#published()}), or null before the first. */
    @Transactional
    public String checkpoint() {
        CheckpointEntity published = integrator.published();
        return published == null ? null : published.note;
    }

    /** The tile's bytes, or null when the tree of the latest checkpoint does not have it. */
    @Transactional
    public byte[] tile(Tile tile) {
        CheckpointEntity latest = CheckpointEntity.latest();
        if (latest == null || !tile.existsIn(latest.size)) {
            return null;
        }
        List<byte[]> hashes = log.storedNodes(tile.nodeLevel(), tile.firstNode(), tile.width());
        if (hashes.size() != tile.width()) {
            throw new IllegalStateException("merkle nodes of tile " + tile.path() + " are missing");
        }
        byte[] bytes = new byte[tile.byteLength()];
        for (int i = 0; i < hashes.size(); i++) {
            System.arraycopy(hashes.get(i), 0, bytes, i * 32, 32);
        }
        return bytes;
    }
}
