package org.batterytrace.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.batterytrace.record.Hashes;

/** Token secrets: 256 random bits, shown once, stored as SHA-256 (a fast hash suffices for full-entropy secrets). */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String PREFIX = "bt_";

    private Tokens() {
    }

    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Hashes.base64Url(bytes);
    }

    public static String hash(String secret) {
        return Hashes.hex(Hashes.sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
