package org.batterytrace.server.auth;

import io.quarkus.runtime.BlockingOperationControl;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.batterytrace.server.console.ConsoleSessionEntity;
import org.batterytrace.server.console.ConsoleSessions;
import org.batterytrace.server.facts.FactsCache;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

/**
 * Who is calling: resolved once per request from {@code Authorization: Bearer <token>}. The token is
 * either an organization's API token or the platform administrator's. Without the header, the web
 * console's session cookie stands for the organization's token it was opened with (so the console's
 * pages and scripts call this same API under the same rules), and a write it authenticates needs the
 * session's CSRF token and this server's Origin ({@link ConsoleSessions#refusal}). Who may act is
 * checked here; who may read what is {@link org.batterytrace.server.access.ReadPolicy}'s.
 */
@RequestScoped
public class Caller {
    @Inject
    HttpServerRequest request;
    @Inject
    AdminToken adminToken;
    @Inject
    AuthThrottle throttle;
    @Inject
    ConsoleSessions sessions;
    @Inject
    FactsCache facts;

    /** An organization acting with a credential: its API token's hash, or null for a console session (checked per request). */
    public record Credential(String orgId, String tokenHash) {
    }

    private boolean resolved;
    private boolean admin;
    private String orgId;
    private String tokenHash;
    private OrganizationEntity organization;
    private String problem;
    private ProblemException throttled;
    private ProblemException refused;
    private ConsoleSessionEntity session;
    private String sessionId;

    private void resolve() {
        if (resolved) {
            return;
        }
        resolved = true;
        try {
            resolve(BlockingOperationControl.isBlockingAllowed());
        } catch (FactsCache.NotInMemory e) {
            resolved = false; // nothing was set: resolved again on a worker thread
            throw e;
        }
    }

    /** Without {@code mayBlock} (on an HTTP event loop), only from memory: what needs the database throws {@link FactsCache.NotInMemory}. */
    private void resolve(boolean mayBlock) {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            io.vertx.core.http.Cookie cookie = request.getCookie(ConsoleSessions.COOKIE);
            if (cookie != null) {
                if (!mayBlock) {
                    throw FactsCache.NotInMemory.INSTANCE;
                }
                resolveSession(cookie.getValue());
                return;
            }
            problem = "this request needs an API token: Authorization: Bearer <token>";
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            problem = "the Authorization header must be 'Bearer <token>'";
            return;
        }
        String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        try {
            throttle.checkAllowed(address);
        } catch (ProblemException e) {
            throttled = e;
            throw e;
        }
        String hash = Tokens.hash(header.substring(7).trim());
        if (adminToken.matches(hash)) {
            admin = true;
            return;
        }
        // From memory when the token was seen since the last change of facts: a write needs no query here.
        Optional<String> owner = (mayBlock ? facts.cached() : facts.inMemory()).tokenOwner(hash);
        if (owner.isEmpty()) {
            throttle.recordFailure(address);
            problem = "the API token is unknown or revoked";
            return;
        }
        orgId = owner.get();
        tokenHash = hash;
    }

    private void resolveSession(String id) {
        Optional<ConsoleSessionEntity> found = sessions.find(id);
        if (found.isEmpty()) {
            problem = "the console session has ended (signed out, expired or its API token revoked): sign in again";
            return;
        }
        String refusal = ConsoleSessions.refusal(request, id, null);
        if (refusal != null) {
            refused = new ProblemException(ProblemKind.CROSS_SITE_REQUEST, refusal);
            return;
        }
        session = found.get();
        sessionId = id;
        orgId = session.orgId;
    }

    /** The console session this request was authenticated by, with its cookie value; empty for bearer tokens. */
    public Optional<String> consoleSessionId() {
        resolve();
        return Optional.ofNullable(sessionId);
    }

    public boolean isAdmin() {
        resolve();
        return admin;
    }

    public Optional<OrganizationEntity> organization() {
        resolve();
        if (orgId != null && organization == null) {
            organization = OrganizationEntity.findById(orgId);
        }
        return Optional.ofNullable(organization);
    }

    /** Any valid token: an organization or the administrator. */
    public void requireAuthenticated() {
        resolve();
        if (throttled != null) {
            throw throttled;
        }
        if (refused != null) {
            throw refused;
        }
        if (!admin && orgId == null) {
            throw ProblemException.unauthorized(problem);
        }
    }

    public OrganizationEntity requireOrganization() {
        requireOrganizationId();
        return organization().orElseThrow();
    }

    /** The calling organization's id, without loading it: what a record write needs. */
    public String requireOrganizationId() {
        requireAuthenticated();
        if (orgId == null) {
            throw new ProblemException(ProblemKind.ORGANIZATION_REQUIRED, "this action is taken by an organization with its own API token, not by the platform administrator");
        }
        return orgId;
    }

    /** The calling organization and its token, which a write is checked against again if it is revoked before the write is logged. */
    public Credential requireCredential() {
        return new Credential(requireOrganizationId(), tokenHash);
    }

    public void requireAdmin() {
        requireAuthenticated();
        if (!admin) {
            throw new ProblemException(ProblemKind.ADMIN_REQUIRED, "only the platform administrator may do this");
        }
    }

    /** The organization {@code orgId} itself, acting with its own token (not the administrator on its behalf). */
    public void requireSelf(String orgId) {
        if (!requireOrganizationId().equals(orgId)) {
            throw new ProblemException(ProblemKind.NOT_YOUR_ORGANIZATION, "only " + orgId + " itself may do this");
        }
    }

    /** The administrator, or the organization {@code orgId} itself. */
    public void requireAdminOr(String orgId) {
        requireAuthenticated();
        if (!admin && !this.orgId.equals(orgId)) {
            throw new ProblemException(ProblemKind.NOT_YOUR_ORGANIZATION, "only " + orgId + " itself or the platform administrator may do this");
        }
    }
}
