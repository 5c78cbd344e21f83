package org.batterytrace.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The private keys the core writes ({@link SigningKey#toPem()}, the keys in docs/test-vectors.json) are read by
 * OpenSSL 3.0 and Python {@code cryptography}, and keys those tools write are read by the core. Skipped with a
 * message where a tool is missing (both are on the CI image: .ci/run installs openssl, Debian's python3 has
 * cryptography).
 */
class PrivateKeyInteropTest {
    @TempDir
    Path dir;

    /** RFC 8410 §7: version 1, the bare seed — the form OpenSSL 3.0 and cryptography 48 read. */
    @Test
    void ed25519IsWrittenAsPkcs8Version1() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        byte[] der = Pem.decode("PRIVATE KEY", key.toPem());
        assertEquals(48, der.length);
        assertArrayEquals(Hashes.fromHex("302e020100300506032b657004220420"), java.util.Arrays.copyOf(der, 16));
        assertArrayEquals(key.ed25519Seed(), java.util.Arrays.copyOfRange(der, 16, 48));
    }

    /** Version 2 (Bouncy Castle's default, with the public key) is still read, and refused when its halves disagree. */
    @Test
    void ed25519Version2IsStillReadButNotWithAForeignPublicKey() throws IOException {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        Ed25519PrivateKeyParameters bc = new Ed25519PrivateKeyParameters(key.ed25519Seed());
        byte[] v2 = PrivateKeyInfoFactory.createPrivateKeyInfo(bc).getEncoded();
        assertEquals(1, PrivateKeyInfo.getInstance(v2).getVersion().intValueExact(), "BC writes version 2 (value 1)");
        assertEquals(key.keyId(), SigningKey.fromPkcs8(v2).keyId());

        byte[] other = new Ed25519PrivateKeyParameters(new java.security.SecureRandom()).generatePublicKey().getEncoded();
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(v2);
        byte[] mismatched = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey(), null, other).getEncoded();
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> SigningKey.fromPkcs8(mismatched));
        assertEquals("Ed25519 private key: the public key it carries does not belong to it", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void opensslReadsWhatTheCoreWritesAndTheCoreReadsWhatOpensslWrites(SignatureAlgorithm alg) throws Exception {
        assumeTrue(available("openssl", "version"), "openssl not installed: skipped");
        SigningKey key = SigningKey.generate(alg);
        Path pem = Files.writeString(dir.resolve("core.pem"), key.toPem());
        // openssl derives the public key from the private key file: it must be the core's, byte for byte.
        assertEquals(key.publicKey().toPem(), run("openssl", "pkey", "-in", pem.toString(), "-pubout"));

        String[] genpkey = switch (alg) {
            case ED25519 -> new String[] {"openssl", "genpkey", "-algorithm", "ed25519"};
            case ES256 -> new String[] {"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"};
            case SM2 -> new String[] {"openssl", "genpkey", "-algorithm", "SM2"};
        };
        String theirs = run(genpkey);
        Path theirsFile = Files.writeString(dir.resolve("openssl.pem"), theirs);
        SigningKey read = SigningKey.fromPem(theirs);
        assertEquals(alg, read.algorithm());
        assertEquals(read.publicKey().toPem(), run("openssl", "pkey", "-in", theirsFile.toString(), "-pubout"));
    }

    /** Python cryptography has no SM2 curve (it refuses 1.2.156.10197.1.301 whatever the encoding), so SM2 is not asked of it. */
    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"ED25519", "ES256"})
    void pythonCryptographyReadsWhatTheCoreWrites(SignatureAlgorithm alg) throws Exception {
        assumeTrue(available("python3", "-c", "import cryptography"), "python3 with cryptography not installed: skipped");
        SigningKey key = SigningKey.generate(alg);
        Path pem = Files.writeString(dir.resolve("core.pem"), key.toPem());
        String script = """
                import sys
                from cryptography.hazmat.primitives.serialization import load_pem_private_key, Encoding, PublicFormat
                key = load_pem_private_key(open(sys.argv[1], 'rb').read(), password=None)
                sys.stdout.write(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode())
                """;
        assertEquals(key.publicKey().toPem(), run("python3", "-c", script, pem.toString()));
    }

    /** The published vectors' private keys load in both tools (SM2: openssl only, see above). */
    @Test
    void publishedVectorKeysLoadInOpensslAndPython() throws Exception {
        assumeTrue(available("openssl", "version"), "openssl not installed: skipped");
        boolean python = available("python3", "-c", "import cryptography");
        var vectors = Json.parse(Files.readAllBytes(TestVectorsTest.FILE));
        for (var sig : vectors.get("signatures")) {
            Path pem = Files.writeString(dir.resolve("vector.pem"), sig.get("privateKeyPem").asText());
            assertEquals(sig.get("publicKeyPem").asText(), run("openssl", "pkey", "-in", pem.toString(), "-pubout"), sig.get("alg").asText());
            if (python && !sig.get("alg").asText().equals("SM2")) {
                run("python3", "-c", "import sys\nfrom cryptography.hazmat.primitives.serialization import load_pem_private_key\n"
                        + "load_pem_private_key(open(sys.argv[1], 'rb').read(), password=None)", pem.toString());
            }
        }
    }

    private static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out + err);
        }
        return out;
    }
}
