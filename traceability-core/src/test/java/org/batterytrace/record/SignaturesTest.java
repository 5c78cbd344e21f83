package org.batterytrace.record;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignaturesTest {
    private static final byte[] MESSAGE = "{\"format\":\"trace-record/1\"}".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void signsAndVerifies(SignatureAlgorithm alg) {
        SigningKey key = SigningKey.generate(alg);
        assertEquals(alg, key.algorithm());
        assertTrue(key.publicKey().verify(MESSAGE, key.sign(MESSAGE)));
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void rejectsWrongKeyFlippedBytesAndOtherMessages(SignatureAlgorithm alg) {
        SigningKey key = SigningKey.generate(alg);
        byte[] signature = key.sign(MESSAGE);
        assertFalse(SigningKey.generate(alg).publicKey().verify(MESSAGE, signature), "wrong key");
        for (int i = 0; i < signature.length; i++) {
            byte[] flipped = signature.clone();
            flipped[i] ^= 0x01;
            assertFalse(key.publicKey().verify(MESSAGE, flipped), "flipped signature byte " + i);
        }
        byte[] other = MESSAGE.clone();
        other[3] ^= 0x20;
        assertFalse(key.publicKey().verify(other, signature), "other message");
        assertFalse(key.publicKey().verify(MESSAGE, new byte[0]), "empty signature");
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void signaturesOfOneAlgorithmNeverVerifyUnderAnother(SignatureAlgorithm alg) {
        byte[] signature = SigningKey.generate(alg).sign(MESSAGE);
        for (SignatureAlgorithm other : SignatureAlgorithm.values()) {
            if (other != alg) {
                assertFalse(SigningKey.generate(other).publicKey().verify(MESSAGE, signature), alg + " under " + other);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void pemRoundTripKeepsKeyIdAndSigningAbility(SignatureAlgorithm alg) {
        SigningKey key = SigningKey.generate(alg);
        VerificationKey publicKey = VerificationKey.fromPem(key.publicKey().toPem());
        assertEquals(key.keyId(), publicKey.keyId());
        assertEquals(Hashes.hex(Hashes.sha256(publicKey.spki())), publicKey.keyId());
        SigningKey reread = SigningKey.fromPem(key.toPem());
        assertEquals(key.keyId(), reread.keyId());
        assertTrue(publicKey.verify(MESSAGE, reread.sign(MESSAGE)));
    }

    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"ED25519", "ES256"})
    void deterministicAlgorithmsRepeatTheirSignatures(SignatureAlgorithm alg) {
        SigningKey key = SigningKey.generate(alg);
        assertArrayEquals(key.sign(MESSAGE), key.sign(MESSAGE));
    }

    @org.junit.jupiter.api.Test
    void rejectsUnsupportedOrBrokenKeys() {
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromPem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n"));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromPem("no pem here"));
        // A real secp384r1 key: a curve we do not accept.
        var curve = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp384r1");
        var domain = new org.bouncycastle.crypto.params.ECNamedDomainParameters(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp384r1, curve);
        var generator = new org.bouncycastle.crypto.generators.ECKeyPairGenerator();
        generator.init(new org.bouncycastle.crypto.params.ECKeyGenerationParameters(domain, new java.security.SecureRandom()));
        byte[] p384 = assertDoesNotThrow(() -> org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory
                .createSubjectPublicKeyInfo(generator.generateKeyPair().getPublic()).getEncoded());
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(p384));
    }
}
