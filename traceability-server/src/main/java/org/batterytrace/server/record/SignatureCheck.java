package org.batterytrace.server.record;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignatureRules;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.facts.Facts;
import org.batterytrace.server.facts.KeyFacts;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

/**
 * Checks record signatures the way the offline verifier will: the key named by keyId (no fallback),
 * of the signature's algorithm, valid at the record's time, owned by a party to the record.
 */
@ApplicationScoped
public class SignatureCheck {
    /** Records per verification task of a bulk request. */
    private static final int CHUNK = 64;

    @Inject
    TraceConfig config;

    private final AtomicInteger threadNumber = new AtomicInteger();
    /** Where bulk signatures verify: null = on all cores (the common fork-join pool, with the request's thread). */
    private volatile ExecutorService bulkVerifiers;

    @PostConstruct
    void start() {
        bulkThreads(config.records().verifyThreads());
    }

    @PreDestroy
    void stop() {
        bulkThreads(0);
    }

    /**
     * Bulk signatures verify on all cores ({@code 0}) or on a pool of {@code threads} that all bulk requests
     * share: set at start from {@code trace.records.verify-threads}, and between requests by same-run benchmarks.
     */
    public synchronized void bulkThreads(int threads) {
        ExecutorService old = bulkVerifiers;
        bulkVerifiers = threads <= 0 ? null : Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "record-verify-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        if (old != null) {
            old.shutdown(); // tasks already queued still run
        }
    }

    /** The registered keys among those the records name, with their validity as of {@code facts}. */
    public Map<String, KeyFacts> keysFor(Collection<SignedRecord> records, Facts facts) {
        Set<String> ids = new HashSet<>();
        for (SignedRecord record : records) {
            for (RecordSignature signature : record.signatures()) {
                ids.add(signature.keyId());
            }
        }
        return facts.keys(ids);
    }

    /**
     * Verifies each record; returns one failure (or null) per record. A small request verifies on its own
     * thread; a bulk request's records verify in chunks, on all cores or on the shared bulk pool
     * ({@code trace.records.verify-threads}). Signature checks dominate ingest cost and need no database;
     * a pool smaller than the cores keeps cores free for the log writer, the database and single writes.
     */
    public ProblemException[] check(List<SignedRecord> records, List<String> receivers, Map<String, KeyFacts> keys) {
        ProblemException[] failures = new ProblemException[records.size()];
        int chunks = (records.size() + CHUNK - 1) / CHUNK;
        ExecutorService verifiers = bulkVerifiers;
        if (chunks == 1 || verifiers == null) {
            IntStream range = IntStream.range(0, chunks);
            (chunks == 1 ? range : range.parallel()).forEach(c -> verify(records, receivers, keys, failures, c * CHUNK, Math.min(records.size(), (c + 1) * CHUNK)));
            return failures;
        }
        List<Future<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = c * CHUNK;
            tasks.add(verifiers.submit(() -> verify(records, receivers, keys, failures, from, Math.min(records.size(), from + CHUNK))));
        }
        try {
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (InterruptedException e) {
            tasks.forEach(t -> t.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying signatures", e);
        } catch (ExecutionException e) {
            tasks.forEach(t -> t.cancel(true));
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return failures; // Future.get orders the tasks' writes before these reads
    }

    private void verify(List<SignedRecord> records, List<String> receivers, Map<String, KeyFacts> keys, ProblemException[] failures, int from, int to) {
        for (int i = from; i < to; i++) {
            failures[i] = check(records.get(i), receivers.get(i), keys);
            records.get(i).hash(); // canonical form and chain hash now, off the log lock
        }
    }

    /** The shared signature rules ({@link SignatureRules}) for a record not logged yet; the first violation, or null. */
    public ProblemException check(SignedRecord signed, String receiver, Map<String, KeyFacts> keys) {
        List<SignatureRules.Finding> findings = SignatureRules.check(signed, receiver, SignatureRules.NOT_LOGGED, id -> {
            KeyFacts key = keys.get(id);
            return key == null ? null : new RegisteredKey(key);
        });
        if (findings.isEmpty()) {
            return null;
        }
        SignatureRules.Finding first = findings.get(0);
        return new ProblemException(KINDS.get(first.violation()), first.message());
    }

    private static final Map<SignatureRules.Violation, ProblemKind> KINDS = Map.of(
            SignatureRules.Violation.UNKNOWN_KEY, ProblemKind.UNKNOWN_KEY,
            SignatureRules.Violation.ALGORITHM_MISMATCH, ProblemKind.ALGORITHM_MISMATCH,
            SignatureRules.Violation.SIGNER_NOT_PARTY, ProblemKind.SIGNER_NOT_PARTY,
            SignatureRules.Violation.SIGNED_AFTER_REVOCATION, ProblemKind.KEY_REVOKED,
            SignatureRules.Violation.KEY_NOT_VALID_AT_TIME, ProblemKind.KEY_NOT_VALID,
            SignatureRules.Violation.SIGNATURE_INVALID, ProblemKind.SIGNATURE_INVALID,
            SignatureRules.Violation.DUPLICATE_SIGNER, ProblemKind.DUPLICATE_SIGNER,
            SignatureRules.Violation.MISSING_SIGNATURE, ProblemKind.MISSING_SIGNATURE);

    /** A key as the database holds it: any logged revocation precedes a record being ingested now. */
    private record RegisteredKey(KeyFacts key) implements SignatureRules.Key {
        @Override
        public SignatureAlgorithm algorithm() {
            return key.key().algorithm();
        }

        @Override
        public String owner() {
            return key.orgId();
        }

        @Override
        public boolean revokedBefore(long logIndex) {
            return key.revokedAt() != null;
        }

        @Override
        public boolean validAt(Instant time) {
            return key.validAt(time);
        }

        @Override
        public String validity() {
            return "valid from " + key.validFrom() + (key.revokedAt() == null ? "" : ", revoked " + key.revokedAt());
        }

        @Override
        public boolean verify(byte[] message, byte[] signature) {
            return key.key().verify(message, signature);
        }
    }
}
