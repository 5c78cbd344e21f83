package org.batterytrace.monitor;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.batterytrace.log.Tile;
import org.batterytrace.record.SignedRecord;

/**
 * A log as a monitor reads it: the public resources of <a href="https://c2sp.org/tlog-tiles">c2sp.org/tlog-tiles</a>.
 * Nothing read here is trusted until it is checked against the log key.
 */
public interface LogClient {
    /** The current signed checkpoint note ({@code <prefix>/checkpoint}). */
    String checkpoint() throws IOException;

    /** A tile of hashes ({@code <prefix>/tile/<L>/<N>[.p/<W>]}). */
    byte[] tile(Tile tile) throws IOException;

    /**
     * Log entries from index {@code start}, at most up to {@code end} (exclusive), in log order; empty when
     * this client cannot read their contents (entry data follows the log's read policy). The monitor checks
     * them against the tree, so a page may be shorter than asked but never empty.
     */
    default Optional<List<SignedRecord>> entries(long start, long end) throws IOException {
        return Optional.empty();
    }
}
