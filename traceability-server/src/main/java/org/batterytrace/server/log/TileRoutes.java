package org.batterytrace.server.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.batterytrace.log.Tile;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.problem.Problem;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.jboss.logging.Logger;

/**
 * Serves the log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles) under {@code trace.tiles.prefix}:
 * {@code <prefix>/checkpoint} and the hash tiles {@code <prefix>/tile/<L>/<N>[.p/<W>]}, public and
 * without a token, so anyone can check that the log only grows without seeing a record. Entry bundles
 * ({@code <prefix>/tile/entries/…}) are not served: record contents stay behind the API's read policy
 * ({@code GET /api/v1/log/entries}, which gives everyone the leaf hashes and readers the records). Plain Vert.x routes, because the prefix is configurable and the
 * responses are bytes with cache headers, not JSON.
 */
@ApplicationScoped
public class TileRoutes {
    private static final Logger LOG = Logger.getLogger(TileRoutes.class);
    /** Full tiles never change: a year, and "immutable" so caches do not even revalidate. */
    static final String FULL_TILE_CACHE = "public, max-age=31536000, immutable";

    @Inject
    TraceConfig config;
    @Inject
    TileService tiles;

    void install(@Observes Router router) {
        String prefix = prefix();
        router.get(prefix + "/checkpoint").blockingHandler(this::checkpoint, false);
        router.get(prefix + "/tile/*").blockingHandler(this::tile, false);
    }

    String prefix() {
        String prefix = config.tiles().prefix().trim();
        prefix = prefix.startsWith("/") ? prefix : "/" + prefix;
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    private void checkpoint(RoutingContext ctx) {
        try {
            String note = tiles.checkpoint();
            if (note == null) {
                problem(ctx, new ProblemException(ProblemKind.NO_CHECKPOINT, "the log has not published a checkpoint yet"));
                return;
            }
            // Mutable: caches must revalidate every time (tlog-tiles: no caching beyond a few seconds).
            send(ctx, note.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8", "no-cache");
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    private void tile(RoutingContext ctx) {
        String path = ctx.request().path().substring(prefix().length() + 1);
        try {
            if (path.startsWith("tile/entries/")) {
                problem(ctx, new ProblemException(ProblemKind.ENTRIES_NOT_PUBLIC, "entry bundles are not served: record contents follow the read policy at /api/v1/log/entries (leaf hashes for everyone, records for their readers)"));
                return;
            }
            Tile tile;
            try {
                tile = Tile.parse(path);
            } catch (IllegalArgumentException e) {
                problem(ctx, new ProblemException(ProblemKind.NO_SUCH_TILE, e.getMessage()));
                return;
            }
            byte[] bytes = tiles.tile(tile);
            if (bytes == null) {
                problem(ctx, new ProblemException(ProblemKind.NO_SUCH_TILE, "the tree of the latest checkpoint has no tile " + tile.path()));
                return;
            }
            send(ctx, bytes, "application/octet-stream",
                    tile.isFull() ? FULL_TILE_CACHE : "public, max-age=" + config.tiles().partialMaxAge().toSeconds());
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    /** Sends with a content ETag, answering 304 to a matching If-None-Match. */
    private static void send(RoutingContext ctx, byte[] body, String type, String cacheControl) {
        String etag = "\"" + Hashes.hex(Hashes.sha256(body)).substring(0, 32) + "\"";
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, cacheControl).putHeader(HttpHeaders.ETAG, etag);
        String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("W/" + etag))) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type).end(io.vertx.core.buffer.Buffer.buffer(body));
    }

    private static void problem(RoutingContext ctx, ProblemException e) {
        try {
            byte[] body = Json.MAPPER.writeValueAsBytes(e.toProblem(ctx.request().path()));
            ctx.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(io.vertx.core.buffer.Buffer.buffer(body));
        } catch (JsonProcessingException impossible) {
            ctx.fail(500, impossible);
        }
    }

    private static void fail(RoutingContext ctx, RuntimeException e) {
        LOG.errorf(e, "serving %s failed", ctx.request().path());
        problem(ctx, new ProblemException(ProblemKind.INTERNAL, "the server failed to handle this request; it has been logged", null));
    }
}
