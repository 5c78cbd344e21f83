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
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * Many kept-alive HTTP/1.1 connections driven by one thread: in a closed loop, each sends its next request as soon as
 * its previous answer is in (the load of that many clients, without a thread per client); in an open loop, requests go
 * out on a fixed schedule. With a blocking
 * socket per thread ({@link LeanHttp}), every answer woke a thread: 0.034-0.054 ms of the client's CPU per
 * single-record request on the 2 cores the server and PostgreSQL share (docs/benchmarks.md), charged to the
 * server's figures. Not a general client: answers must carry a {@code Content-Length}.
 */
final class SelectorClient {
    private final String host;
    private final int port;

    SelectorClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * POSTs every body in turn over {@code connections} connections; fails on the first answer whose status is not
     * {@code expected}. Returns once every body is answered.
     */
    void closedLoop(String path, String authorization, List<String> bodies, int connections, int expected) {
        openLoop(path, authorization, bodies, Double.POSITIVE_INFINITY, connections, expected); // every body due at once
    }

    /**
     * An open loop: body {@code i} is due {@code i / rate} seconds after the start, and goes out on the first of
     * {@code connections} connections free at or after that time (a body due while all are busy waits, and the wait
     * counts, as in wrk2). Returns each body's latency from its due time, in nanoseconds; fails on the first answer whose
     * status is not {@code expected}.
     */
    long[] openLoop(String path, String authorization, List<String> bodies, double rate, int connections, int expected) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ";
        long[] latencies = new long[bodies.size()];
        long interval = (long) (1e9 / rate);
        ArrayDeque<Exchange> idle = new ArrayDeque<>();
        int answered = 0;
        int next = 0;
        try (Selector selector = Selector.open()) {
            for (int c = 0; c < Math.min(connections, bodies.size()); c++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                Exchange exchange = new Exchange(channel);
                exchange.key = channel.register(selector, SelectionKey.OP_READ, exchange);
                idle.add(exchange);
            }
            long start = System.nanoTime();
            while (answered < bodies.size()) {
                long now = System.nanoTime();
                while (next < bodies.size() && start + next * interval <= now && !idle.isEmpty()) {
                    Exchange exchange = idle.poll();
                    exchange.index = next;
                    exchange.due = start + next * interval;
                    exchange.start(request(head, bodies.get(next++)));
                    exchange.key.interestOps(exchange.interest());
                }
                if (next < bodies.size() && !idle.isEmpty()) {
                    long wait = start + next * interval - System.nanoTime();
                    selector.select(Math.max(1, wait / 1_000_000));
                } else {
                    selector.select();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Exchange exchange = (Exchange) key.attachment();
                    if (key.isWritable()) {
                        exchange.write();
                    }
                    if (key.isReadable() && exchange.read()) {
                        latencies[exchange.index] = System.nanoTime() - exchange.due;
                        answered++;
                        if (exchange.status != expected) {
                            throw new AssertionError(path + " answered " + exchange.status + ": " + exchange.body());
                        }
                        idle.add(exchange); // its request was written whole: the server answers only after the body
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
        return latencies;
    }

    private static ByteBuffer request(String head, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] headBytes = (head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip();
    }

    /** One connection's request under way and its answer as far as read. */
    private static final class Exchange {
        final SocketChannel channel;
        SelectionKey key;
        /** In an open loop: the body's index and its due time. */
        int index;
        long due;
        ByteBuffer out = ByteBuffer.allocate(0);
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
