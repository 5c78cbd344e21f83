package org.batterytrace.log;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The body of a tlog-witness {@code add-checkpoint} request
 * (<a href="https://c2sp.org/tlog-witness">c2sp.org/tlog-witness</a>, "add-checkpoint"): an
 * {@code old <size>} line, zero to 63 base64 consistency-proof hashes one per line, an empty line, then
 * the signed checkpoint note. Parsing checks the form only; {@link Witness} checks the content.
 */
public record AddCheckpoint(long oldSize, List<byte[]> proof, String checkpoint) {
    /** The spec lets a client send at most 63 proof lines (a tree below 2^63 needs no more). */
    public static final int MAX_PROOF_LINES = 63;
    /** A request is its proof (63 lines of 45 characters at most) and one signed note. */
    public static final int MAX_CHARS = Note.MAX_CHARS + 4 * 1024;

    public AddCheckpoint {
        if (oldSize < 0) {
            throw malformed("old size must not be negative");
        }
        if (proof.size() > MAX_PROOF_LINES) {
            throw malformed("at most " + MAX_PROOF_LINES + " consistency proof lines");
        }
        proof = List.copyOf(proof);
    }

    public static AddCheckpoint parse(String body) {
        if (body == null || body.length() > MAX_CHARS) {
            throw malformed("request body is missing or longer than " + MAX_CHARS + " characters");
        }
        int end = body.indexOf('\n');
        if (end < 0 || !body.startsWith("old ")) {
            throw malformed("the first line must be 'old <size>'");
        }
        String size = body.substring(4, end);
        if (!size.matches("0|[1-9][0-9]{0,18}")) {
            throw malformed("old size must be a decimal without leading zeroes");
        }
        long oldSize;
        try {
            oldSize = Long.parseLong(size);
        } catch (NumberFormatException e) {
            throw malformed("old size is out of range");
        }
        List<byte[]> proof = new ArrayList<>();
        int start = end + 1;
        while (true) {
            end = body.indexOf('\n', start);
            if (end < 0) {
                throw malformed("the proof lines must be followed by an empty line and the checkpoint");
            }
            if (end == start) {
                break;
            }
            if (proof.size() == MAX_PROOF_LINES) {
                throw malformed("at most " + MAX_PROOF_LINES + " consistency proof lines");
            }
            byte[] hash;
            try {
                hash = Base64.getDecoder().decode(body.substring(start, end));
            } catch (IllegalArgumentException e) {
                throw malformed("consistency proof line is not base64");
            }
            if (hash.length != TreeHash.SIZE) {
                throw malformed("consistency proof line is not a 32-byte hash");
            }
            proof.add(hash);
            start = end + 1;
        }
        return new AddCheckpoint(oldSize, proof, body.substring(end + 1));
    }

    public String format() {
        StringBuilder body = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] hash : proof) {
            body.append(Base64.getEncoder().encodeToString(hash)).append('\n');
        }
        return body.append('\n').append(checkpoint).toString();
    }

    private static Witness.RefusedException malformed(String detail) {
        return new Witness.RefusedException(Witness.Refusal.MALFORMED, detail);
    }
}
