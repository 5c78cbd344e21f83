package org.batterytrace.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note (<a href="https://c2sp.org/signed-note">c2sp.org/signed-note</a>, "Format"): a
 * text ending in a newline, a blank line, then one or more signature lines
 * {@code — <key name> base64(4-byte key ID || signature)}. Parsing checks the form only; a signature
 * means nothing until the caller verifies it with a key it trusts ({@link SignedNotes},
 * {@link Cosignatures}).
 */
public record Note(String text, List<Signature> signatures) {
    /** The spec asks verifiers to accept at least 16 signatures; a few witnesses more leave room. */
    public static final int MAX_SIGNATURES = 32;
    /** Characters per note: 32 Ed25519 lines and a checkpoint fit many times over; a hostile note is refused before it is split. */
    public static final int MAX_CHARS = 64 * 1024;
    private static final String DASH = "\u2014 ";

    public Note {
        if (text == null || text.isEmpty() || !text.endsWith("\n")) {
            throw new CheckpointException("note text must end with a newline");
        }
        signatures = List.copyOf(signatures);
    }

    /**
     * One signature line. The key name and key ID pick the verifying key; two keys may share one
     * of them but not both (signed-note, "Signatures").
     */
    public record Signature(String name, byte[] keyId, byte[] signature) {
        public Signature {
            if (!validKeyName(name)) {
                throw new CheckpointException("signature key name must be non-empty, without spaces or '+'");
            }
            if (keyId == null || keyId.length != 4 || signature == null || signature.length == 0) {
                throw new CheckpointException("a signature is a 4-byte key ID and at least one signature byte");
            }
            keyId = keyId.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] keyId() {
            return keyId.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        /** Whether this line claims to be by the key with this name and key ID. */
        public boolean isBy(String keyName, byte[] keyHash) {
            return name.equals(keyName) && Arrays.equals(keyId, keyHash);
        }

        /** The line without its newline: {@code — <name> <base64>}. */
        public String line() {
            byte[] blob = Arrays.copyOf(keyId, 4 + signature.length);
            System.arraycopy(signature, 0, blob, 4, signature.length);
            return DASH + name + " " + Base64.getEncoder().encodeToString(blob);
        }

        /** Parses one signature line, without its newline. */
        public static Signature parseLine(String line) {
            if (!line.startsWith(DASH)) {
                throw new CheckpointException("signature line must start with an em dash and a space");
            }
            int space = line.indexOf(' ', DASH.length());
            if (space < 0) {
                throw new CheckpointException("signature line must be '\u2014 <name> <base64>'");
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(line.substring(space + 1));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException("signature line is not base64");
            }
            if (blob.length < 5) {
                throw new CheckpointException("signature line is too short");
            }
            return new Signature(line.substring(DASH.length(), space), Arrays.copyOf(blob, 4), Arrays.copyOfRange(blob, 4, blob.length));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && name.equals(s.name) && Arrays.equals(keyId, s.keyId) && Arrays.equals(signature, s.signature);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(signature);
        }

        @Override
        public String toString() {
            return line();
        }
    }

    /**
     * Parses a signed note. The text is separated from the signatures by the last blank line; the
     * note must be free of control characters other than newline and carry 1 to
     * {@link #MAX_SIGNATURES} signature lines.
     */
    public static Note parse(String note) {
        if (note == null || note.length() > MAX_CHARS) {
            throw new CheckpointException("signed note is missing or longer than " + MAX_CHARS + " characters");
        }
        for (int i = 0; i < note.length(); i++) {
            char c = note.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw new CheckpointException("signed note must not contain control characters");
            }
        }
        if (!note.endsWith("\n")) {
            throw new CheckpointException("signed note must end with a newline after its signature lines");
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new CheckpointException("signed note has no blank line between text and signatures");
        }
        if (split + 2 >= note.length()) {
            throw new CheckpointException("signed note carries no signature lines");
        }
        String text = note.substring(0, split + 1);
        String[] lines = note.substring(split + 2, note.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw new CheckpointException("signed note carries more than " + MAX_SIGNATURES + " signatures");
        }
        List<Signature> signatures = new ArrayList<>(lines.length);
        for (String line : lines) {
            signatures.add(Signature.parseLine(line));
        }
        return new Note(text, signatures);
    }

    public byte[] textBytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The note with more signature lines; lines already present are not repeated. */
    public Note with(List<Signature> more) {
        List<Signature> all = new ArrayList<>(signatures);
        for (Signature s : more) {
            if (!all.contains(s)) {
                all.add(s);
            }
        }
        return new Note(text, all);
    }

    /** The note as text: the text, a blank line, one line per signature. */
    public String format() {
        StringBuilder out = new StringBuilder(text).append('\n');
        for (Signature s : signatures) {
            out.append(s.line()).append('\n');
        }
        return out.toString();
    }

    static boolean validKeyName(String name) {
        return name != null && !name.isEmpty() && !name.contains("+") && name.codePoints().noneMatch(c -> c <= 0x20 || Character.isSpaceChar(c));
    }

    @Override
    public String toString() {
        return format();
    }
}
