package org.batterytrace.server.record;

import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.batterytrace.identity.Vin;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.Platform;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.facts.FactsCache;
import org.batterytrace.server.log.TransparencyLog;
import org.batterytrace.server.problem.ProblemKind;
import org.junit.jupiter.api.Test;

/**
 * Group commit: requests that share one log transaction are still answered one by one — a refused
 * request (a bad item in a bulk, a lost sequence race) fails alone and leaves no trace its successors
 * could see, a later request may build on an earlier one of the same group, and a record repeated within
 * a group is answered like any resubmission.
 */
@QuarkusTest
public class GroupCommitTest {
    @Inject
    RecordIngest ingest;
    @Inject
    TransparencyLog log;
    @Inject
    FactsCache facts;

    private RecordIngest.Submission checked(Org org, SignedRecord... records) {
        return QuarkusTransaction.requiringNew().call(() -> ingest.precheck(List.of(records), new Caller.Credential(org.id, null), RecordIngest.Mode.ANY, facts.cached()));
    }

    private static SignedRecord next(Org org, SignedRecord previous, String type, String vin) {
        TraceRecord p = previous.record();
        return SignedRecord.sign(TraceRecord.of(p.subject(), p.seq() + 1, previous.hash(), type, p.instant().plusMillis(1), org.id, data("vin", vin)), org.key);
    }

    @Test
    void eachRequestOfAGroupIsAnsweredOnItsOwn() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String x = Platform.newPackCode();
        String y = Platform.newPackCode();
        String unregistered = Platform.newPackCode();
        SignedRecord producedX = maker.prepareAndSign(x, "PRODUCED", null);
        SignedRecord producedY = maker.prepareAndSign(y, "PRODUCED", null);
        SignedRecord producedOther = maker.prepareAndSign(unregistered, "PRODUCED", null);
        SignedRecord installedX = next(maker, producedX, "INSTALLED", Vin.withCheckDigit("LSVAU2180N2183291").value());
        SignedRecord rivalX = next(maker, producedX, "INSTALLED", Vin.withCheckDigit("LSVAU2180N2183292").value());
        SignedRecord installedNowhere = next(maker, producedOther, "INSTALLED", Vin.withCheckDigit("LSVAU2180N2183293").value());

        List<RecordIngest.Submission> group = List.of(
                checked(maker, producedX),
                checked(maker, producedY, installedNowhere), // refused as a whole: its second item names no battery
                checked(maker, installedX), // builds on the first request of the group
                checked(maker, producedX), // the first request's record again: a resubmission
                checked(maker, rivalX), // lost the race for seq 2 to the third request
                checked(maker, producedY)); // the refused bulk left no trace: Y is still free
        long before = QuarkusTransaction.requiringNew().call(log::size);
        List<RecordIngest.Outcome> outcomes = QuarkusTransaction.requiringNew().call(() -> ingest.applyGroup(group));

        RecordIngest.Accepted first = outcomes.get(0).accepted().get(0);
        assertEquals(before, first.logIndex());
        assertFalse(first.replayed());
        assertEquals(ProblemKind.BATCH_REJECTED, outcomes.get(1).failure().kind());
        assertEquals(1, outcomes.get(1).failure().errors().size());
        assertEquals(1, outcomes.get(1).failure().errors().get(0).index());
        assertEquals("urn:batterytrace:problem:" + ProblemKind.BATTERY_NOT_FOUND.slug(), outcomes.get(1).failure().errors().get(0).type());
        RecordIngest.Accepted installed = outcomes.get(2).accepted().get(0);
        assertEquals(before + 1, installed.logIndex());
        assertEquals(BatteryState.INSTALLED, installed.state());
        RecordIngest.Accepted repeated = outcomes.get(3).accepted().get(0);
        assertTrue(repeated.replayed());
        assertEquals(first.logIndex(), repeated.logIndex());
        assertEquals(first.hash(), repeated.hash());
        assertEquals(ProblemKind.SEQ_CONFLICT, outcomes.get(4).failure().kind());
        assertNull(outcomes.get(4).accepted());
        assertEquals(before + 2, outcomes.get(5).accepted().get(0).logIndex());
        assertEquals(before + 3, QuarkusTransaction.requiringNew().call(log::size), "three records logged, nothing of the refused requests");

