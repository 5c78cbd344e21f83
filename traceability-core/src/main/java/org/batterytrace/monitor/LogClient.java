package org.batterytrace.monitor;

import java.io.IOException;
import org.batterytrace.log.Tile;

/**
 * A log as a monitor reads it: the public resources of <a href="https://c2sp.org/tlog-tiles">c2sp.org/tlog-tiles</a>.
 * Nothing read here is trusted until it is checked against the log key.
 */
public interface LogClient {
    /** The current signed checkpoint note ({@code <prefix>/checkpoint}). */
    String checkpoint() throws IOException;

    /** A tile of hashes ({@code <prefix>/tile/<L>/<N>[.p/<W>]}). */
    byte[] tile(Tile tile) throws IOException;
}
