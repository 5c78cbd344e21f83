package org.batterytrace.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import org.batterytrace.record.Fields;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;

/**
 * A monitor's view of one log ({@code trace-monitor/1}): the log's verifier key, the newest checkpoint
 * it verified (every later one must be consistent with it), and the alarm it raised, if any. An alarm
 * is kept with the checkpoint that caused it, as evidence, until someone deletes the file.
 */
public record MonitorState(String logKey, String checkpoint, Alarm alarm) {
    public static final String FORMAT = "trace-monitor/1";

    /** What the monitor caught, when, and the signed checkpoint that showed it (null if none verified). */
    public record Alarm(Monitor.AlarmKind kind, String detail, String checkpoint, Instant at) {
    }

    public static MonitorState fresh(String logKey) {
        return new MonitorState(logKey, null, null);
    }

    public MonitorState seen(String note) {
        return new MonitorState(logKey, note, alarm);
    }

    public MonitorState alarmed(Alarm raised) {
        return new MonitorState(logKey, checkpoint, raised);
    }

    public Optional<Alarm> raised() {
        return Optional.ofNullable(alarm);
    }

    public static Optional<MonitorState> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode node = Json.parse(Files.readAllBytes(file));
        if (node == null || !node.isObject() || !FORMAT.equals(node.path("format").asText())) {
            throw new RecordFormatException("monitor state must be a " + FORMAT + " JSON object");
        }
        String checkpoint = node.hasNonNull("checkpoint") ? Fields.text(node, "checkpoint", "state") : null;
        Alarm alarm = null;
        if (node.hasNonNull("alarm")) {
            JsonNode a = node.get("alarm");
            Monitor.AlarmKind kind;
            try {
                kind = Monitor.AlarmKind.valueOf(Fields.text(a, "kind", "state.alarm"));
            } catch (IllegalArgumentException e) {
                throw new RecordFormatException("state.alarm.kind is not a known alarm");
            }
            alarm = new Alarm(kind, Fields.text(a, "detail", "state.alarm"), a.hasNonNull("checkpoint") ? a.get("checkpoint").asText() : null,
                    Instant.parse(Fields.text(a, "at", "state.alarm")));
        }
        return Optional.of(new MonitorState(Fields.text(node, "logKey", "state"), checkpoint, alarm));
    }

    /** Writes the state to a temporary file and moves it into place, so a crash never leaves half a file. */
    public void write(Path file) throws IOException {
        ObjectNode node = Json.object();
        node.put("format", FORMAT);
        node.put("logKey", logKey);
        node.put("checkpoint", checkpoint);
        if (alarm != null) {
            ObjectNode a = node.putObject("alarm");
            a.put("kind", alarm.kind().name());
            a.put("detail", alarm.detail());
            a.put("checkpoint", alarm.checkpoint());
            a.put("at", alarm.at().toString());
        }
        Path absolute = file.toAbsolutePath();
        Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.write(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
