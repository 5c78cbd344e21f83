package org.batterytrace.server.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The web console's pages (README, "Console"), served at {@code /console/…} ({@link ConsoleRoutes}); not
 * part of the API contract. Each page is read through {@link ConsoleViews} or {@link RegulatorDashboard},
 * which ask the read policy as the API does; a refusal is the API's status and problem kind, shown as a page.
 * Writes happen in the page's script, against the API itself (with the session cookie and its CSRF token).
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {
    static final String LANG_COOKIE = "lang";

    @Inject
    Caller caller;
    @Inject
    ConsoleSessions sessions;
    @Inject
    ConsoleViews views;
    @Inject
    RegulatorDashboard dashboard;
    @Inject
    HttpServerRequest request;

    @Inject
    @Location("console/sign-in.html")
    Template signInPage;
    @Inject
    @Location("console/home.html")
    Template homePage;
    @Inject
    @Location("console/batteries.html")
    Template batteriesPage;
    @Inject
    @Location("console/battery.html")
    Template batteryPage;
    @Inject
    @Location("console/transfers.html")
    Template transfersPage;
    @Inject
    @Location("console/late-reports.html")
    Template latePage;
    @Inject
    @Location("console/lots.html")
    Template lotsPage;
    @Inject
    @Location("console/collect.html")
    Template collectPage;
    @Inject
    @Location("console/regulator.html")
    Template regulatorPage;
    @Inject
    @Location("console/error.html")
    Template errorPage;

    @QueryParam("lang")
    String langQuery;
    @CookieParam(LANG_COOKIE)
    String langCookie;

    private String lang() {
        return ConsoleMessages.language(langQuery, langCookie);
    }

    /** The page's own address without the language switch, for the link to the other language. */
    private String path() {
        String path = request.path().replaceFirst("^/api/v1", "");
        String query = request.query() == null ? "" : java.util.Arrays.stream(request.query().split("&")).filter(p -> !p.startsWith("lang="))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? path : path + "?" + query;
    }

    private ConsolePage page(String titleKey) {
        Map<String, String> m = ConsoleMessages.of(lang());
        OrganizationEntity org = caller.organization().orElse(null);
        String session = caller.consoleSessionId().orElse(null);
        if (org == null) {
            return new ConsolePage(lang(), m, path(), null, null, null, null, false, false, m.get(titleKey));
        }
        boolean regulator = org.roleSet().contains(Role.REGULATOR);
        String roles = org.roleSet().stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
        return new ConsolePage(lang(), m, path(), org.id, org.name, roles, session == null ? null : ConsoleSessions.csrf(session), regulator,
                !regulator || org.roleSet().size() > 1, m.get(titleKey));
    }

    private Response html(int status, TemplateInstance instance) {
        Response.ResponseBuilder builder = Response.status(status).entity(instance.render()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store");
        if (langQuery != null && !langQuery.isBlank()) {
            builder.header("Set-Cookie", LANG_COOKIE + "=" + lang() + "; Path=/console; SameSite=Strict; Max-Age=31536000");
        }
        return builder.build();
    }

    /** A signed-in page: anonymous callers go to the sign-in page; a refusal shows the API's status and problem. */
    private Response signedIn(String titleKey, Function<ConsolePage, TemplateInstance> render) {
        if (caller.organization().isEmpty()) {
            return home303().build();
        }
        ConsolePage page = page(titleKey);
        try {
            return html(200, render.apply(page));
        } catch (ProblemException e) {
            return html(e.status(), errorPage.data("p", page).data("problem", e.toProblem(path())));
        }
    }

    /** 303 to the console's home (a header of our own: JAX-RS would resolve a relative Location against /api/v1). */
    private static Response.ResponseBuilder home303() {
        return Response.status(303).header("Location", "/console/");
    }

    @GET
    @Path("/")
    @Operation(hidden = true)
    public Response home() {
        if (caller.organization().isEmpty()) {
            return html(200, signInPage.data("p", page("signInTitle")).data("error", null));
        }
        return signedIn("navHome", p -> homePage.data("p", p));
    }

    /**
     * Opens a session with the organization's API token (form field {@code token}); refuses a sign-in form
     * posted from another origin (login CSRF) with 403 cross-site-request.
     */
    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response signIn(@FormParam("token") String token) {
        if (!ConsoleSessions.sameOrigin(request)) {
            throw new ProblemException(ProblemKind.CROSS_SITE_REQUEST, "the sign-in form must be posted from this server's own console page");
        }
        String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        ConsoleSessions.Started started;
        try {
            started = sessions.signIn(token, address);
        } catch (ProblemException e) {
            ConsolePage page = page("signInTitle");
            String message = e.kind() == ProblemKind.TOO_MANY_FAILED_AUTHENTICATIONS ? page.m().get("signInThrottled") : page.m().get("signInFailed");
            return html(e.status(), signInPage.data("p", page).data("error", message));
        }
        return home303().header("Set-Cookie", ConsoleSessions.cookie(request, started.sessionId(), sessions.ttl().toSeconds()).encode())
                .build();
    }

    /** Ends the session (form field {@code csrf} carries the session's CSRF token) and deletes the cookie. */
    @POST
    @Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response signOut(@FormParam("csrf") String csrf) {
        io.vertx.core.http.Cookie cookie = request.getCookie(ConsoleSessions.COOKIE);
        if (cookie == null || sessions.find(cookie.getValue()).isEmpty()) {
            throw ProblemException.unauthorized("no console session to sign out of");
        }
        String refusal = ConsoleSessions.refusal(request, cookie.getValue(), csrf == null ? "" : csrf);
        if (refusal != null) {
            throw new ProblemException(ProblemKind.CROSS_SITE_REQUEST, refusal);
        }
        sessions.signOut(cookie.getValue());
        return home303().header("Set-Cookie", ConsoleSessions.cookie(request, "", 0).encode()).build();
    }

    /** A choice of a filter's drop-down list. */
    public record Option(String value, String label, boolean selected) {
    }

    @GET
    @Path("/batteries")
    @Operation(hidden = true)
    public Response batteries(@QueryParam("state") String state, @QueryParam("chemistry") String chemistry, @QueryParam("month") String month) {
        ConsoleViews.Filters filters = new ConsoleViews.Filters(state, chemistry, month);
        return signedIn("navBatteries", p -> batteriesPage.data("p", p).data("filters", filters)
                .data("states", java.util.Arrays.stream(BatteryState.values())
                        .map(s -> new Option(s.name(), s.name(), s.name().equals(state))).toList())
                .data("chemistries", java.util.Arrays.stream(Chemistry.values())
                        .map(c -> new Option(String.valueOf(c.code()), c.code() + " · " + c.description(), String.valueOf(c.code()).equals(chemistry))).toList())
                .data("batteries", views.custody(caller.requireOrganization(), filters)));
    }

    @GET
    @Path("/batteries/{code}")
    @Operation(hidden = true)
    public Response battery(@PathParam("code") String code) {
        return signedIn("timelineTitle", p -> batteryPage.data("p", p).data("t", views.timeline(code)));
    }

    @GET
    @Path("/transfers")
    @Operation(hidden = true)
    public Response transfers() {
        return signedIn("navTransfers", p -> transfersPage.data("p", p).data("inbox", views.transfers(caller.requireOrganization(), true))
                .data("outbox", views.transfers(caller.requireOrganization(), false)));
    }

    @GET
    @Path("/late-reports")
    @Operation(hidden = true)
    public Response lateReports() {
        return signedIn("navLate", p -> latePage.data("p", p).data("late", views.lateReports(caller.requireOrganization())));
    }

    @GET
    @Path("/lots")
    @Operation(hidden = true)
    public Response lots() {
        return signedIn("navLots", p -> lotsPage.data("p", p).data("lots", views.lots(caller.requireOrganization())));
    }

    @GET
    @Path("/collect")
    @Operation(hidden = true)
    public Response collect() {
        return signedIn("navCollect", p -> collectPage.data("p", p));
    }

    @GET
    @Path("/regulator")
    @Operation(hidden = true)
    public Response regulator() {
        return signedIn("navRegulator", p -> regulatorPage.data("p", p).data("d", dashboard.build(p.m(), "zh".equals(p.lang()))));
    }
}
