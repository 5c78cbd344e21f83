package org.batterytrace.log;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.batterytrace.record.KeyFormatException;
import org.batterytrace.record.VerificationKey;

/**
 * A witness's Ed25519 cosigner key, signature type 0x04 of
 * <a href="https://c2sp.org/tlog-cosignature">c2sp.org/tlog-cosignature</a> ("Format"): key ID =
 * SHA-256(name || "\n" || 0x04 || 32-byte key)[:4], verifier key
 * {@code <name>+<hex key ID>+<base64(0x04 || key)>}. Auditors and logs pin it with {@code --witness}.
 */
public final class CosignerKey {
    static final byte COSIGNATURE_V1_TYPE = 0x04;

    private final String name;
    private final VerificationKey key;
    private final byte[] keyId;

    public CosignerKey(String name, VerificationKey key) {
        if (!Note.validKeyName(name)) {
            throw new KeyFormatException("cosigner name must be non-empty, without spaces or '+'");
        }
        this.name = name;
        this.key = key;
        this.keyId = NoteKey.keyHash(name, COSIGNATURE_V1_TYPE, key.rawEd25519());
    }

    /** Parses a verifier key of type 0x04; the key ID must match the name and key. */
    public static CosignerKey parse(String verifierKey) {
        String[] parts = verifierKey.trim().split("\\+", 3);
        if (parts.length != 3) {
            throw new KeyFormatException("witness key must look like <name>+<hex key ID>+<base64 key>");
        }
        byte[] encoded;
        try {
            encoded = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("witness key is not base64 after the second '+'");
        }
        if (encoded.length != 33 || encoded[0] != COSIGNATURE_V1_TYPE) {
            throw new KeyFormatException("only Ed25519 cosignature/v1 witness keys (type 0x04, 32 bytes) are supported");
        }
        CosignerKey key = new CosignerKey(parts[0], VerificationKey.ed25519(Arrays.copyOfRange(encoded, 1, 33)));
        if (!HexFormat.of().formatHex(key.keyId).equals(parts[1])) {
            throw new KeyFormatException("witness key ID " + parts[1] + " does not match its name and key");
        }
        return key;
    }

    /**
     * The witness's signer: a standard note signer key ({@code PRIVATE+KEY+<name>+…}, type 0x01,
     * as Go's note package writes it) whose Ed25519 key cosigns under type 0x04.
     */
    public static NoteKey.Signer parseSigner(String signerKey) {
        return NoteKey.parseSigner(signerKey);
    }

    /** The cosigner key of a witness signer. */
    public static CosignerKey of(NoteKey.Signer signer) {
        return new CosignerKey(signer.name(), signer.key().publicKey());
    }

    public String name() {
        return name;
    }

    public VerificationKey key() {
        return key;
    }

    public byte[] keyId() {
        return keyId.clone();
    }

    public String verifierKey() {
        byte[] encoded = new byte[33];
        encoded[0] = COSIGNATURE_V1_TYPE;
        System.arraycopy(key.rawEd25519(), 0, encoded, 1, 32);
        return name + "+" + HexFormat.of().formatHex(keyId) + "+" + Base64.getEncoder().encodeToString(encoded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosignerKey k && name.equals(k.name) && Arrays.equals(keyId, k.keyId) && key.equals(k.key);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(keyId);
    }

    @Override
    public String toString() {
        return verifierKey();
    }
}
