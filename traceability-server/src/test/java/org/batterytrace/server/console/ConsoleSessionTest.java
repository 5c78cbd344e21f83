package org.batterytrace.server.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.auth.Tokens;
import org.batterytrace.server.problem.ProblemKind;
import org.junit.jupiter.api.Test;

/**
 * Console sign-in, sessions and the attacks they stop: the cookie is HttpOnly and SameSite=Strict, the
 * token appears in no page, URL or cookie, only a hash of the session id is stored, a write authenticated
 * by the cookie without the session's CSRF token or from another origin is refused with problem+json and
 * changes nothing, and a cookie stops working after sign-out or the token's revocation.
 */
@QuarkusTest
public class ConsoleSessionTest {
    @TestHTTPResource("/")
    URL root;

    private String origin() {
        return root.getProtocol() + "://" + root.getHost() + ":" + root.getPort();
    }

    /** Signs in through the form as the browser does; returns the session cookie's value. */
    private String signIn(String token) {
        Response r = given().redirects().follow(false).header("Origin", origin()).contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post("/console/sign-in");
        assertEquals(303, r.statusCode(), r.asString());
        assertEquals("/console/", java.net.URI.create(r.header("Location")).getPath());
        String setCookie = r.header("Set-Cookie");
        assertNotNull(setCookie);
        // Attribute names are case-insensitive (RFC 6265 §5.2).
        List<String> attributes = List.of(setCookie.toLowerCase(java.util.Locale.ROOT).split(";\\s*"));
        assertTrue(attributes.contains("httponly"), setCookie);
        assertTrue(attributes.contains("samesite=strict"), setCookie);
        assertTrue(attributes.contains("path=/"), setCookie);
        assertFalse(attributes.contains("secure"), "plain http here: " + setCookie);
        assertFalse(setCookie.contains(token), "the API token is not the cookie");
        return r.getCookie(ConsoleSessions.COOKIE);
    }

