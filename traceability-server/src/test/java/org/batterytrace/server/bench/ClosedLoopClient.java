package org.batterytrace.server.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many kept-alive HTTP/1.1 connections driven by one thread, each sending its next request as soon as its previous
 * answer is in (a closed loop): the load of that many clients, without a thread per client. With a blocking
 * socket per thread ({@link LeanHttp}), every answer woke a thread: 0.034-0.054 ms of the client's CPU per
 * single-record request on the 2 cores the server and PostgreSQL share (docs/benchmarks.md), charged to the
 * server's figures. Not a general client: answers must carry a {@code Content-Length}.
 */
final class ClosedLoopClient {
    private final String host;
    private final int port;

    ClosedLoopClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * POSTs every body in turn over {@code connections} connections; fails on the first answer whose status is not
     * {@code expected}. Returns once every body is answered.
     */
    void post(String path, String authorization, List<String> bodies, int connections, int expected) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ";
        AtomicInteger next = new AtomicInteger();
        int answered = 0;
        try (Selector selector = Selector.open()) {
            int open = Math.min(connections, bodies.size());
            for (int c = 0; c < open; c++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                Exchange exchange = new Exchange(channel);
                exchange.start(request(head, bodies.get(next.getAndIncrement())));
                channel.register(selector, exchange.interest(), exchange);
            }
            while (answered < bodies.size()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    Exchange exchange = (Exchange) key.attachment();
                    if (key.isWritable()) {
                        exchange.write();
                    }
                    if (key.isReadable() && exchange.read()) {
                        answered++;
                        if (exchange.status != expected) {
                            throw new AssertionError(path + " answered " + exchange.status + ": " + exchange.body());
                        }
                        int i = next.getAndIncrement();
                        if (i < bodies.size()) {
                            exchange.start(request(head, bodies.get(i)));
                        } else {
                            key.cancel();
                            exchange.channel.close();
                            continue;
                        }
                    }
                    key.interestOps(exchange.interest());
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteBuffer request(String head, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] headBytes = (head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip();
    }

    /** One connection's request under way and its answer as far as read. */
    private static final class Exchange {
        final SocketChannel channel;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(16_384);
        int status;
        private int headerEnd;
        private int length;

        Exchange(SocketChannel channel) {
            this.channel = channel;
        }

        void start(ByteBuffer request) throws IOException {
            out = request;
            in.clear();
            headerEnd = -1;
            write();
        }

        void write() throws IOException {
            channel.write(out);
        }

        int interest() {
            return out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ;
        }

        /** Reads what arrived; whether the whole answer is in. */
        boolean read() throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            if (channel.read(in) < 0) {
                throw new IOException("the server closed the connection");
            }
            if (headerEnd < 0) {
                headerEnd = indexOfBlankLine();
                if (headerEnd < 0) {
                    return false;
                }
                String headers = new String(in.array(), 0, headerEnd, StandardCharsets.US_ASCII);
                status = Integer.parseInt(headers.substring(9, 12));
                int at = headers.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length:");
                if (at < 0) {
                    throw new IOException("an answer without Content-Length: " + headers);
                }
                int end = headers.indexOf('\r', at + 2);
                length = Integer.parseInt(headers.substring(at + 17, end < 0 ? headers.length() : end).trim());
            }
            return in.position() >= headerEnd + 4 + length;
        }

        String body() {
            return new String(in.array(), headerEnd + 4, in.position() - headerEnd - 4, StandardCharsets.UTF_8);
        }

        private int indexOfBlankLine() {
            byte[] bytes = in.array();
            for (int i = 0; i + 3 < in.position(); i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
