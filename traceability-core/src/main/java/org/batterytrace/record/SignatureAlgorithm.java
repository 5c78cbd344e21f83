package org.batterytrace.record;

/** The signature algorithms a record may carry. Names are the {@code alg} values of the record format. */
public enum SignatureAlgorithm {
    /** EdDSA over Curve25519, RFC 8032. */
    ED25519("Ed25519"),
    /** SM2 digital signature with SM3 and the default user id 1234567812345678 (GB/T 32918, GM/T 0009); DER value. */
    SM2("SM2"),
    /** ECDSA on P-256 with SHA-256, deterministic k (RFC 6979); DER value as openssl writes it. */
    ES256("ES256");

    private final String jsonName;

    SignatureAlgorithm(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static SignatureAlgorithm fromJsonName(String name) {
        for (SignatureAlgorithm alg : values()) {
            if (alg.jsonName.equals(name)) {
                return alg;
            }
        }
        throw new RecordFormatException("unknown signature algorithm '" + name + "' (expected Ed25519, SM2 or ES256)");
    }
}
