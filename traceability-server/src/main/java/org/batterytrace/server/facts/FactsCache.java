package org.batterytrace.server.facts;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.server.ScheduledWork;
import org.batterytrace.server.key.OrgKeyEntity;
import org.batterytrace.server.log.TransactionEnd;
import org.batterytrace.server.organization.OrganizationEntity;
import org.jboss.logging.Logger;

/**
 * The facts a write is checked against before the log lock — API tokens, keys, organizations and filed
 * manufacturer codes — kept in memory, so a single-record request needs no database round trip before
 * it joins a group commit.
 * <p>
 * Every change to those facts, on any instance, increments the {@code write_facts} counter in
 * {@code log_state} in its own transaction, and the log lock reads that counter. Answers from memory are
 * stamped with the counter value they hold at; a log transaction that finds the counter moved since
 * checks that request again with {@link #fresh} answers under the lock (RecordIngest). So a write is
 * judged by exactly the facts at its place in the log, whatever the cache held: a key revoked or a token
 * withdrawn a moment before is refused, as the offline verifier would. Reads take the cached answer;
 * another instance's change reaches this one at the next refresh ({@code trace.facts.refresh}, 1 s),
 * its own at once after commit.
 */
@ApplicationScoped
public class FactsCache {
    private static final Logger LOG = Logger.getLogger(FactsCache.class);
    /** A map that grows past this is emptied: misses cost one query, unbounded growth costs the heap. */
    static final int MAX_ENTRIES = 100_000;

    @Inject
    EntityManager em;
    @Inject
    TransactionSynchronizationRegistry transactions;

    private final ScheduledWork refreshes = new ScheduledWork();

    /** What is known at one counter value; replaced whole when the counter moves. */
    private static final class Snapshot {
        final long version;
        final Map<String, String> tokenOwners = new ConcurrentHashMap<>();
        final Map<String, KeyFacts> keys = new ConcurrentHashMap<>();
        final Map<String, OrganizationFacts> organizations = new ConcurrentHashMap<>();
        final Map<String, Optional<String>> codeOwners = new ConcurrentHashMap<>();

        Snapshot(long version) {
            this.version = version;
        }
    }

    private volatile Snapshot current = new Snapshot(-1);

    /** Answers from memory (misses read from the database), stamped with the counter value they hold at. */
    public Facts cached() {
        return new Cached(current, true);
    }

    /**
     * Answers from memory only, for a thread that must not wait for the database (an HTTP event loop): a miss
     * throws {@link NotInMemory}, and the caller goes on on a worker thread with {@link #cached}.
     */
    public Facts inMemory() {
        return new Cached(current, false);
    }

    /** A fact that only the database can answer was asked for on a thread that must not wait for it ({@link #inMemory}). */
    public static final class NotInMemory extends RuntimeException {
        /** Control flow, not an error: one shared instance, without a stack trace. */
        public static final NotInMemory INSTANCE = new NotInMemory();

        private NotInMemory() {
            super("a fact is not in memory", null, false, false);
        }
    }

    /** Answers read from the database now; under the log lock they hold exactly at {@code version}. */
    public Facts fresh(long version) {
        return new Fresh(version);
    }

    /**
     * Marks, in the current transaction, that it changes a fact: other transactions that read facts before
     * it commits check again under the log lock, and this instance forgets what it cached once it commits.
     */
    public void changed() {
        em.createNativeQuery("UPDATE log_state SET counter = counter + 1 WHERE name = 'write_facts'").executeUpdate();
        long version = counter(); // the row is locked by the update: this is this transaction's value
        TransactionEnd.then(transactions, () -> observe(version), () -> {
        });
    }

    /** Learns the counter's value (from a log transaction's lock or a refresh): a newer one empties the cache. */
    public synchronized void observe(long version) {
        if (version > current.version) {
            current = new Snapshot(version);
        }
    }

    void start(@Observes StartupEvent event) {
        observe(QuarkusTransaction.joiningExisting().call(this::counter));
    }

