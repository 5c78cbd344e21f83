package org.batterytrace.record;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedRecordTest {
    static final String CODE = "H5NPBA7HN24L01F3K0000521";
    static final String MAKER = "91430100MA4L000010";

    static TraceRecord record(long seq, String prev, String type) {
        ObjectNode data = Json.object();
        data.put("ratedCapacityAh", 280);
        return TraceRecord.of(CODE, seq, prev, type, Instant.parse("2026-05-08T09:30:00Z"), MAKER, data);
    }

    @Test
    void jsonRoundTripPreservesCanonicalBytesAndHash() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        SignedRecord signed = SignedRecord.sign(record(1, null, "PRODUCED"), key);
        SignedRecord reread = SignedRecord.parse(signed.toJson().toString());
        assertArrayEquals(signed.canonicalBytes(), reread.canonicalBytes());
        assertEquals(signed.hash(), reread.hash());
        assertEquals(Hashes.hex(Hashes.sha256(Jcs.canonicalize(signed.toJson()))), signed.hash(), "fast path equals tree canonicalization");
        assertTrue(key.publicKey().verify(reread.record().canonicalBytes(), reread.signatures().get(0).value()));
    }

    /** The copy-free views a log append streams give the same bytes and hashes as the copying accessors, and cannot change them. */
    @Test
    void copyFreeViewsMatchTheCanonicalBytesAndAreReadOnly() {
        SignedRecord signed = SignedRecord.sign(record(1, null, "PRODUCED"), SigningKey.generate(SignatureAlgorithm.ED25519));
        java.nio.ByteBuffer view = signed.canonicalView();
        assertTrue(view.isReadOnly());
        byte[] viewed = new byte[view.remaining()];
        view.get(viewed);
        assertArrayEquals(signed.canonicalBytes(), viewed);
        assertEquals(signed.hash(), Hashes.hex(signed.hashBytes()));
        signed.hashBytes()[0] ^= 1; // a caller's copy, not the cache
        assertEquals(signed.hash(), Hashes.hex(signed.hashBytes()));
        assertArrayEquals(org.batterytrace.log.TreeHash.leaf(signed.canonicalBytes()), org.batterytrace.log.TreeHash.leaf(signed.canonicalView()));
        assertArrayEquals(org.batterytrace.log.TreeHash.leaf(signed.canonicalBytes()), signed.leafHash(), "the kept leaf hash is the log's");
        signed.leafHash()[0] ^= 1;
        assertArrayEquals(org.batterytrace.log.TreeHash.leaf(signed.canonicalBytes()), signed.leafHash());
    }

    /** A record with a thousand signatures would cost a thousand verifications: refused while parsing. */
    @Test
    void moreSignaturesThanTheCapAreRefusedBeforeAnyIsVerified() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        ObjectNode json = SignedRecord.sign(record(1, null, "PRODUCED"), key).toJson();
        com.fasterxml.jackson.databind.node.ArrayNode signatures = json.withArray("signatures");
        while (signatures.size() < SignedRecord.MAX_SIGNATURES) {
            signatures.add(signatures.get(0).deepCopy());
        }
        assertEquals(SignedRecord.MAX_SIGNATURES, SignedRecord.fromJson(json).signatures().size());
        signatures.add(signatures.get(0).deepCopy());
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> SignedRecord.fromJson(json));
        assertTrue(e.getMessage().contains("more than " + SignedRecord.MAX_SIGNATURES), e.getMessage());
    }

    @Test
    void canonicalRecordBytesAreStable() {
        assertEquals("{\"actor\":\"91430100MA4L000010\",\"data\":{\"ratedCapacityAh\":280},\"format\":\"trace-record/1\",\"prev\":null,\"seq\":1,"
                + "\"subject\":\"H5NPBA7HN24L01F3K0000521\",\"time\":\"2026-05-08T09:30:00Z\",\"type\":\"PRODUCED\"}",
                new String(record(1, null, "PRODUCED").canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void withSignatureAddsTheReceiversAcceptance() {
        SigningKey a = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey b = SigningKey.generate(SignatureAlgorithm.SM2);
        TraceRecord r = record(1, null, "PRODUCED");
        SignedRecord offer = SignedRecord.sign(r, a);
        SignedRecord accepted = offer.withSignature(b.sign(r));
        assertEquals(2, accepted.signatures().size());
        assertNotEquals(offer.hash(), accepted.hash());
    }

    @Test
    void rejectsMalformedRecords() {
        String valid = SignedRecord.sign(record(1, null, "PRODUCED"), SigningKey.generate(SignatureAlgorithm.ED25519)).toJson().toString();
        List<String> bad = List.of(
                valid.replace("\"trace-record/1\"", "\"trace-record/2\""),
                valid.replace("\"seq\":1", "\"seq\":0"),
                valid.replace("\"seq\":1", "\"seq\":\"1\""),
                valid.replace("\"prev\":null", "\"prev\":\"abc\""),
                valid.replace("\"type\":\"PRODUCED\"", "\"type\":\"produced\""),
                valid.replace("2026-05-08T09:30:00Z", "2026-05-08 09:30:00"),
                valid.replace("2026-05-08T09:30:00Z", "2026-05-08T09:30:00+08:00"),
                valid.replace("2026-05-08T09:30:00Z", "2026-02-30T09:30:00Z"),
                valid.replace("\"actor\":\"91430100MA4L000010\"", "\"actor\":\"\""),
                valid.replace("\"format\"", "\"extra\":1,\"format\""),
                valid.replace("\"alg\":\"Ed25519\"", "\"alg\":\"RS256\""),
                valid.replace("\"keyId\":\"", "\"keyId\":\"zz"),
                valid.replace("\"data\":{", "\"data\":[{").replace("280}", "280}]"),
                "{\"record\":" + record(1, null, "PRODUCED").toJson() + ",\"signatures\":[]}",
                "{\"record\":1}",
                "[]");
        for (String json : bad) {
            assertThrows(IllegalArgumentException.class, () -> SignedRecord.parse(json), json);
        }
    }

    @Test
    void seqTwoNeedsAPrevHash() {
        assertThrows(RecordFormatException.class, () -> record(2, null, "SOLD"));
        assertThrows(RecordFormatException.class, () -> record(1, "a".repeat(64), "PRODUCED"));
    }

    @Test
    void chainsCheckSeqPrevAndSubject() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        SignedRecord first = SignedRecord.sign(record(1, null, "PRODUCED"), key);
        SignedRecord second = SignedRecord.sign(record(2, first.hash(), "TRANSFERRED"), key);
        Chains.validate(List.of(first, second));

        SignedRecord wrongPrev = SignedRecord.sign(record(2, "0".repeat(64), "TRANSFERRED"), key);
        assertEquals(ChainException.Kind.PREV_MISMATCH, assertThrows(ChainException.class, () -> Chains.validate(List.of(first, wrongPrev))).kind());
        SignedRecord gap = SignedRecord.sign(record(3, first.hash(), "TRANSFERRED"), key);
        assertEquals(ChainException.Kind.SEQ_GAP, assertThrows(ChainException.class, () -> Chains.validate(List.of(first, gap))).kind());
        TraceRecord other = TraceRecord.of("H5NPBA7HN24L01F3K0000522", 2, first.hash(), "SOLD", Instant.EPOCH, MAKER, Json.object());
        assertEquals(ChainException.Kind.SUBJECT_MISMATCH,
                assertThrows(ChainException.class, () -> Chains.validate(List.of(first, SignedRecord.sign(other, key)))).kind());
    }
}
