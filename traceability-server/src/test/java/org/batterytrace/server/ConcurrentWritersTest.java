package org.batterytrace.server;

import static org.batterytrace.server.Platform.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.RepeatedTest;

/** Writers racing for one battery's next sequence number: exactly one wins, the rest get 409. */
@QuarkusTest
public class ConcurrentWritersTest {
    private static final int WRITERS = 8;

    @RepeatedTest(3)
    void exactlyOneWriterWinsEachSequenceNumber() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        List<SignedRecord> rivals = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            rivals.add(maker.prepareAndSign(pack, "INSTALLED", data("vin", org.batterytrace.identity.Vin.withCheckDigit("LSVAU2180N218329" + i).value())));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (SignedRecord rival : rivals) {
            statuses.add(pool.submit(() -> {
                start.await();
                return maker.submit(rival).statusCode();
            }));
        }
        start.countDown();
        int won = 0;
        int conflicts = 0;
        for (Future<Integer> status : statuses) {
            int code = status.get();
            if (code == 201) {
                won++;
            } else if (code == 409) {
                conflicts++;
            }
        }
        pool.shutdown();
        assertEquals(1, won, "exactly one winner");
        assertEquals(WRITERS - 1, conflicts, "everyone else gets 409");
        maker.auth().get("/api/v1/batteries/" + pack + "/history").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(2));
    }
}
