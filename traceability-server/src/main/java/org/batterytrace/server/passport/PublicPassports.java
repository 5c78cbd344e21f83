package org.batterytrace.server.passport;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Public-tier passports as built, for as long as the server already lets shared caches keep them
 * ({@code trace.passport.public-max-age}, the {@code Cache-Control: max-age} of that tier): a QR-code scan
 * that reaches the server costs it what a CDN's copy costs, not a rebuild from the chain (reading and
 * parsing every record, merging, filtering by the attribute table). Answers to a token (higher tiers)
 * are never kept.
 * <p>
 * Freshness: a record logged by this instance drops, once committed, the entries of every battery whose
 * passport it changes ({@link #evict}: its chain, and the batteries it links to as part, parent, source or
 * successor), so readers of this instance see it at once; a record logged by another instance shows
 * within max-age, exactly as through a CDN. An answer built while an eviction happened is not kept: it may
 * have read the database before that commit. The version of the organization facts this instance holds is
 * part of the entry, so a change it knows of (the maker's contact data) is not served stale either.
 * <p>
 * Memory: at most {@code maxEntries} batteries, about 5 kB for each form kept (bytes, not the JSON tree).
 */
public final class PublicPassports {
    private record Entry(String pageUrl, byte[] bytes, long factsVersion, long expiresAt) {
    }

    /** By battery code, then by form (the JSON passport, the page in each language). */
    private final Map<String, Map<String, Entry>> entries = new ConcurrentHashMap<>();
    /** Raised by every eviction: a build that saw it move may hold data from before a commit. */
    private final AtomicLong evictions = new AtomicLong();
    private final long maxAgeNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    public PublicPassports(Duration maxAge, int maxEntries, LongSupplier nanoTime) {
        this.maxAgeNanos = maxAge.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    /** Whether anything is kept at all (a max-age of zero, or no room, keeps nothing). */
    public boolean enabled() {
        return maxAgeNanos > 0 && maxEntries > 0;
    }

    /**
     * The public passport of {@code code} at {@code pageUrl} in {@code form} (e.g. {@code json}, or the page
     * in a language): kept, when still fresh and built under the same facts version; else built by
     * {@code build} (which may throw, e.g. for an unknown code: nothing is kept then).
     */
    public byte[] get(String code, String form, String pageUrl, long factsVersion, Supplier<byte[]> build) {
        long now = nanoTime.getAsLong();
        Map<String, Entry> forms = enabled() ? entries.get(code) : null;
        Entry kept = forms == null ? null : forms.get(form);
        if (kept != null && kept.pageUrl().equals(pageUrl) && kept.factsVersion() == factsVersion && now - kept.expiresAt() < 0) {
            return kept.bytes();
        }
        long evictionsBefore = evictions.get();
        byte[] built = build.get();
        if (enabled() && evictions.get() == evictionsBefore) {
            if (entries.size() >= maxEntries) {
                entries.values().removeIf(byForm -> byForm.values().stream().allMatch(e -> now - e.expiresAt() >= 0));
                if (entries.size() >= maxEntries) {
                    entries.clear(); // rare: a full cache of fresh entries starts over rather than track recency
                }
            }
            entries.computeIfAbsent(code, c -> new ConcurrentHashMap<>()).put(form, new Entry(pageUrl, built, factsVersion, now + maxAgeNanos));
        }
        return built;
    }

    /** Drops the entries of these batteries (after a commit that changed their passports). */
    public void evict(Collection<String> codes) {
        if (codes.isEmpty()) {
            return;
        }
        evictions.incrementAndGet();
        codes.forEach(entries::remove);
    }

    /** Batteries with entries kept now (for tests). */
    public int size() {
        return entries.size();
    }

    /** Whether anything of {@code code} is kept now (for tests). */
    public boolean holds(String code) {
        return entries.containsKey(code);
    }
}
