package org.batterytrace.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** One signature in a record envelope: which key, which algorithm, and the base64url value. */
public record RecordSignature(String keyId, SignatureAlgorithm alg, byte[] value) {
    public RecordSignature {
        Objects.requireNonNull(alg, "alg");
        Objects.requireNonNull(value, "value");
        if (!Hashes.isSha256Hex(keyId)) {
            throw new RecordFormatException("signature keyId must be 64 lower-case hex digits (SHA-256 of the SubjectPublicKeyInfo)");
        }
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("keyId", keyId);
        node.put("alg", alg.jsonName());
        node.put("value", Hashes.base64Url(value));
        return node;
    }

    /** RFC 8785 form of {@link #toJson()}. */
    public byte[] canonicalBytes() {
        return Jcs.object().member("alg", alg.jsonName()).member("keyId", keyId).member("value", Hashes.base64Url(value)).toByteArray();
    }

    public static RecordSignature fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new RecordFormatException("a signature must be an object {keyId, alg, value}");
        }
        Fields.requireExactly(node, "signature", "keyId", "alg", "value");
        byte[] value;
        try {
            value = Hashes.fromBase64Url(Fields.text(node, "value", "signature"));
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("signature value must be base64url without padding");
        }
        return new RecordSignature(Fields.text(node, "keyId", "signature"), SignatureAlgorithm.fromJsonName(Fields.text(node, "alg", "signature")), value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordSignature other && keyId.equals(other.keyId) && alg == other.alg && java.util.Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + java.util.Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RecordSignature[" + alg.jsonName() + " by " + keyId + "]";
    }
}
