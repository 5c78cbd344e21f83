package org.batterytrace.audit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.NoteKey;
import org.batterytrace.monitor.HttpLogClient;
import org.batterytrace.monitor.LogClient;
import org.batterytrace.monitor.Monitor;
import org.batterytrace.monitor.MonitorState;
import org.batterytrace.record.RecordFormatException;

/**
 * {@code monitor --log PREFIX --log-key KEY --state FILE [--entries API [--token TOKEN]] [--witness KEY]...
 * [--every DURATION]}: one poll of a tiled log (or one every DURATION until an alarm), keeping the
 * monitor's view in FILE; with {@code --entries} it also replays the entries and recomputes the map root.
 * Exit status 0 = consistent, 1 = alarm (fork, rollback, bad checkpoint, bad cosignature, bad tiles or
 * entries, a map root the entries do not give; the alarm stays in FILE), 2 = usage or input error, or
 * the log could not be read.
 */
final class MonitorCommand {
    static final String USAGE = """
            usage: monitor --log PREFIX --log-key <verifier key | @file> --state FILE [--entries API [--token <token | @file>]]
                           [--witness <key | @file>]... [--every DURATION]
              --log       the log's tile prefix (c2sp.org/tlog-tiles), e.g. https://trace.example.cn/tlog
              --log-key   the log's pinned note verifier key
              --state     the monitor's view, kept between runs (created on first use)
              --entries   the API base, e.g. https://trace.example.cn/api/v1: replay GET /log/entries and recompute
                          the checkpoint's trace-map/1 root (needs a token that may read every chain)
              --token     bearer token for --entries
              --witness   a witness cosigner key (type 0x04); its cosignatures are checked and shown
              --every     poll repeatedly at this interval (e.g. 30s, 5m) until an alarm; entries are then read once
            exit status: 0 consistent, 1 ALARM (kept in the state file until deleted), 2 usage or input error, or log unreachable""";

    private MonitorCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        String log = null;
        String logKey = null;
        String state = null;
        String entries = null;
        String token = null;
        Duration every = null;
        List<String> witnesses = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--log" -> log = value;
                case "--log-key" -> logKey = value;
                case "--state" -> state = value;
                case "--entries", "--token" -> {
                    if (value == null) {
                        err.println(USAGE);
                        return 2;
                    }
                    if (args[i].equals("--entries")) {
                        entries = value;
                    } else {
                        token = value;
                    }
                }
                case "--witness" -> witnesses.add(value);
                case "--every" -> {
                    every = value == null ? null : parseDuration(value);
                    if (every == null) {
                        err.println("--every needs a duration such as 500ms, 30s, 5m or 1h");
                        return 2;
                    }
                }
                default -> {
                    err.println("unexpected argument " + args[i]);
                    err.println(USAGE);
                    return 2;
                }
            }
            i++;
        }
        if (log == null || logKey == null || state == null || witnesses.contains(null) || (token != null && entries == null)) {
            err.println(USAGE);
            return 2;
        }
        Monitor monitor;
        MonitorState view;
        Path file = Path.of(state);
        try {
            NoteKey key = NoteKey.parse(AuditCli.keyArgument(logKey));
            List<CosignerKey> pinned = new ArrayList<>();
            for (String w : witnesses) {
                pinned.add(CosignerKey.parse(AuditCli.keyArgument(w)));
            }
            LogClient client = new HttpLogClient(log, entries, token == null ? null : AuditCli.keyArgument(token));
            monitor = new Monitor(key, pinned, client, clock);
            view = MonitorState.read(file).orElse(MonitorState.fresh(key.verifierKey()));
            if (!view.logKey().equals(key.verifierKey())) {
                err.println("the state file " + file + " follows another log (" + view.logKey() + ")");
                return 2;
            }
        } catch (IOException e) {
            err.println("cannot read input: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("invalid input: " + e.getMessage());
            return 2;
        }
        while (true) {
            try {
                Monitor.Result result = monitor.poll(view);
                view = result.state();
                view.write(file);
                result.lines().forEach(out::println);
                if (!result.ok()) {
                    out.println("RESULT: ALARM " + result.alarm() + " (evidence kept in " + file + ")");
                    return 1;
                }
                out.println("RESULT: CONSISTENT");
            } catch (IOException e) {
                err.println("log unreachable: " + e.getMessage());
                if (every == null) {
                    return 2;
                }
            } catch (RecordFormatException e) {
                err.println("invalid state file: " + e.getMessage());
                return 2;
            }
            if (every == null) {
                return 0;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    static Duration parseDuration(String text) {
        var m = java.util.regex.Pattern.compile("([1-9][0-9]{0,8})(ms|s|m|h)").matcher(text);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