    /** Another instance's changes reach this one at the latest here; a stop waits for a refresh under way ({@link ScheduledWork}). */
    @Scheduled(every = "${trace.facts.refresh:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        refreshes.run(() -> {
            try {
                observe(QuarkusTransaction.joiningExisting().call(this::counter));
            } catch (RuntimeException e) {
                // The database is down: writes wait for it anyway, and the next refresh tries again.
                LOG.debugf("facts counter not read: %s", e);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        refreshes.stop();
    }

    private long counter() {
        return ((Number) em.createNativeQuery("SELECT counter FROM log_state WHERE name = 'write_facts'").getSingleResult()).longValue();
    }

    private static <V> void put(Map<String, V> map, String key, V value) {
        if (map.size() >= MAX_ENTRIES) {
            map.clear();
        }
        map.put(key, value);
    }

    /** Memory first; misses are read in one query per kind, and kept if the counter has not moved past this view. */
    private final class Cached implements Facts {
        private final Snapshot snapshot;
        private final boolean mayLoad;

        Cached(Snapshot snapshot, boolean mayLoad) {
            this.snapshot = snapshot;
            this.mayLoad = mayLoad;
        }

        @Override
        public long version() {
            return snapshot.version;
        }

        @Override
        public Optional<String> tokenOwner(String tokenHash) {
            String owner = snapshot.tokenOwners.get(tokenHash);
            if (owner != null) {
                return Optional.of(owner);
            }
            // Unknown tokens are not remembered: a caller trying random tokens must not fill the heap.
            Loaded<Optional<String>> found = load(fresh -> fresh.tokenOwner(tokenHash));
            found.facts().ifPresent(o -> keep(found, s -> put(s.tokenOwners, tokenHash, o)));
            return found.facts();
        }

        @Override
        public Map<String, KeyFacts> keys(Set<String> keyIds) {
            return lookup(keyIds, snapshot.keys, Fresh::keys, (s, found) -> found.forEach((id, k) -> put(s.keys, id, k)));
        }

        @Override
        public Map<String, OrganizationFacts> organizations(Set<String> orgIds) {
            return lookup(orgIds, snapshot.organizations, Fresh::organizations, (s, found) -> found.forEach((id, o) -> put(s.organizations, id, o)));
        }

        @Override
        public Map<String, String> codeOwners(Set<String> codes) {
            Map<String, String> owners = new HashMap<>();
            Set<String> missing = new HashSet<>();
            for (String code : codes) {
                Optional<String> owner = snapshot.codeOwners.get(code);
                if (owner == null) {
                    missing.add(code);
                } else {
                    owner.ifPresent(o -> owners.put(code, o));
                }
            }
            if (!missing.isEmpty()) {
                Loaded<Map<String, String>> found = load(fresh -> fresh.codeOwners(missing));
                owners.putAll(found.facts());
                // A code nobody filed is remembered too: codes are three characters, and the rule asks for every record.
                keep(found, s -> missing.forEach(code -> put(s.codeOwners, code, Optional.ofNullable(found.facts().get(code)))));
            }
            return owners;
        }

        private <V> Map<String, V> lookup(Set<String> ids, Map<String, V> memory, BiFunction<Fresh, Set<String>, Map<String, V>> query,
                BiConsumer<Snapshot, Map<String, V>> store) {
            Map<String, V> answers = new HashMap<>();
            Set<String> missing = new HashSet<>();
            for (String id : ids) {
                V value = memory.get(id);
                if (value == null) {
                    missing.add(id);
                } else {
                    answers.put(id, value);
                }
            }
            if (!missing.isEmpty()) {
                Loaded<Map<String, V>> found = load(fresh -> query.apply(fresh, missing));
                answers.putAll(found.facts());
                keep(found, s -> store.accept(s, found.facts()));
            }
            return answers;
        }

        /** Reads the counter, then the facts: what is read is at least as new as the counter value it is kept under. */
        private <T> Loaded<T> load(Function<Fresh, T> query) {
            if (!mayLoad) {
                throw NotInMemory.INSTANCE;
            }
            return QuarkusTransaction.joiningExisting().call(() -> {
                long version = counter();
                return new Loaded<>(version, query.apply(new Fresh(version)));
            });
        }

        /** Keeps what was loaded in the current snapshot if that is the snapshot of the counter value it was read at. */
        private void keep(Loaded<?> loaded, Consumer<Snapshot> store) {
            observe(loaded.version());
            Snapshot now = current;
            if (now.version == loaded.version()) {
                store.accept(now);
            }
        }
    }

    private record Loaded<T>(long version, T facts) {
    }

    /** Straight from the database. */
    private static final class Fresh implements Facts {
        private final long version;

        Fresh(long version) {
            this.version = version;
        }

        @Override
        public long version() {
            return version;
        }

        private static EntityManager em() {
            return Panache.getEntityManager();
        }

        // SQL rather than HQL: these run on every instance's first request after a start, and the first HQL parse
        // costs about a second of a loaded core (the query language's parser warming up).
        @Override
        public Optional<String> tokenOwner(String tokenHash) {
            List<?> owners = em().createNativeQuery("SELECT org_id FROM api_token WHERE token_hash = ?1 AND revoked_at IS NULL").setParameter(1, tokenHash)
                    .setMaxResults(1).getResultList();
            return owners.stream().findFirst().map(Object::toString);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, KeyFacts> keys(Set<String> keyIds) {
            Map<String, KeyFacts> keys = new HashMap<>();
            List<String> all = new ArrayList<>(keyIds);
            for (int from = 0; from < all.size(); from += 500) {
                List<OrgKeyEntity> rows = em().createNativeQuery("SELECT * FROM org_key WHERE key_id IN (:ids)", OrgKeyEntity.class)
                        .setParameter("ids", all.subList(from, Math.min(all.size(), from + 500))).getResultList();
                rows.forEach(k -> keys.put(k.keyId, KeyFacts.of(k)));
            }
            return keys;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, OrganizationFacts> organizations(Set<String> orgIds) {
            if (orgIds.isEmpty()) {
                return Map.of();
            }
            Map<String, Set<String>> filed = new HashMap<>();
            codes("org_id", orgIds).forEach((code, org) -> filed.computeIfAbsent(org, o -> new HashSet<>()).add(code));
            Map<String, OrganizationFacts> organizations = new HashMap<>();
            List<OrganizationEntity> rows = em().createNativeQuery("SELECT * FROM organization WHERE id IN (:ids)", OrganizationEntity.class)
                    .setParameter("ids", orgIds).getResultList();
            rows.forEach(o -> organizations.put(o.id, o.facts(filed.getOrDefault(o.id, Set.of()))));
            return organizations;
        }

        @Override
        public Map<String, String> codeOwners(Set<String> codes) {
            return codes.isEmpty() ? Map.of() : codes("code", codes);
        }

        /** Filed manufacturer codes and their organizations, where {@code column} is one of {@code values}. */
        @SuppressWarnings("unchecked")
        private Map<String, String> codes(String column, Set<String> values) {
            Map<String, String> owners = new HashMap<>();
            List<Object[]> rows = em().createNativeQuery("SELECT code, org_id FROM manufacturer_code WHERE " + column + " IN (:values)").setParameter("values", values)
                    .getResultList();
            rows.forEach(row -> owners.put(row[0].toString().trim(), row[1].toString().trim()));
            return owners;
        }
    }
}
