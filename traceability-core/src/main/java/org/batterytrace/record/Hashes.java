package org.batterytrace.record;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 and the encodings the formats use. */
public final class Hashes {
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private Hashes() {
    }

    public static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }

    /** SHA-256 of {@code prefix || data}, without copying. */
    public static byte[] sha256(byte prefix, byte[] data) {
        MessageDigest md = SHA256.get();
        md.update(prefix);
        md.update(data);
        return md.digest();
    }

    /** SHA-256 of {@code prefix ||} the buffer's remaining bytes, without copying (the buffer's position moves to its limit). */
    public static byte[] sha256(byte prefix, java.nio.ByteBuffer data) {
        MessageDigest md = SHA256.get();
        md.update(prefix);
        md.update(data);
        return md.digest();
    }

    public static byte[] sha256(byte prefix, byte[] left, byte[] right) {
        MessageDigest md = SHA256.get();
        md.update(prefix);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] fromHex(String hex) {
        return HEX.parseHex(hex);
    }

    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] fromBase64Url(String text) {
        return Base64.getUrlDecoder().decode(text);
    }

    /** True for 64 lower-case hex digits, the form of record hashes and key ids. */
    public static boolean isSha256Hex(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
