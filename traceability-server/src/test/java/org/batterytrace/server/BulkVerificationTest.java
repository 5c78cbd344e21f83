package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.record.SignatureCheck;
import org.junit.jupiter.api.Test;

/**
 * A bulk request's signatures verify in chunks, on all cores or on a shared pool
 * ({@code trace.records.verify-threads}): either way every bad signature is reported at its own index,
 * nothing of a refused bulk is stored, and a good bulk is accepted whole.
 */
@QuarkusTest
public class BulkVerificationTest {
    /** Three verification chunks, the last one short. */
    private static final int RECORDS = 150;
    private static final Set<Integer> BAD = Set.of(0, 63, 64, 149);

    @Inject
    SignatureCheck signatures;
    @Inject
    TraceConfig config;

    @Test
    void everyBadSignatureIsFoundOnAllCoresAndOnASharedPool() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(1);
        Thread.sleep(1_100); // the records' time follows the key's registration
        try {
            for (int threads : new int[] {0, 1, 3}) {
                signatures.bulkThreads(threads);
                List<SignedRecord> good = new ArrayList<>();
                List<SignedRecord> withBad = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    SignedRecord signed = SignedRecord.sign(TraceRecord.of(Platform.newPackCode(), 1, null, "PRODUCED", time, maker.id, Json.object()), maker.key);
                    good.add(signed);
                    withBad.add(BAD.contains(i) ? flipped(signed) : signed);
                }
                given().header("Authorization", "Bearer " + maker.token).contentType("application/json").body(bulk(withBad)).post("/api/v1/records/bulk")
                        .then().statusCode(422).body("type", equalTo("urn:batterytrace:problem:batch-rejected"))
                        .body("errors.index", equalTo(BAD.stream().sorted().toList()))
                        .body("errors.type", equalTo(BAD.stream().map(i -> "urn:batterytrace:problem:signature-invalid").toList()));
                given().get("/api/v1/batteries/" + good.get(1).record().subject() + "/summary").then().statusCode(404);

                maker.auth().body(bulk(good)).post("/api/v1/records/bulk").then().statusCode(201).body("accepted", equalTo(RECORDS));
                given().get("/api/v1/batteries/" + good.get(RECORDS - 1).record().subject() + "/summary").then().statusCode(200);
            }
        } finally {
            signatures.bulkThreads(config.records().verifyThreads());
        }
    }

    private static SignedRecord flipped(SignedRecord signed) {
        RecordSignature real = signed.signatures().get(0);
        byte[] value = real.value().clone();
        value[7] ^= 1;
        return SignedRecord.of(signed.record(), List.of(new RecordSignature(real.keyId(), real.alg(), value)));
    }

    private static String bulk(List<SignedRecord> records) {
        return records.stream().map(r -> r.toJson().toString()).collect(Collectors.joining(",", "{\"records\":[", "]}"));
    }
}
