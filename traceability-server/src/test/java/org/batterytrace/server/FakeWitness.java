package org.batterytrace.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.batterytrace.log.AddCheckpoint;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.Witness;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;

/**
 * A witness in the test JVM (the core's {@link Witness} rules, state in memory) that the server under
 * test is configured to ask for cosignatures. It also fixes the server's log key, which it witnesses.
 * Tests switch it between answering, refusing with 503, hanging past the server's timeout, and
 * answering with a forged cosignature.
 */
public class FakeWitness implements QuarkusTestResourceLifecycleManager {
    public enum Mode { UP, UNAVAILABLE, HANGING, FORGING }

    public static volatile FakeWitness current;

    public final NoteKey.Signer log;
    public final NoteKey.Signer witness;
    public volatile Mode mode = Mode.UP;
    public final AtomicInteger requests = new AtomicInteger();
    private Witness.Witnessed state = Witness.Witnessed.NONE;
    private HttpServer server;

    public FakeWitness() {
        this(new NoteKey.Signer("cosigning.test/log", SigningKey.generate(SignatureAlgorithm.ED25519)), "fake.witness/w1");
    }

    /** A witness of the given log (several may witness one log) under its own name and a fresh key. */
    public FakeWitness(NoteKey.Signer log, String name) {
        this.log = log;
        this.witness = new NoteKey.Signer(name, SigningKey.generate(SignatureAlgorithm.ED25519));
    }

    /** Its submission prefix, for {@code trace.cosigning.witnesses.<id>.url}; after {@link #start()}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fake";
    }

    public CosignerKey cosignerKey() {
        return CosignerKey.of(witness);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/fake/add-checkpoint", this::handle);
        server.start();
        current = this;
        return Map.of(
                "trace.log.origin", log.name(),
                "trace.log.signer-key", log.signerKey(),
                "trace.cosigning.witnesses.fake.url", url(),
                "trace.cosigning.witnesses.fake.key", cosignerKey().verifierKey(),
                "trace.cosigning.timeout", "300ms",
                "trace.cosigning.publish-wait", "1s");
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        switch (mode) {
            case UNAVAILABLE -> respond(exchange, 503, "text/plain", "unavailable\n");
            case HANGING -> {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                respond(exchange, 503, "text/plain", "too late\n");
            }
            default -> {
                try {
                    AddCheckpoint request = AddCheckpoint.parse(body);
                    Checkpoint checkpoint = Witness.verify(request, origin -> origin.equals(log.name()) ? List.of(log.noteKey()) : List.of());
                    String text = Note.parse(request.checkpoint()).text();
                    synchronized (this) {
                        state = Witness.advance(request, checkpoint, state);
                    }
                    NoteKey.Signer signer = mode == Mode.FORGING ? new NoteKey.Signer(witness.name(), SigningKey.generate(SignatureAlgorithm.ED25519)) : witness;
                    Note.Signature line = Cosignatures.sign(text, signer, Instant.now().getEpochSecond());
                    line = new Note.Signature(witness.name(), cosignerKey().keyId(), line.signature());
                    respond(exchange, 200, "text/plain; charset=utf-8", line.line() + "\n");
                } catch (Witness.RefusedException e) {
                    if (e.refusal() == Witness.Refusal.OLD_SIZE_MISMATCH) {
                        respond(exchange, 409, "text/x.tlog.size", e.latestSize() + "\n");
                    } else {
                        respond(exchange, e.refusal().status(), "text/plain", e.getMessage() + "\n");
                    }
                }
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
