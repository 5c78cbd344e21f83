package org.batterytrace.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.batterytrace.log.Note;
import org.batterytrace.log.Tile;

/** Reads a tiled log over HTTP with the JDK client; bodies are capped before they are read in full. */
public final class HttpLogClient implements LogClient {
    /** Per request: a tile is 8 KiB, a checkpoint a few hundred bytes. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String prefix;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();

    /** {@code prefix} is the log's tile prefix, e.g. {@code https://trace.example.cn/tlog}. */
    public HttpLogClient(String prefix) {
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        URI.create(this.prefix);
    }

    @Override
    public String checkpoint() throws IOException {
        return new String(get("/checkpoint", Note.MAX_CHARS * 3), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tile(Tile tile) throws IOException {
        return get("/" + tile.path(), tile.byteLength());
    }

    private byte[] get(String path, int maxBytes) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(prefix + path)).timeout(TIMEOUT).header("Accept-Encoding", "identity").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + path);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + prefix + path + " answered " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException("GET " + prefix + path + " sent more than " + maxBytes + " bytes");
            }
            return bytes;
        }
    }
}
