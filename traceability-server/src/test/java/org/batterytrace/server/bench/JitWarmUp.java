package org.batterytrace.server.bench;

/**
 * Warm-up until the JIT compilers are nearly idle, not for a fixed count. On 2 shared cores the one C2
 * thread works through a backlog for about 100 s of a loaded start (-XX:+LogCompilation: the HTTP
 * connection's message handler and the ingest precheck got their C2 code only 70 s in, after a warm-up of
 * 30,000 singles), and a timed phase that runs inside that backlog counts the compiler's core as per-request
 * CPU (0.25 of 1.2 ms per single request). A long-running server pays that once, so the benchmarks measure
 * after it, the way JMH warms up until the figures settle.
 */
final class JitWarmUp {
    /** Quiet: the compilers used at most this share of one core over a round. */
    static final double QUIET_SHARE = Double.parseDouble(System.getProperty("bench.jitQuietShare", "0.05"));
    /**
     * A cap, not a target: at 12 the single-write benchmark's warm-up ended with the JIT still at 5.6-6.5 % of a
     * core, and its timed singles then spent 0.029 ms of JIT CPU per request (9 %); run on, it was quiet after 14
     * rounds and the timed singles spent 0.008.
     */
    static final int MAX_ROUNDS = Integer.getInteger("bench.jitMaxRounds", 24);

    private JitWarmUp() {
    }

    /** A warm-up round's work. */
    interface Round<T> {
        void run(T input) throws Exception;
    }

    /**
     * Runs {@code round} (at least {@code minRounds} times) until a round's JIT CPU falls to {@link #QUIET_SHARE}
     * of its wall time, or {@link #MAX_ROUNDS}; prints each round's share and returns the rounds run. Each round's
     * input and set-up (signing its records, catching up the map) are done by {@code prepare}, given the round's
     * number from 0, outside the measured time: that work would dilute the share.
     */
    static <T> int untilQuiet(String what, int minRounds, java.util.function.IntFunction<T> prepare, Round<T> round) throws Exception {
        for (int n = 1; n <= MAX_ROUNDS; n++) {
            T input = prepare.apply(n - 1);
            CpuMeter meter = CpuMeter.start();
            long start = System.nanoTime();
            round.run(input);
            double wall = System.nanoTime() - start;
            double share = meter.elapsed().getOrDefault("jvm-jit", 0L) / wall;
            System.out.printf("[bench] warm-up %s round %d: JIT %.1f %% of a core over %.1f s%n", what, n, 100 * share, wall / 1e9);
            if (n >= minRounds && share <= QUIET_SHARE) {
                return n;
            }
        }
        System.out.printf("[bench] warm-up %s: the JIT still above %.0f %% of a core after %d rounds%n", what, 100 * QUIET_SHARE, MAX_ROUNDS);
        return MAX_ROUNDS;
    }
}
