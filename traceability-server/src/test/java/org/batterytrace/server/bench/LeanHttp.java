package org.batterytrace.server.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client for load generation: one kept-alive connection per thread, the request
 * written in one go, the status line, headers and body read back. Benchmarks run client, server and
 * database on the same cores, and the JDK's HttpClient spent about a third of a millisecond of CPU per
 * single-record request (as much as the server's checks of it), which the server's figures would then
 * pay for. Not a general client: no TLS, no redirects, responses with Content-Length or chunked bodies.
 */
final class LeanHttp {
    /** What the server answered; header names in lower case. */
    record Response(int status, String body, java.util.Map<String, String> headers) {
    }

    private final String host;
    private final int port;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();

    LeanHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    Response post(String path, String authorization, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return send(head, body);
    }

    /** A GET with the given request headers (name: value lines, each ending in CRLF), without a token. */
    Response get(String path, String headers) {
        return send(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII), new byte[0]);
    }

    private Response send(byte[] head, byte[] body) {
        for (int attempt = 0; ; attempt++) {
            Connection connection = connection();
            try {
                connection.out.write(head);
                connection.out.write(body);
                connection.out.flush();
                return connection.read();
            } catch (IOException e) {
                close(connection);
                if (attempt > 0) {
                    throw new UncheckedIOException(e);
                }
                // The server closed an idle connection: once more on a new one.
            }
        }
    }

    private Connection connection() {
        Connection connection = connections.get();
        if (connection == null) {
            try {
                Socket socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                connection = new Connection(socket, new BufferedInputStream(socket.getInputStream(), 16_384), socket.getOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            connections.set(connection);
        }
        return connection;
    }

    private void close(Connection connection) {
        connections.remove();
        try {
            connection.socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private record Connection(Socket socket, InputStream in, OutputStream out) {
        Response read() throws IOException {
            String status = line();
            if (status == null) {
                throw new IOException("connection closed");
            }
            int code = Integer.parseInt(status.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0; size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
            } else if (length > 0) {
                body.write(in.readNBytes((int) length));
            }
            return new Response(code, body.toString(StandardCharsets.UTF_8), headers);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) c);
            }
            return line.isEmpty() ? null : line.toString();
        }
    }
}
