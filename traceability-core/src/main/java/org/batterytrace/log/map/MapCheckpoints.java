package org.batterytrace.log.map;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CheckpointException;

/**
 * The checkpoint extension line that commits to the map (docs/record-format.md §6.1, C2SP
 * tlog-checkpoint "extension lines"): {@code trace-map/1 <base64 map root>}, the root of the map derived
 * from exactly the checkpoint's {@code size} entries. Checkpoints signed before the map existed have no
 * such line and stay valid checkpoints.
 */
public final class MapCheckpoints {
    public static final String PREFIX = "trace-map/1 ";

    private MapCheckpoints() {
    }

    public static String line(byte[] mapRoot) {
        if (mapRoot.length != MapHash.SIZE) {
            throw new IllegalArgumentException("a map root is 32 bytes");
        }
        return PREFIX + Base64.getEncoder().encodeToString(mapRoot);
    }

    /** The checkpoint with its map line (other extension lines kept). */
    public static Checkpoint withMapRoot(Checkpoint checkpoint, byte[] mapRoot) {
        List<String> lines = new ArrayList<>();
        lines.add(line(mapRoot));
        checkpoint.extensions().stream().filter(l -> !l.startsWith(PREFIX)).forEach(lines::add);
        return new Checkpoint(checkpoint.origin(), checkpoint.size(), checkpoint.rootHash(), lines);
    }

    /**
     * The map root a checkpoint commits to; empty for a checkpoint without a map line. Throws
     * {@link CheckpointException} for two map lines or one that is not {@code trace-map/1 <base64 of 32 bytes>}.
     */
    public static Optional<byte[]> mapRoot(Checkpoint checkpoint) {
        byte[] root = null;
        for (String line : checkpoint.extensions()) {
            if (!line.startsWith(PREFIX)) {
                continue;
            }
            if (root != null) {
                throw new CheckpointException("checkpoint has more than one trace-map/1 line");
            }
            try {
                root = Base64.getDecoder().decode(line.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException("trace-map/1 line is not base64");
            }
            if (root.length != MapHash.SIZE) {
                throw new CheckpointException("trace-map/1 root is not 32 bytes");
            }
        }
        return Optional.ofNullable(root);
    }
}
