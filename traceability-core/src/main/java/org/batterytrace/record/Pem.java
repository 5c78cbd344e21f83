package org.batterytrace.record;

import java.util.Base64;

/** RFC 7468 text encoding of DER structures. */
public final class Pem {
    private Pem() {
    }

    public static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    public static byte[] decode(String label, String pem) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new KeyFormatException("expected a PEM block '" + begin + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to).trim());
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("PEM body is not base64", e);
        }
    }
}
