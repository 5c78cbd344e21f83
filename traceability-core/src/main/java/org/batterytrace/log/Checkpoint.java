package org.batterytrace.log;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The body of a C2SP tlog-checkpoint: origin line, decimal tree size, base64 root hash, then optional
 * extension lines, each ending in a newline.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
    public Checkpoint {
        if (origin == null || origin.isEmpty() || origin.contains("\n")) {
            throw new CheckpointException("checkpoint origin must be one non-empty line");
        }
        if (size < 0) {
            throw new CheckpointException("checkpoint size must not be negative");
        }
        if (rootHash == null || rootHash.length != TreeHash.SIZE) {
            throw new CheckpointException("checkpoint root must be a 32-byte hash");
        }
        extensions = List.copyOf(extensions);
    }

    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    public String body() {
        StringBuilder text = new StringBuilder().append(origin).append('\n').append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        for (String extension : extensions) {
            text.append(extension).append('\n');
        }
        return text.toString();
    }

    public byte[] bodyBytes() {
        return body().getBytes(StandardCharsets.UTF_8);
    }

    public static Checkpoint parseBody(String body) {
        if (!body.endsWith("\n")) {
            throw new CheckpointException("checkpoint body must end with a newline");
        }
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new CheckpointException("checkpoint needs origin, size and root lines");
        }
        long size;
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new CheckpointException("checkpoint size line is not a decimal number: " + lines[1]);
        }
        size = Long.parseLong(lines[1]);
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint root line is not base64");
        }
        for (int i = 3; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                throw new CheckpointException("checkpoint body must not contain blank lines");
            }
        }
        return new Checkpoint(lines[0], size, root, List.of(lines).subList(3, lines.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && origin.equals(c.origin) && size == c.size && java.util.Arrays.equals(rootHash, c.rootHash) && extensions.equals(c.extensions);
    }

    @Override
    public int hashCode() {
        return origin.hashCode() * 31 + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return body();
    }
}
