package org.batterytrace.record;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;

/** A private key that signs records. Thread-safe: every signature uses a fresh signer. */
public final class SigningKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SignatureAlgorithm algorithm;
    private final AsymmetricKeyParameter privateKey;
    private final VerificationKey publicKey;

    private SigningKey(SignatureAlgorithm algorithm, AsymmetricKeyParameter privateKey, VerificationKey publicKey) {
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static SigningKey generate(SignatureAlgorithm algorithm) {
        return generate(algorithm, RANDOM);
    }

    public static SigningKey generate(SignatureAlgorithm algorithm, SecureRandom random) {
        if (algorithm == SignatureAlgorithm.ED25519) {
            Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(random);
            return new SigningKey(algorithm, key, VerificationKey.of(algorithm, key.generatePublicKey()));
        }
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(EcCurves.domain(algorithm), random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return new SigningKey(algorithm, pair.getPrivate(), VerificationKey.of(algorithm, pair.getPublic()));
    }

    /** Reads an unencrypted PKCS#8 "PRIVATE KEY" PEM block (as written by {@link #toPem()} or openssl genpkey; Ed25519 in version 1 or 2, RFC 8410 §7). */
    public static SigningKey fromPem(String pem) {
        return fromPkcs8(Pem.decode("PRIVATE KEY", pem));
    }

    public static SigningKey fromPkcs8(byte[] der) {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new KeyFormatException("not a DER PKCS#8 PrivateKeyInfo", e);
        }
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
                byte[] seed = org.bouncycastle.asn1.ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                SigningKey key = ed25519(seed);
                // Version 2 (RFC 5958) also carries the public key: a file whose halves disagree is corrupt.
                if (info.getPublicKeyData() != null
                        && !java.util.Arrays.equals(info.getPublicKeyData().getOctets(), ((Ed25519PrivateKeyParameters) key.privateKey).generatePublicKey().getEncoded())) {
                    throw new KeyFormatException("Ed25519 private key: the public key it carries does not belong to it");
                }
                return key;
            }
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
                ASN1ObjectIdentifier curve = VerificationKey.namedCurve(info.getPrivateKeyAlgorithm().getParameters());
                SignatureAlgorithm alg = EcCurves.algorithmFor(curve);
                ECNamedDomainParameters domain = EcCurves.domain(curve);
                BigInteger d = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
                ECPrivateKeyParameters key = new ECPrivateKeyParameters(d, domain);
                ECPublicKeyParameters pub = new ECPublicKeyParameters(domain.getG().multiply(d).normalize(), domain);
                return new SigningKey(alg, key, VerificationKey.of(alg, pub));
            }
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof KeyFormatException k) {
                throw k;
            }
            throw new KeyFormatException("invalid private key: " + e.getMessage(), e);
        }
        throw new KeyFormatException("unsupported private key algorithm " + oid + " (expected Ed25519, SM2 or P-256)");
    }

    /** An Ed25519 key from its 32-byte seed (RFC 8032 private key). */
    public static SigningKey ed25519(byte[] seed) {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(seed);
        return new SigningKey(SignatureAlgorithm.ED25519, key, VerificationKey.of(SignatureAlgorithm.ED25519, key.generatePublicKey()));
    }

    /** The 32-byte seed of an Ed25519 key. */
    public byte[] ed25519Seed() {
        if (!(privateKey instanceof Ed25519PrivateKeyParameters ed)) {
            throw new KeyFormatException("not an Ed25519 key");
        }
        return ed.getEncoded();
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    public VerificationKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return publicKey.keyId();
    }

    /**
     * Unencrypted PKCS#8 "PRIVATE KEY" PEM. Ed25519 keys are written as RFC 8410 §7 version 1 (the bare
     * 32-byte seed, no public key): Bouncy Castle's default, the RFC 5958 version 2 with the public key,
     * is read by neither OpenSSL 3.0 nor Python {@code cryptography}. {@link #fromPem} reads both.
     */
    public String toPem() {
        try {
            PrivateKeyInfo info = privateKey instanceof Ed25519PrivateKeyParameters ed
                    ? new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DEROctetString(ed.getEncoded()))
                    : PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey);
            return Pem.encode("PRIVATE KEY", info.getEncoded());
        } catch (IOException e) {
            throw new KeyFormatException("cannot encode private key", e);
        }
    }

    public byte[] sign(byte[] message) {
        try {
            switch (algorithm) {
                case ED25519 -> {
                    Ed25519Signer signer = new Ed25519Signer();
                    signer.init(true, privateKey);
                    signer.update(message, 0, message.length);
                    return signer.generateSignature();
                }
                case SM2 -> {
                    SM2Signer signer = new SM2Signer();
                    signer.init(true, new ParametersWithRandom(privateKey, RANDOM));
                    signer.update(message, 0, message.length);
                    return signer.generateSignature();
                }
                case ES256 -> {
                    var signer = EcCurves.es256Signer();
                    signer.init(true, privateKey);
                    signer.update(message, 0, message.length);
                    return signer.generateSignature();
                }
                default -> throw new IllegalStateException(algorithm.name());
            }
        } catch (CryptoException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** Signs a record's canonical bytes and returns the signature entry for its envelope. */
    public RecordSignature sign(TraceRecord record) {
        return new RecordSignature(keyId(), algorithm, sign(record.canonicalBytes()));
    }
}