    private RequestSpecification session(String cookie) {
        return given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, cookie);
    }

    private static String csrfOf(String html) {
        Matcher m = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">").matcher(html);
        assertTrue(m.find(), "the page carries the session's CSRF token");
        return m.group(1);
    }

    private static Org maker() {
        return Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
    }

    @Test
    void signInOpensASessionTheApiAcceptsAndTheTokenIsNowhereInThePages() {
        Org maker = maker();
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        String cookie = signIn(maker.token);
        assertNull(ConsoleSessionEntity.findById(cookie), "the session id itself is not stored");
        ConsoleSessionEntity stored = ConsoleSessionEntity.findById(Tokens.hash(cookie));
        assertEquals(maker.id, stored.orgId.trim());

        String home = session(cookie).get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString(maker.id)).body(not(containsString(maker.token))).extract().asString();
        assertFalse(csrfOf(home).isBlank());
        for (String page : List.of("/console/batteries", "/console/transfers", "/console/collect", "/console/late-reports", "/console/lots",
                "/console/batteries/" + pack)) {
            session(cookie).get(page).then().statusCode(200).body(not(containsString(maker.token))).body(containsString(maker.id));
        }
        // The pages' scripts call the same API with the cookie; the same read policy answers.
        session(cookie).get("/api/v1/batteries/" + pack + "/history").then().statusCode(200).body("size()", equalTo(1));
        Org stranger = maker();
        session(signIn(stranger.token)).get("/api/v1/batteries/" + pack + "/history").then().statusCode(403)
                .body("type", equalTo(ProblemKind.NOT_A_PARTY.type()));
    }

    @Test
    void crossSiteWritesAreRefusedAndChangeNothing() {
        Org maker = maker();
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        String cookie = signIn(maker.token);
        String csrf = csrfOf(session(cookie).get("/console/").asString());
        String foreignCsrf = csrfOf(session(signIn(maker().token)).get("/console/").asString());
        Org receiver = maker();
        // A valid write: offering the pack to another organization (a signed TRANSFERRED record).
        String body = maker.prepareAndSign(pack, "TRANSFERRED", Platform.data("to", receiver.id)).toJson().toString();

        record Attempt(String why, String origin, String csrf) {
        }
        for (Attempt a : List.of(new Attempt("no CSRF token", origin(), null), new Attempt("another session's CSRF token", origin(), foreignCsrf),
                new Attempt("a foreign Origin", "https://evil.example", csrf), new Attempt("no Origin", null, csrf),
                new Attempt("a foreign Origin and no token", "https://evil.example", null))) {
            RequestSpecification request = session(cookie).contentType("application/json").body(body);
            if (a.origin() != null) {
                request.header("Origin", a.origin());
            }
            if (a.csrf() != null) {
                request.header(ConsoleSessions.CSRF_HEADER, a.csrf());
            }
            request.post("/api/v1/transfers").then().statusCode(403).contentType(containsString("application/problem+json"))
                    .body("type", equalTo("urn:batterytrace:problem:cross-site-request"));
            maker.auth().get("/api/v1/transfers?direction=outgoing").then().statusCode(200).body("size()", equalTo(0));
            receiver.auth().get("/api/v1/transfers").then().statusCode(200).body("size()", equalTo(0));
        }
        // A cross-site form posting the sign-in (login CSRF) is refused too, and sets no cookie.
        Response login = given().redirects().follow(false).header("Origin", "https://evil.example").contentType("application/x-www-form-urlencoded")
                .formParam("token", maker.token).post("/console/sign-in");
        assertEquals(403, login.statusCode());
        assertTrue(login.contentType().startsWith("application/problem+json"));
        assertNull(login.getCookie(ConsoleSessions.COOKIE));
        // The same write from the console's own page goes through.
        session(cookie).contentType("application/json").header("Origin", origin()).header(ConsoleSessions.CSRF_HEADER, csrf).body(body)
                .post("/api/v1/transfers").then().statusCode(201).body("to", equalTo(receiver.id));
        receiver.auth().get("/api/v1/transfers").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void signOutEndsTheSessionAndNeedsTheCsrfToken() {
        Org maker = maker();
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        String cookie = signIn(maker.token);
        String csrf = csrfOf(session(cookie).get("/console/").asString());
        // A cross-site sign-out (no token) is refused: the session lives on.
        session(cookie).header("Origin", origin()).contentType("application/x-www-form-urlencoded").formParam("csrf", "forged").post("/console/sign-out")
                .then().statusCode(403).body("type", equalTo("urn:batterytrace:problem:cross-site-request"));
        session(cookie).get("/api/v1/batteries/" + pack).then().statusCode(200);

        Response out = session(cookie).header("Origin", origin()).contentType("application/x-www-form-urlencoded").formParam("csrf", csrf).post("/console/sign-out");
        assertEquals(303, out.statusCode());
        assertTrue(out.header("Set-Cookie").contains("Max-Age=0"), out.header("Set-Cookie"));
        assertNull(ConsoleSessionEntity.findById(Tokens.hash(cookie)), "sign-out deletes the session");
        session(cookie).get("/api/v1/batteries/" + pack).then().statusCode(401).contentType(containsString("application/problem+json"))
                .body("type", equalTo(ProblemKind.UNAUTHORIZED.type()));
        session(cookie).get("/console/batteries").then().statusCode(303);
        session(cookie).get("/console/").then().statusCode(200).body(containsString("id=\"sign-in\""));
    }

    @Test
    void revokingTheTokenEndsItsSessions() {
        Org maker = maker();
        Map<String, String> issued = Platform.admin().body(Map.of("label", "console")).post("/api/v1/organizations/" + maker.id + "/tokens").then()
                .statusCode(201).extract().jsonPath().getMap("");
        String cookie = signIn(issued.get("token"));
        session(cookie).get("/api/v1/transfers").then().statusCode(200);
        Platform.admin().post("/api/v1/organizations/" + maker.id + "/tokens/" + issued.get("id") + "/revoke").then().statusCode(200);
        session(cookie).get("/api/v1/transfers").then().statusCode(401);
        session(cookie).get("/console/transfers").then().statusCode(303);
    }

    @Test
    void aWrongTokenIsToldBesideTheFieldAndOpensNothing() {
        Response r = given().redirects().follow(false).header("Origin", origin()).contentType("application/x-www-form-urlencoded")
                .formParam("token", "bt_not-a-token").post("/console/sign-in");
        assertEquals(401, r.statusCode());
        assertTrue(r.asString().contains("id=\"token-error\""));
        assertNull(r.getCookie(ConsoleSessions.COOKIE));
        Response admin = given().redirects().follow(false).header("Origin", origin()).contentType("application/x-www-form-urlencoded")
                .formParam("token", Platform.ADMIN).post("/console/sign-in");
        assertEquals(401, admin.statusCode(), "the console is for organizations");
        assertNull(admin.getCookie(ConsoleSessions.COOKIE));
    }
}
