package org.batterytrace.server.cache;

import java.time.Duration;

/**
 * How long caches may keep each kind of answer (RFC 9111). {@link ConditionalGet} tags every cacheable
 * answer, so even those that must be revalidated cost a cache only a 304.
 */
public final class CachePolicy {
    /** The same URL always gives the same content: proofs for a fixed tree size, full tiles. */
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** Public but changing with the log (the checkpoint, proofs against the latest tree): revalidate every time. */
    public static final String REVALIDATE = "public, no-cache";
    /** An answer for one token's holder: the browser may keep it and revalidate; a shared cache must not. */
    public static final String PRIVATE = "private, no-cache";

    private CachePolicy() {
    }

    /** Public documents that change as records arrive (a passport's public tier, a battery's summary): fresh for {@code maxAge}. */
    public static String publicFor(Duration maxAge) {
        return "public, max-age=" + maxAge.toSeconds();
    }

    /**
     * A public document that changes as records arrive (a passport, a battery's summary): shared by
     * caches for {@code maxAge} when the caller sent no token. A document that names the server's own
     * address taken from the request's Host header ({@code hostDerived}: no configured base URL) stays
     * private, so that a forged Host cannot be served to everyone from a shared cache (cache poisoning).
     */
    public static String publicDocument(boolean anonymous, boolean hostDerived, Duration maxAge) {
        return anonymous && !hostDerived ? publicFor(maxAge) : PRIVATE;
    }

    /** Immutable when the request pins what it asks about (a tree size), else revalidated. */
    public static String pinned(boolean pinned) {
        return pinned ? IMMUTABLE : REVALIDATE;
    }
}
