package org.batterytrace.server;

import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/** Offers that wait too long expire: they cannot be accepted, and they no longer block a new offer. */
@QuarkusTest
@TestProfile(TransferExpiryTest.ShortOffers.class)
public class TransferExpiryTest {
    public static class ShortOffers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trace.transfers.offer-ttl", "2s", "trace.transfers.expiry-sweep", "1s");
        }
    }

    @Test
    void anExpiredOfferCannotBeAcceptedAndMayBeRenewed() throws InterruptedException {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        SignedRecord offer = maker.prepareAndSign(pack, "TRANSFERRED", data("to", oem.id));
        String id = maker.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(201).extract().path("id");
        Thread.sleep(2_500);
        CascadeAndRecyclingTest.problem(oem.auth().body(oem.key.sign(offer.record()).toJson().toString()).post("/api/v1/transfers/" + id + "/accept"),
                409, "transfer-expired");
        Thread.sleep(1_500); // the sweep marks it
        oem.auth().get("/api/v1/transfers?status=EXPIRED").then().statusCode(200).body("id", hasItem(id));

        // A fresh offer of the same battery is not blocked, and an immediate acceptance works.
        maker.transfer(pack, oem);
        oem.auth().get("/api/v1/transfers/" + id).then().statusCode(200).body("status", equalTo("EXPIRED"));
    }
}
