package org.batterytrace.server.cache;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.Platform;
import org.junit.jupiter.api.Test;

/**
 * Reads that a CDN or reverse proxy can serve: cacheable answers carry {@code Cache-Control} and an
 * entity tag, and a request naming the tag in {@code If-None-Match} gets 304 without a body; what is
 * immutable says so; what belongs to one token's holder never goes to a shared cache; and a public page
 * built from the request's Host header is not shared either (a poisoned Host would reach everyone).
 */
@QuarkusTest
public class CachingTest {
    private static final String API = "/api/v1";

    /** The first answer's ETag brings a 304 without a body; returns the tag. */
    private static String revalidates(String path, String cacheControl) {
        Response first = given().get(path);
        first.then().statusCode(200).header("Cache-Control", equalTo(cacheControl)).header("ETag", startsWith("W/\""));
        String tag = first.header("ETag");
        given().header("If-None-Match", tag).get(path).then().statusCode(304).header("ETag", equalTo(tag)).body(emptyString());
        given().header("If-None-Match", "\"someone-else\", " + tag.substring(2)).get(path).then().statusCode(304); // a list, strong form
        given().header("If-None-Match", "W/\"stale\"").get(path).then().statusCode(200);
        return tag;
    }

    private static long awaitCheckpointOver(long index) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            Response checkpoint = given().get(API + "/log/checkpoint");
            if (checkpoint.statusCode() == 200 && checkpoint.<Integer>path("size") > index) {
                return checkpoint.<Integer>path("size");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint covered " + index);
    }

    @Test
    void theCheckpointIsRevalidatedAndChangesItsTagWhenTheLogGrows() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        long index = maker.record(Platform.newPackCode(), "PRODUCED", null).get("logIndex").asLong();
        awaitCheckpointOver(index);
        String tag = revalidates(API + "/log/checkpoint", CachePolicy.REVALIDATE);
        long next = maker.record(Platform.newPackCode(), "PRODUCED", null).get("logIndex").asLong();
        awaitCheckpointOver(next);
        Response changed = given().header("If-None-Match", tag).get(API + "/log/checkpoint");
        changed.then().statusCode(200);
        assertNotEquals(tag, changed.header("ETag"));
        // The signed note alone is another representation: its own tag.
        assertNotEquals(changed.header("ETag"), given().accept("text/plain").get(API + "/log/checkpoint").header("ETag"));
    }

    @Test
    void proofsForAPinnedTreeSizeAreImmutableAndLatestOnesRevalidated() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        long index = maker.record(Platform.newPackCode(), "PRODUCED", null).get("logIndex").asLong();
        long size = awaitCheckpointOver(index);
        revalidates(API + "/log/proofs/inclusion?index=" + index + "&treeSize=" + size, CachePolicy.IMMUTABLE);
        revalidates(API + "/log/proofs/consistency?first=1&second=" + size, CachePolicy.IMMUTABLE);
        given().get(API + "/log/proofs/inclusion?index=" + index).then().statusCode(200).header("Cache-Control", CachePolicy.REVALIDATE);
        given().get(API + "/log/proofs/consistency?first=1").then().statusCode(200).header("Cache-Control", CachePolicy.REVALIDATE);
        given().get(API + "/log/key").then().statusCode(200).header("Cache-Control", "public, max-age=86400").header("ETag", not(nullValue()));
    }

    @Test
    void publicDocumentsAreSharedButAnswersToATokenStayPrivate() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String code = Platform.newPackCode();
        maker.record(code, "PRODUCED", null);
        revalidates(API + "/batteries/" + code + "/summary", "public, max-age=60");
        maker.auth().get(API + "/batteries/" + code + "/summary").then().statusCode(200).header("Cache-Control", CachePolicy.PRIVATE);
        // No base URL is configured in tests: the passport names an address taken from the Host header, so it is not shared.
        revalidates(API + "/batteries/" + code + "/passport", CachePolicy.PRIVATE);
        revalidates("/p/" + code, CachePolicy.PRIVATE);
        maker.auth().get(API + "/batteries/" + code + "/passport").then().statusCode(200).header("Cache-Control", CachePolicy.PRIVATE);
        // Record data is never cacheable: no Cache-Control from the resource, so no tag and no 304.
        maker.auth().get(API + "/batteries/" + code + "/history").then().statusCode(200).header("ETag", nullValue());
        // Errors are not tagged.
        given().get(API + "/batteries/" + Platform.newPackCode() + "/summary").then().statusCode(404).header("ETag", nullValue());
    }
}
