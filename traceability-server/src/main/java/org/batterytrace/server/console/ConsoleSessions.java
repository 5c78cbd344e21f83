package org.batterytrace.server.console;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.record.Hashes;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.auth.AdminToken;
import org.batterytrace.server.auth.ApiTokenEntity;
import org.batterytrace.server.auth.AuthThrottle;
import org.batterytrace.server.auth.Tokens;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.time.TraceClock;

/**
 * Console sign-in: an organization's API token, checked as the API checks it, opens a session whose
 * random id travels only in an {@code HttpOnly; SameSite=Strict} cookie. The token itself is never
 * stored in the browser. Writes authenticated by the cookie must carry the session's CSRF token (a
 * synchronizer token derived from the session id, OWASP CSRF cheat sheet) and come from this origin
 * (RFC 6454 {@code Origin}); {@link org.batterytrace.server.auth.Caller} enforces both.
 */
@ApplicationScoped
public class ConsoleSessions {
    public static final String COOKIE = "bt_console";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    TraceClock clock;
    @Inject
    AdminToken adminToken;
    @Inject
    AuthThrottle throttle;
    @Inject
    TraceConfig config;

    /** A new session: the cookie value (shown once, to the browser) and its CSRF token. */
    public record Started(String sessionId, String csrf) {
    }

    /**
     * Opens a session for the organization of API token {@code secret}. Unknown and revoked tokens count
     * against the address as failed authentications (the API's throttle).
     *
     * @throws ProblemException 401 for an unknown, revoked or administrator token; 429 while throttled
     */
    @Transactional
    public Started signIn(String secret, String address) {
        throttle.checkAllowed(address);
        String hash = Tokens.hash(secret == null ? "" : secret.trim());
        if (adminToken.matches(hash)) {
            throw ProblemException.unauthorized("the console is for organizations: sign in with your organization's API token, not the administrator's");
        }
        ApiTokenEntity token = ApiTokenEntity.find("tokenHash", hash).firstResult();
        if (token == null || token.revokedAt != null) {
            throttle.recordFailure(address);
            throw ProblemException.unauthorized("the API token is unknown or revoked");
        }
        ConsoleSessionEntity.delete("expiresAt <= ?1", clock.now());
        String id = Tokens.newSecret();
        ConsoleSessionEntity session = new ConsoleSessionEntity();
        session.idHash = Tokens.hash(id);
        session.tokenId = token.id;
        session.orgId = token.orgId;
        session.createdAt = clock.now();
        session.expiresAt = session.createdAt.plus(ttl());
        session.persist();
        return new Started(id, csrf(id));
    }

    /** The live session of cookie value {@code id}: not expired, not signed out, its token not revoked. */
    public Optional<ConsoleSessionEntity> find(String id) {
        if (id == null || id.isBlank() || id.length() > 100) {
            return Optional.empty();
        }
        ConsoleSessionEntity session = ConsoleSessionEntity.findById(Tokens.hash(id));
        if (session == null || !session.expiresAt.isAfter(clock.now())) {
            return Optional.empty();
        }
        ApiTokenEntity token = ApiTokenEntity.findById(session.tokenId);
        return token == null || token.revokedAt != null ? Optional.empty() : Optional.of(session);
    }

    @Transactional
    public void signOut(String id) {
        if (id != null && id.length() <= 100) {
            ConsoleSessionEntity.deleteById(Tokens.hash(id));
        }
    }

    /** The synchronizer token of session {@code id}: a hash of it, so nothing more is stored and only a page of the session can know it. */
    public static String csrf(String id) {
        return Hashes.base64Url(Hashes.sha256(("console-csrf\n" + id).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Why a request authenticated by session cookie {@code id} must be refused, or null: an unsafe method
     * (RFC 9110 §9.2.1) needs the session's CSRF token in {@value #CSRF_HEADER} (or {@code presented}, a
     * form field) and an {@code Origin} equal to this server's.
     */
    public static String refusal(HttpServerRequest request, String id, String presented) {
        if (SAFE_METHODS.contains(request.method().name())) {
            return null;
        }
        if (!sameOrigin(request)) {
            return "a console write must come from this server's own pages (the Origin header is missing or another site's)";
        }
        String token = presented != null ? presented : request.getHeader(CSRF_HEADER);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), csrf(id).getBytes(StandardCharsets.UTF_8))) {
            return "a console write must carry this session's CSRF token in " + CSRF_HEADER;
        }
        return null;
    }

    /** Whether the request's {@code Origin} is this server's scheme, host and port (RFC 6454 §7). */
    public static boolean sameOrigin(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        String host = request.getHeader("Host");
        return origin != null && host != null && origin.equalsIgnoreCase(request.scheme() + "://" + host);
    }

    /** The session cookie: HttpOnly, SameSite=Strict, whole site, Secure over https; {@code maxAge} 0 deletes it. */
    public static Cookie cookie(HttpServerRequest request, String value, long maxAgeSeconds) {
        Cookie cookie = Cookie.cookie(COOKIE, value).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/")
                .setSecure("https".equals(request.scheme())).setMaxAge(maxAgeSeconds);
        return cookie;
    }

    public Duration ttl() {
        return config.console().sessionTtl();
    }
}
