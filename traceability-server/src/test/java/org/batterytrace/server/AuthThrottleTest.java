package org.batterytrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * Token guessing from one address is cut off after the configured number of failures (50 in tests):
 * then every token it presents gets 429 with Retry-After — a correct guess too — while other addresses
 * and public reads are unaffected. The attacker here speaks from 127.0.0.2.
 */
@QuarkusTest
public class AuthThrottleTest {
    private static final String ATTACKER = "127.0.0.2";

    @Test
    void guessingTokensFromOneAddressIsCutOff() throws Exception {
        Org victim = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        int unauthorized = 0;
        for (int i = 0; i < 50; i++) {
            RawHttp.Answer answer = RawHttp.get(ATTACKER, "/api/v1/batteries", "bt_guess" + i);
            unauthorized += answer.status() == 401 ? 1 : 0;
        }
        assertEquals(50, unauthorized, "the first 50 wrong tokens are plain 401s");
        RawHttp.Answer cutOff = RawHttp.get(ATTACKER, "/api/v1/batteries", "bt_guess50");
        assertEquals(429, cutOff.status());
        assertEquals("application/problem+json", cutOff.header("Content-Type"));
        assertNotNull(cutOff.header("Retry-After"));
        assertTrue(Integer.parseInt(cutOff.header("Retry-After")) >= 1);
        assertTrue(cutOff.body().contains("too-many-failed-authentications"), cutOff.body());
        // Even the right token is refused from that address for now, so a hit is indistinguishable.
        assertEquals(429, RawHttp.get(ATTACKER, "/api/v1/organizations/" + victim.id + "/tokens", victim.token).status());
        // Public reads from the same address, and the victim from its own, go on.
        assertEquals(200, RawHttp.get(ATTACKER, "/api/v1/log/key", null).status());
        assertEquals(200, RawHttp.get(null, "/api/v1/organizations/" + victim.id + "/tokens", victim.token).status());
    }
}
