package io.conclave.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client over a socket, for requests {@code java.net.http} refuses to
 * send (malformed escapes, odd methods) and for choosing the source address. One request per
 * connection ({@code Connection: close}); the whole exchange is bounded by {@code timeout}.
 */
final class RawHttp {

    record Reply(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    static Reply exchange(int port, String method, String target, byte[] body, Duration timeout) throws IOException {
        return exchange(null, port, method, target, body, timeout);
    }

    static Reply exchange(String sourceIp, int port, String method, String target, byte[] body, Duration timeout)
            throws IOException {
        try (Socket s = new Socket()) {
            if (sourceIp != null) {
                s.bind(new InetSocketAddress(sourceIp, 0));
            }
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request(method, target, body));
            out.flush();
            return read(s.getInputStream(), System.nanoTime() + timeout.toNanos(), method.equals("HEAD"));
        }
    }

    static byte[] request(String method, String target, byte[] body) {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        req.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            req.writeBytes(body);
        }
        return req.toByteArray();
    }

    /** Reads one response to EOF (the server closes after {@code Connection: close}). */
    static Reply read(InputStream in, long deadlineNanos, boolean head) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            all.write(buf, 0, n);
            if (System.nanoTime() > deadlineNanos) {
                throw new IOException("response not complete in time");
            }
        }
        return parse(all.toByteArray(), head);
    }

    static Reply parse(byte[] raw, boolean head) throws IOException {
        int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headEnd < 0) {
            throw new IOException("no complete response head in " + raw.length + " bytes");
        }
        String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                    (a, b) -> a + "," + b);
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int len = Integer.parseInt(headers.get("content-length"));
            if (body.length < len) {
                throw new IOException("body truncated: " + body.length + " < " + len);
            }
            body = java.util.Arrays.copyOf(body, len);
        }
        return new Reply(status, headers, body);
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int eol = indexOf(java.util.Arrays.copyOfRange(body, i, body.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (eol < 0) {
                throw new IOException("bad chunk");
            }
            int size = Integer.parseInt(new String(body, i, eol, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            i += eol + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(body, i, size);
            i += size + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
