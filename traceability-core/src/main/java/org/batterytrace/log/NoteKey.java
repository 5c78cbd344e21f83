package org.batterytrace.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.KeyFormatException;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.VerificationKey;

/**
 * A C2SP signed-note verifier key for Ed25519: {@code <name>+<hex key hash>+<base64(0x01 || key)>}.
 * The 4-byte key hash is the first bytes of SHA-256(name || "\n" || 0x01 || key). Auditors pin it.
 */
public final class NoteKey {
    static final byte ED25519_TYPE = 0x01;

    private final String name;
    private final VerificationKey key;
    private final byte[] keyHash;

    public NoteKey(String name, VerificationKey key) {
        if (!Note.validKeyName(name)) {
            throw new KeyFormatException("note key name must be non-empty, without spaces or '+'");
        }
        this.name = name;
        this.key = key;
        this.keyHash = keyHash(name, ED25519_TYPE, key.rawEd25519());
    }

    /** SHA-256(name || "\n" || type || key)[:4], the key ID of c2sp.org/signed-note ("Signatures"). */
    static byte[] keyHash(String name, byte type, byte[] rawKey) {
        byte[] nameBytes = (name + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] input = Arrays.copyOf(nameBytes, nameBytes.length + 1 + rawKey.length);
        input[nameBytes.length] = type;
        System.arraycopy(rawKey, 0, input, nameBytes.length + 1, rawKey.length);
        return Arrays.copyOf(Hashes.sha256(input), 4);
    }

    public static NoteKey parse(String verifierKey) {
        String[] parts = verifierKey.trim().split("\\+", 3);
        if (parts.length != 3) {
            throw new KeyFormatException("verifier key must look like <name>+<hex key hash>+<base64 key>");
        }
        byte[] encoded;
        try {
            encoded = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("verifier key is not base64 after the second '+'");
        }
        if (encoded.length != 33 || encoded[0] != ED25519_TYPE) {
            throw new KeyFormatException("only Ed25519 verifier keys (type 0x01, 32 bytes) are supported");
        }
        NoteKey key = new NoteKey(parts[0], VerificationKey.ed25519(Arrays.copyOfRange(encoded, 1, 33)));
        if (!HexFormat.of().formatHex(key.keyHash).equals(parts[1])) {
            throw new KeyFormatException("verifier key hash " + parts[1] + " does not match its name and key");
        }
        return key;
    }

    /** A C2SP signer key {@code PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 || seed)>}. */
    public record Signer(String name, SigningKey key) {
        public NoteKey noteKey() {
            return new NoteKey(name, key.publicKey());
        }

        public String signerKey() {
            byte[] encoded = new byte[33];
            encoded[0] = ED25519_TYPE;
            System.arraycopy(key.ed25519Seed(), 0, encoded, 1, 32);
            return "PRIVATE+KEY+" + name + "+" + HexFormat.of().formatHex(noteKey().keyHash) + "+" + Base64.getEncoder().encodeToString(encoded);
        }
    }

    public static Signer parseSigner(String signerKey) {
        String[] parts = signerKey.trim().split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new KeyFormatException("signer key must look like PRIVATE+KEY+<name>+<hex key hash>+<base64 seed>");
        }
        byte[] encoded;
        try {
            encoded = Base64.getDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("signer key seed is not base64");
        }
        if (encoded.length != 33 || encoded[0] != ED25519_TYPE) {
            throw new KeyFormatException("only Ed25519 signer keys (type 0x01, 32-byte seed) are supported");
        }
        Signer signer = new Signer(parts[2], SigningKey.ed25519(Arrays.copyOfRange(encoded, 1, 33)));
        if (!HexFormat.of().formatHex(signer.noteKey().keyHash).equals(parts[3])) {
            throw new KeyFormatException("signer key hash " + parts[3] + " does not match its name and key");
        }
        return signer;
    }

    public String name() {
        return name;
    }

    public VerificationKey key() {
        return key;
    }

    public byte[] keyHash() {
        return keyHash.clone();
    }

    /** The text form auditors pin, e.g. {@code trace.example/log+1a2b3c4d+AUp...}. */
    public String verifierKey() {
        byte[] encoded = new byte[33];
        encoded[0] = ED25519_TYPE;
        System.arraycopy(key.rawEd25519(), 0, encoded, 1, 32);
        return name + "+" + HexFormat.of().formatHex(keyHash) + "+" + Base64.getEncoder().encodeToString(encoded);
    }

    @Override
    public String toString() {
        return verifierKey();
    }
}
