package org.batterytrace.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.batterytrace.log.Note;
import org.batterytrace.log.Tile;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.SignedRecord;

/**
 * Reads a tiled log over HTTP with the JDK client; bodies are capped before they are read in full.
 * With an entries API ({@code https://host/api/v1}) it also reads {@code GET /log/entries}, with a bearer
 * token when one is given.
 */
public final class HttpLogClient implements LogClient {
    /** Per request: a tile is 8 KiB, a checkpoint a few hundred bytes. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A page of 1,000 entries, each a signed record of at most 64 KiB (the server's record limit). */
    static final int MAX_ENTRIES_BYTES = 80 * 1024 * 1024;

    private final String prefix;
    private final String api;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();

    /** {@code prefix} is the log's tile prefix, e.g. {@code https://trace.example.cn/tlog}. */
    public HttpLogClient(String prefix) {
        this(prefix, null, null);
    }

    /**
     * Also reads entries from {@code api} (e.g. {@code https://trace.example.cn/api/v1}, null for none),
     * presenting {@code token} (null for none).
     */
    public HttpLogClient(String prefix, String api, String token) {
        this.prefix = stripSlash(prefix);
        this.api = api == null ? null : stripSlash(api);
        this.token = token;
        URI.create(this.prefix);
        if (this.api != null) {
            URI.create(this.api);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String checkpoint() throws IOException {
        return new String(get(prefix + "/checkpoint", Note.MAX_CHARS * 3, false), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tile(Tile tile) throws IOException {
        return get(prefix + "/" + tile.path(), tile.byteLength(), false);
    }

    /** Entries whose contents the token may not read come as leaf hashes only: then nothing can be replayed. */
    @Override
    public Optional<List<SignedRecord>> entries(long start, long end) throws IOException {
        if (api == null) {
            return Optional.empty();
        }
        JsonNode page;
        try {
            page = Json.parse(get(api + "/log/entries?start=" + start + "&end=" + end, MAX_ENTRIES_BYTES, true));
        } catch (RecordFormatException e) {
            throw new IOException("GET " + api + "/log/entries sent no JSON: " + e.getMessage());
        }
        if (page == null || !page.isArray()) {
            throw new IOException("GET " + api + "/log/entries did not send an array");
        }
        List<SignedRecord> entries = new ArrayList<>(page.size());
        for (JsonNode item : page) {
            if (!item.path("logIndex").canConvertToLong() || item.path("logIndex").longValue() != start + entries.size()) {
                throw new IOException("GET " + api + "/log/entries sent entry " + item.path("logIndex") + " where " + (start + entries.size()) + " belongs");
            }
            if (!item.hasNonNull("entry")) {
                return Optional.empty();
            }
            try {
                entries.add(SignedRecord.fromJson(item.get("entry")));
            } catch (RuntimeException e) {
                throw new IOException("log entry " + (start + entries.size()) + " is not a signed record: " + e.getMessage());
            }
        }
        return Optional.of(entries);
    }

    private byte[] get(String url, int maxBytes, boolean authorized) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept-Encoding", "identity").GET();
        if (authorized && token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + url);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException("GET " + url + " sent more than " + maxBytes + " bytes");
            }
            return bytes;
        }
    }
}
