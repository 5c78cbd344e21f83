package org.batterytrace.server.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the CPU of a benchmark phase went: this JVM's threads by kind (the benchmark's clients and the
 * server share it), its JIT compiler and garbage collector threads ({@code jvm-jit}, {@code jvm-gc}), the
 * rest of the JVM's CPU ({@code jvm-other}: threads that ended, the VM's other threads) and the PostgreSQL
 * processes (the last three from /proc; Linux only, else the JIT and GC count as {@code jvm-other} and
 * PostgreSQL is left out).
 */
final class CpuMeter {
    /** CPU of client threads that have ended: the JVM no longer lists them, so they report it here ({@link #clientThreadEnds}). */
    private static final java.util.concurrent.atomic.LongAdder ENDED_CLIENTS = new java.util.concurrent.atomic.LongAdder();
    private final Map<String, Long> start;

    private CpuMeter(Map<String, Long> start) {
        this.start = start;
    }

    static CpuMeter start() {
        return new CpuMeter(sample());
    }

    /** Milliseconds of CPU per kind since {@link #start()}, divided by {@code work} (per request, per record). */
    String perUnit(double work, String unit) {
        return format(elapsed(), work, unit);
    }

    /** Nanoseconds of CPU per kind since {@link #start()}. */
    Map<String, Long> elapsed() {
        Map<String, Long> spent = new TreeMap<>();
        sample().forEach((kind, nanos) -> spent.put(kind, nanos - start.getOrDefault(kind, 0L)));
        return spent;
    }

    /**
     * Called by a client thread as its last act: its CPU then counts as the client's, not as the JVM's
     * unlisted CPU, once it has ended (the caller waits for that before it measures).
     */
    static void clientThreadEnds() {
        ENDED_CLIENTS.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
    }

    /** Adds {@code more} to {@code total}, kind by kind. */
    static void add(Map<String, Long> total, Map<String, Long> more) {
        more.forEach((kind, nanos) -> total.merge(kind, nanos, Long::sum));
    }

    static String format(Map<String, Long> spent, double work, String unit) {
        StringBuilder out = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Long> e : spent.entrySet()) {
            double ms = e.getValue() / 1e6 / work;
            total += ms;
            if (ms >= 0.005) {
                out.append(String.format(" %s %.3f", e.getKey(), ms));
            }
        }
        return String.format("%.3f ms of CPU per %s:%s", total, unit, out);
    }

    private static Map<String, Long> sample() {
        Map<String, Long> nanos = new TreeMap<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                nanos.merge(kind(info.getThreadName()), cpu, Long::sum);
            }
        }
        nanos.merge("client", ENDED_CLIENTS.sum(), Long::sum);
        long attributed = nanos.values().stream().mapToLong(Long::longValue).sum();
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            // Garbage collection and JIT compilation run in threads the JVM does not list (read from /proc by their
            // native names), and ended threads are gone (client threads report their CPU as they end).
            Map<String, Long> hidden = jvmThreadNanos();
            nanos.putAll(hidden);
            long listed = attributed + hidden.values().stream().mapToLong(Long::longValue).sum();
            nanos.put("jvm-other", os.getProcessCpuTime() - listed);
        }
        nanos.putAll(postgresNanos());
        return nanos;
    }

    private static String kind(String thread) {
        if (thread.startsWith("executor-thread")) {
            return "server-requests";
        }
        if (thread.startsWith("vert.x-eventloop")) {
            return "server-http";
        }
        if (thread.startsWith("log-group-commit")) {
            return "server-writer";
        }
        if (thread.startsWith("checkpoint") || thread.startsWith("map-store") || thread.contains("cosign")) {
            return "server-checkpoints";
        }
        if (thread.startsWith("HttpClient") || thread.startsWith("pool-") || thread.startsWith("client-")) {
            return "client";
        }
        if (thread.startsWith("ForkJoinPool")) {
            return "parallel-streams";
        }
        return "other";
    }

    /**
     * CPU of the JVM's own threads that it does not list to Java: the JIT compilers ({@code jvm-jit}) and the
     * garbage collector ({@code jvm-gc}), by their names in /proc/self/task (Linux only, else none).
     */
    private static Map<String, Long> jvmThreadNanos() {
        Map<String, Long> nanos = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String kind = name.contains("CompilerThre") ? "jvm-jit" : name.startsWith("GC Thread") || name.startsWith("G1 ") ? "jvm-gc" : null;
                    if (kind != null) {
                        nanos.merge(kind, cpuNanos(stat), Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return nanos;
    }

    /**
     * User and system time of every process named postgres, by kind: the backends serving connections
     * ({@code postgres}), autovacuum ({@code postgres-autovacuum}), the other background processes —
     * checkpointer, WAL writer, background writer, I/O workers — ({@code postgres-background}), and
     * processes that ended, whose time the postmaster collected ({@code postgres-ended}: mostly autovacuum
     * workers, which live for one table).
     */
    private static Map<String, Long> postgresNanos() {
        Map<String, Long> nanos = new TreeMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    if (!stat.contains(" (postgres) ")) {
                        continue;
                    }
                    String title = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                    String kind = title.contains("autovacuum") ? "postgres-autovacuum"
                            : title.contains("checkpointer") || title.contains("walwriter") || title.contains("background writer")
                                    || title.contains("io worker") || title.contains("launcher") ? "postgres-background" : "postgres";
                    nanos.merge(kind, cpuNanos(stat), Long::sum);
                    nanos.merge("postgres-ended", childrenNanos(stat), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return nanos;
    }

    /** User and system time of a process's ended, waited-for children (fields 16 and 17: cutime, cstime). */
    private static long childrenNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10_000_000L;
    }

    /** User and system time in a /proc stat line (fields 14 and 15: utime, stime, in ticks of USER_HZ, 100 on Linux). */
    private static long cpuNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }
}
