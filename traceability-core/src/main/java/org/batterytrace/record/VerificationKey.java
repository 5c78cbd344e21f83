package org.batterytrace.record;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * A public key that verifies record signatures. Its id is the hex SHA-256 of its SubjectPublicKeyInfo
 * DER, so anyone holding the key computes the same id. Instances are immutable and thread-safe.
 */
public final class VerificationKey {
    private final SignatureAlgorithm algorithm;
    private final byte[] spki;
    private final String keyId;
    private final AsymmetricKeyParameter parameters;

    private VerificationKey(SignatureAlgorithm algorithm, byte[] spki, AsymmetricKeyParameter parameters) {
        this.algorithm = algorithm;
        this.spki = spki;
        this.keyId = Hashes.hex(Hashes.sha256(spki));
        this.parameters = parameters;
    }

    static VerificationKey of(SignatureAlgorithm algorithm, AsymmetricKeyParameter parameters) {
        try {
            return new VerificationKey(algorithm, SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(parameters).getEncoded(), parameters);
        } catch (IOException e) {
            throw new KeyFormatException("cannot encode public key", e);
        }
    }

    /** Reads a DER SubjectPublicKeyInfo holding an Ed25519, SM2 (sm2p256v1) or P-256 key. */
    public static VerificationKey fromSpki(byte[] der) {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new KeyFormatException("not a DER SubjectPublicKeyInfo", e);
        }
        ASN1ObjectIdentifier oid = info.getAlgorithm().getAlgorithm();
        try {
            if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
                return new VerificationKey(SignatureAlgorithm.ED25519, der.clone(), new Ed25519PublicKeyParameters(info.getPublicKeyData().getOctets()));
            }
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
                ASN1ObjectIdentifier curve = namedCurve(info.getAlgorithm().getParameters());
                SignatureAlgorithm alg = EcCurves.algorithmFor(curve);
                var domain = EcCurves.domain(curve);
                var point = domain.getCurve().decodePoint(info.getPublicKeyData().getOctets());
                return new VerificationKey(alg, der.clone(), new ECPublicKeyParameters(point, domain));
            }
        } catch (IllegalArgumentException e) {
            if (e instanceof KeyFormatException k) {
                throw k;
            }
            throw new KeyFormatException("invalid public key: " + e.getMessage(), e);
        }
        throw new KeyFormatException("unsupported public key algorithm " + oid + " (expected Ed25519, SM2 or P-256)");
    }

    static ASN1ObjectIdentifier namedCurve(org.bouncycastle.asn1.ASN1Encodable parameters) {
        X962Parameters x962 = X962Parameters.getInstance(parameters);
        if (!x962.isNamedCurve()) {
            throw new KeyFormatException("EC keys must name their curve (sm2p256v1 or prime256v1)");
        }
        return ASN1ObjectIdentifier.getInstance(x962.getParameters());
    }

    public static VerificationKey fromPem(String pem) {
        return fromSpki(Pem.decode("PUBLIC KEY", pem));
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /** Hex SHA-256 of the SubjectPublicKeyInfo DER. */
    public String keyId() {
        return keyId;
    }

    public byte[] spki() {
        return spki.clone();
    }

    public String toPem() {
        return Pem.encode("PUBLIC KEY", spki);
    }

    /** Raw 32-byte key, for Ed25519 keys only (C2SP note keys carry it). */
    public byte[] rawEd25519() {
        if (!(parameters instanceof Ed25519PublicKeyParameters ed)) {
            throw new KeyFormatException("not an Ed25519 key");
        }
        return ed.getEncoded();
    }

    public static VerificationKey ed25519(byte[] raw) {
        return of(SignatureAlgorithm.ED25519, new Ed25519PublicKeyParameters(raw));
    }

    /** Checks a signature over {@code message}; false for any malformed or wrong signature. */
    public boolean verify(byte[] message, byte[] signature) {
        switch (algorithm) {
            case ED25519 -> {
                if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
                    return false;
                }
                Ed25519Signer verifier = new Ed25519Signer();
                verifier.init(false, parameters);
                verifier.update(message, 0, message.length);
                return verifier.verifySignature(signature);
            }
            case SM2 -> {
                SM2Signer verifier = new SM2Signer();
                verifier.init(false, parameters);
                verifier.update(message, 0, message.length);
                try {
                    return verifier.verifySignature(signature);
                } catch (RuntimeException e) {
                    return false;
                }
            }
            case ES256 -> {
                var verifier = EcCurves.es256Signer();
                verifier.init(false, parameters);
                verifier.update(message, 0, message.length);
                try {
                    return verifier.verifySignature(signature);
                } catch (RuntimeException e) {
                    return false;
                }
            }
            default -> throw new IllegalStateException(algorithm.name());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerificationKey other && Arrays.equals(spki, other.spki);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    @Override
    public String toString() {
        return algorithm.jsonName() + ":" + keyId;
    }
}
