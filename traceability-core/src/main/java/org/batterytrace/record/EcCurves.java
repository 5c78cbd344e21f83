package org.batterytrace.record;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * The two EC curves we sign with. Domain parameters come from {@link CustomNamedCurves}, whose
 * specialised field arithmetic is several times faster than the generic curves of GMNamedCurves.
 */
final class EcCurves {
    static final ASN1ObjectIdentifier SM2_CURVE = GMObjectIdentifiers.sm2p256v1;
    static final ASN1ObjectIdentifier P256_CURVE = SECObjectIdentifiers.secp256r1;
    private static final ECNamedDomainParameters SM2 = new ECNamedDomainParameters(SM2_CURVE, CustomNamedCurves.getByOID(SM2_CURVE));
    private static final ECNamedDomainParameters P256 = new ECNamedDomainParameters(P256_CURVE, CustomNamedCurves.getByOID(P256_CURVE));

    private EcCurves() {
    }

    static ECNamedDomainParameters domain(ASN1ObjectIdentifier curve) {
        if (SM2_CURVE.equals(curve)) {
            return SM2;
        }
        if (P256_CURVE.equals(curve)) {
            return P256;
        }
        throw new KeyFormatException("unsupported EC curve " + curve + " (expected sm2p256v1 or prime256v1)");
    }

    static ECNamedDomainParameters domain(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case SM2 -> SM2;
            case ES256 -> P256;
            default -> throw new KeyFormatException(algorithm + " is not an EC algorithm");
        };
    }

    static SignatureAlgorithm algorithmFor(ASN1ObjectIdentifier curve) {
        domain(curve);
        return SM2_CURVE.equals(curve) ? SignatureAlgorithm.SM2 : SignatureAlgorithm.ES256;
    }

    /** ECDSA-SHA256 with RFC 6979 nonces and DER output. */
    static DSADigestSigner es256Signer() {
        return new DSADigestSigner(new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())), new SHA256Digest());
    }
}
