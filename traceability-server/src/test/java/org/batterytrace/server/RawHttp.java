package org.batterytrace.server;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One HTTP/1.1 exchange over a plain socket, optionally from another loopback address (127.0.0.x): what REST Assured cannot send. */
final class RawHttp {
    record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    static Answer send(String from, String request) throws IOException {
        return send(from, request.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code request}: the whole request, head and body. A server that answers early and closes (413, 414) still yields its answer. */
    static Answer send(String from, byte[] request) throws IOException {
        try (Socket socket = from == null ? new Socket("127.0.0.1", RestAssured.port)
                : new Socket(InetAddress.getByName("127.0.0.1"), RestAssured.port, InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedEarly) {
                // read what the server said before it closed
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(response);
            } catch (java.net.SocketException reset) {
                // a reset after the answer: keep what arrived
            }
            String text = response.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, split), text.substring(split + 4));
        }
    }

    static Answer get(String from, String path, String token) throws IOException {
        return send(from, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Connection: close\r\n\r\n");
    }
}
