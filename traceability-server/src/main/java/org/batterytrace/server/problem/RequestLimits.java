package org.batterytrace.server.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.batterytrace.server.Stopping;
import org.batterytrace.server.TraceConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;

/**
 * Refusals made before any resource runs, as problem documents rather than the HTTP layer's bare
 * pages: any request once the instance is stopping ({@link Stopping}: 503), a request target with a NUL
 * (400), one over {@link #MAX_URI_LENGTH} (414), a declared body over the limit (413, before it is read),
 * and a path no route serves (404). One filter for all of them: each is a route every request passes.
 * <p>
 * A single-record {@code POST /records} is parsed and checked on the HTTP event loop that read it
 * (RecordResource), where parsing a large body would stall every connection that loop serves: its
 * declared body may be at most {@link #maxSingleRecordBody} — room for the largest record in canonical form
 * four times over (pretty-printed, every character escaped) and its signatures — and more is refused as
 * {@code record-too-large} without being parsed; a chunked body, whose length is not known before it is read,
 * is refused as {@code length-required}. Bulk requests are parsed on worker threads.
 */
@ApplicationScoped
public class RequestLimits {
    private static final String SINGLE_RECORD_PATH = "/api/v1/records";

    /** Longer than any real request (a 1000-entry query, a 24-character code): more is an attack or a bug. */
    public static final int MAX_URI_LENGTH = 8192;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;
    @Inject
    TraceConfig config;
    @Inject
    @Readiness // Stopping is also the readiness check, so this qualifier is its only one
    Stopping stopping;

    /** The largest body a single-record {@code POST /records} may declare. */
    long maxSingleRecordBody() {
        return 4L * config.records().maxRecordBytes() + 65_536;
    }

    void install(@Observes Router router) {
        long max = maxBodySize.asLongValue();
        long maxSingle = maxSingleRecordBody();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (stopping.refusesNewRequests() && !ctx.request().path().startsWith("/q/health")) {
                refuseAfterBody(ctx, ProblemKind.SERVER_STOPPING,
                        "this instance is stopping; the requests it took are being answered, and new ones go to another instance or wait for its restart",
                        Stopping.RETRY_AFTER_SECONDS, true);
                return;
            }
            if (containsNul(ctx.request().uri())) {
                refuse(ctx, ProblemKind.INVALID_REQUEST, "the request target contains a NUL character (%00), which no identifier or value may hold", false);
                return;
            }
            if (ctx.request().uri().length() > MAX_URI_LENGTH) {
                refuse(ctx, ProblemKind.URI_TOO_LONG,
                        "the request target has " + ctx.request().uri().length() + " characters; at most " + MAX_URI_LENGTH + " are accepted", true);
                return;
            }
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > max) {
                refuse(ctx, ProblemKind.BODY_TOO_LARGE,
                        "the body declares " + declared + " bytes; at most " + max + " are accepted (split bulk requests)", true);
                return;
            }
            if (declared > maxSingle && ctx.request().method() == HttpMethod.POST && SINGLE_RECORD_PATH.equals(ctx.request().path())) {
                // Its bytes are read and dropped, not parsed, and then it is answered: most clients write a whole body before
                // they read, and would see a closed connection rather than this answer.
                String detail = "the body declares " + declared + " bytes; a single record's may have at most " + maxSingle
                        + " (a signed record is at most " + config.records().maxRecordBytes() + " bytes in canonical form)";
                refuseAfterBody(ctx, ProblemKind.RECORD_TOO_LARGE, detail, 0, false);
                return;
            }
            if (declared < 0 && ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)
                    && ctx.request().method() == HttpMethod.POST && SINGLE_RECORD_PATH.equals(ctx.request().path())) {
                // A chunked body has no length to check before it is read, and would be parsed on the event loop whatever its size.
                refuseAfterBody(ctx, ProblemKind.LENGTH_REQUIRED, "a single record is sent with its Content-Length (a chunked body is not taken here; "
                        + "HTTP clients send the length of a body they hold)", 0, false, maxSingle);
                return;
            }
            ctx.next();
        });
        // Runs only when no other route answered: the API's resources, health, OpenAPI and Swagger UI come first.
        router.route().order(Integer.MAX_VALUE).handler(ctx -> refuse(ctx, ProblemKind.NO_SUCH_PATH, "no resource at " + shortPath(ctx), false));
    }

    /** Answers at once, the body unread; with {@code close}, the connection closes after the answer. */
    private static void refuse(RoutingContext ctx, ProblemKind kind, String detail, boolean close) {
        answer(ctx, kind, detail, 0, close, close);
    }

    /**
     * Answers before any resource runs, once the request's body (if any) has been read and dropped: a client that
     * writes its whole body before it reads would otherwise see a closed connection instead of the answer. With
     * {@code retryAfterSeconds} > 0 the answer carries {@code Retry-After}; with {@code close}, the connection closes after it.
     */
    private static void refuseAfterBody(RoutingContext ctx, ProblemKind kind, String detail, int retryAfterSeconds, boolean close) {
        refuseAfterBody(ctx, kind, detail, retryAfterSeconds, close, Long.MAX_VALUE);
    }

    /** As above, but a body longer than {@code readAtMost} bytes is not read to its end: the answer goes at once, and the connection closes. */
    private static void refuseAfterBody(RoutingContext ctx, ProblemKind kind, String detail, int retryAfterSeconds, boolean close, long readAtMost) {
        long[] read = {0};
        ctx.request().handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > readAtMost && !ctx.response().ended()) {
                answer(ctx, kind, detail, retryAfterSeconds, true, true);
            }
        }).endHandler(end -> {
            if (!ctx.response().ended()) {
                answer(ctx, kind, detail, retryAfterSeconds, close, false);
            }
        }).resume();
    }

    /**
     * The problem document, with {@code Retry-After} when {@code retryAfterSeconds} > 0 and {@code Connection: close}
     * when {@code close}; with {@code closeNow}, the connection is closed right after the answer (its body left unread).
     */
    private static void answer(RoutingContext ctx, ProblemKind kind, String detail, int retryAfterSeconds, boolean close, boolean closeNow) {
        ctx.response().setStatusCode(kind.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (retryAfterSeconds > 0) {
            ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
        }
        if (close) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response().end(problemJson(ctx, kind, detail));
        if (closeNow) {
            ctx.request().connection().close();
        }
    }

    private static String problemJson(RoutingContext ctx, ProblemKind kind, String detail) {
        return "{\"type\":\"" + kind.type() + "\",\"title\":\"" + kind.title() + "\",\"status\":" + kind.status() + ",\"detail\":\"" + escape(detail)
                + "\",\"instance\":\"" + escape(shortPath(ctx)) + "\"}";
    }

    /** NUL is in no identifier of ours, and PostgreSQL text cannot hold it. */
    private static boolean containsNul(String uri) {
        for (int i = uri.indexOf('%'); i >= 0 && i + 2 < uri.length(); i = uri.indexOf('%', i + 1)) {
            if (uri.charAt(i + 1) == '0' && uri.charAt(i + 2) == '0') {
                return true;
            }
        }
        return uri.indexOf('\0') >= 0;
    }

    private static String shortPath(RoutingContext ctx) {
        String path = ctx.request().path();
        return path.length() > 200 ? path.substring(0, 200) + "…" : path;
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