        maker.auth().get("/api/v1/batteries/" + x + "/history").then().statusCode(200).body("size()", equalTo(2));
        maker.auth().get("/api/v1/batteries/" + y + "/history").then().statusCode(200).body("size()", equalTo(1));
        maker.auth().get("/api/v1/batteries/" + unregistered).then().statusCode(404);
    }

    /**
     * Concurrent single-record requests through the API, good and bad mixed: each gets its own answer
     * (201 for a new battery, 422 for a forged signature, exactly one 201 and the rest 409 for a contested
     * sequence number), whichever requests shared its transaction.
     */
    @Test
    void concurrentRequestsGetTheirOwnAnswers() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String contested = Platform.newPackCode();
        SignedRecord genesis = maker.prepareAndSign(contested, "PRODUCED", null);
        maker.submit(genesis).then().statusCode(201);
        int each = 12;
        List<SignedRecord> fresh = new ArrayList<>();
        List<SignedRecord> forged = new ArrayList<>();
        List<SignedRecord> rivals = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            fresh.add(maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null));
            SignedRecord other = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
            forged.add(SignedRecord.of(other.record(), fresh.get(i).signatures())); // another record's signature
            rivals.add(next(maker, genesis, "INSTALLED", Vin.withCheckDigit("LSVAU2180N21832" + String.format("%02d", i)).value()));
        }
        List<SignedRecord> all = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            all.add(fresh.get(i));
            all.add(forged.get(i));
            all.add(rivals.get(i));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(all.size());
        List<Future<Response>> answers = new ArrayList<>();
        for (SignedRecord record : all) {
            answers.add(pool.submit(() -> {
                start.await();
                return maker.submit(record);
            }));
        }
        start.countDown();
        Set<Long> indexes = new HashSet<>();
        int won = 0;
        int lost = 0;
        for (int i = 0; i < all.size(); i++) {
            Response answer = answers.get(i).get();
            switch (i % 3) {
                case 0 -> {
                    assertEquals(201, answer.statusCode(), answer.asString());
                    assertEquals(all.get(i).hash(), answer.path("hash"));
                    assertTrue(indexes.add(((Number) answer.path("logIndex")).longValue()), "every acknowledgement has its own index");
                }
                case 1 -> {
                    assertEquals(422, answer.statusCode(), answer.asString());
                    assertEquals("urn:batterytrace:problem:" + ProblemKind.SIGNATURE_INVALID.slug(), answer.path("type"));
                }
                default -> {
                    if (answer.statusCode() == 201) {
                        won++;
                        assertTrue(indexes.add(((Number) answer.path("logIndex")).longValue()));
                    } else {
                        assertEquals(409, answer.statusCode(), answer.asString());
                        assertEquals("urn:batterytrace:problem:" + ProblemKind.SEQ_CONFLICT.slug(), answer.path("type"));
                        lost++;
                    }
                }
            }
        }
        pool.shutdown();
        assertEquals(1, won, "exactly one rival wins seq 2");
        assertEquals(each - 1, lost);
        maker.auth().get("/api/v1/batteries/" + contested + "/history").then().statusCode(200).body("size()", equalTo(2));
        for (SignedRecord f : forged) {
            maker.auth().get("/api/v1/batteries/" + f.record().subject()).then().statusCode(404);
        }
    }

    /**
     * Operators see how long requests queue for the log and how long its transactions take, small and bulk
     * apart: a single write's latency is its wait plus its group's transaction, and the wait's tail is the
     * bulk it queued behind.
     */
    @Test
    void queueWaitsAndTransactionsAreHistogramsBySize() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Map<String, Double> before = groupCounts();
        maker.submit(maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null)).then().statusCode(201);
        List<SignedRecord> bulk = new java.util.ArrayList<>();
        for (int i = 0; i < 101; i++) { // one more than trace.records.group-commit.small-request
            bulk.add(maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null));
        }
        maker.auth().body(Platform.bulkBody(bulk)).post("/api/v1/records/bulk").then().statusCode(201);
        Map<String, Double> after = groupCounts();
        for (String series : List.of("wait_seconds_count{kind=\"small\"", "wait_seconds_count{kind=\"bulk\"", "commit_seconds_count{kind=\"small\"",
                "commit_seconds_count{kind=\"bulk\"")) {
            assertTrue(after.getOrDefault(series, 0.0) >= before.getOrDefault(series, 0.0) + 1, series + " counts the request: " + after);
        }
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().filter(l -> l.startsWith("trace_log_group_wait_seconds_bucket{kind=\"small\"")).count() > 10,
                "the wait is a histogram, with buckets for percentiles");
    }

    /**
     * A single record whose token, keys and organizations are in memory is checked on the HTTP event loop and
     * queued with no hand-off to a worker thread; one that needs the database (a new organization's first write)
     * goes through a worker first. Both are answered alike.
     */
    @Test
    void singleRecordsAreTakenInOnTheEventLoopWhenTheirFactsAreInMemory() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        QuarkusTransaction.requiringNew().run(facts::changed); // as a key registered elsewhere would: the cache starts empty
        Map<String, Double> before = singleCounts();
        SignedRecord first = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        maker.submit(first).then().statusCode(201).body("hash", equalTo(first.hash()));
        Map<String, Double> afterFirst = singleCounts();
        assertEquals(before.getOrDefault("worker", 0.0) + 1, afterFirst.get("worker"), "the first write reads its facts on a worker thread");
        SignedRecord second = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        maker.submit(second).then().statusCode(201).body("hash", equalTo(second.hash()));
        maker.submit(second).then().statusCode(200).body("hash", equalTo(second.hash())); // its retry: the first acknowledgement
        Map<String, Double> after = singleCounts();
        assertEquals(afterFirst.getOrDefault("event-loop", 0.0) + 2, after.get("event-loop"), "then from memory, on the event loop: " + after);
        assertEquals(afterFirst.get("worker"), after.get("worker"));
    }

    /** {@code trace.records.single} by thread, from /q/metrics. */
    private static Map<String, Double> singleCounts() {
        Map<String, Double> counts = new HashMap<>();
        RestAssured.get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("trace_records_single_total{"))
                .forEach(l -> {
                    String thread = l.substring(l.indexOf("thread=\"") + 8);
                    counts.put(thread.substring(0, thread.indexOf('"')), Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
                });
        return counts;
    }

    /** The group commit's counters from /q/metrics, by series name without the {@code trace_log_group_} prefix. */
    private static Map<String, Double> groupCounts() {
        Map<String, Double> counts = new HashMap<>();
        RestAssured.get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("trace_log_group_") && l.contains("_seconds_count{"))
                .forEach(l -> counts.put(l.substring("trace_log_group_".length(), l.lastIndexOf('}')), Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))));
        return counts;
    }
}
