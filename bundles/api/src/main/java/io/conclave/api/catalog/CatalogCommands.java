package io.conclave.api.catalog;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated-log payloads of {@link io.conclave.api.consensus.MessageType#REGISTER} and
 * {@link io.conclave.api.consensus.MessageType#DEREGISTER} (Consul's {@code structs.RegisterRequest} and
 * {@code structs.DeregisterRequest}).
 *
 * <p>Layout, all integers big-endian: a format byte ({@value #FORMAT}), then every field of the request in
 * record declaration order. A string is an int count of UTF-16 units followed by the units (so every Java
 * string, even one holding a lone surrogate, survives unchanged); a list or map is an int count followed
 * by its elements (map entries in key order, so equal requests encode to equal bytes); a boolean is one
 * byte 0 or 1; a {@link Duration} is a long of nanoseconds; a nullable value is preceded by a boolean.
 * The format is append-only: a new field goes at the end and raises the format byte, and a decoder
 * refuses formats it does not know.
 *
 * <p>Every decode checks each count and length against what is left of the payload, so hostile or
 * truncated input ends in one {@link IllegalArgumentException}, never in an allocation bomb or an
 * {@link ArrayIndexOutOfBoundsException}.
 */
public final class CatalogCommands {

    /** The payload format this version writes and the only one it reads. */
    public static final int FORMAT = 1;

    private CatalogCommands() {
    }

    // ---- register ----

    public static byte[] encode(RegisterRequest request) {
        Writer w = new Writer();
        w.u8(FORMAT);
        node(w, request.node());
        w.bool(request.service() != null);
        if (request.service() != null) {
            service(w, request.service());
        }
        w.i32(request.checks().size());
        for (HealthCheck c : request.checks()) {
            check(w, c);
        }
        w.bool(request.skipNodeUpdate());
        return w.bytes();
    }

    /** @throws IllegalArgumentException if the payload is not a register request this version can read */
    public static RegisterRequest decodeRegister(byte[] payload) {
        Reader r = new Reader(payload, "register request");
        r.format();
        Node node = node(r);
        NodeService service = r.bool() ? service(r) : null;
        int n = r.count(CHECK_MIN_BYTES);
        List<HealthCheck> checks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            checks.add(check(r));
        }
        boolean skip = r.bool();
        r.end();
        return new RegisterRequest(node, service, checks, skip);
    }

    // ---- deregister ----

    public static byte[] encode(DeregisterRequest request) {
        Writer w = new Writer();
        w.u8(FORMAT);
        w.str(request.node());
        w.str(request.serviceId());
        w.str(request.checkId());
        return w.bytes();
    }

    /** @throws IllegalArgumentException if the payload is not a deregister request this version can read */
    public static DeregisterRequest decodeDeregister(byte[] payload) {
        Reader r = new Reader(payload, "deregister request");
        r.format();
        DeregisterRequest d = new DeregisterRequest(r.str(), r.str(), r.str());
        r.end();
        return d;
    }

    // ---- records ----

    private static void node(Writer w, Node n) {
        w.str(n.id());
        w.str(n.node());
        w.str(n.address());
        w.str(n.datacenter());
        w.strMap(n.taggedAddresses());
        w.strMap(n.meta());
        w.i64(n.createIndex());
        w.i64(n.modifyIndex());
    }

    private static Node node(Reader r) {
        return new Node(r.str(), r.str(), r.str(), r.str(), r.strMap(), r.strMap(), r.i64(), r.i64());
    }

    private static void service(Writer w, NodeService s) {
        w.str(s.kind());
        w.str(s.id());
        w.str(s.service());
        w.strList(s.tags());
        w.str(s.address());
        Map<String, ServiceAddress> tagged = new TreeMap<>(s.taggedAddresses());
        w.i32(tagged.size());
        for (Map.Entry<String, ServiceAddress> e : tagged.entrySet()) {
            w.str(e.getKey());
            w.str(e.getValue().address());
            w.i32(e.getValue().port());
        }
        w.strMap(s.meta());
        w.i32(s.port());
        w.i32(s.weights().passing());
        w.i32(s.weights().warning());
        w.bool(s.enableTagOverride());
        w.i64(s.createIndex());
        w.i64(s.modifyIndex());
    }

    private static NodeService service(Reader r) {
        String kind = r.str();
        String id = r.str();
        String name = r.str();
        List<String> tags = r.strList();
        String address = r.str();
        int n = r.count(12);
        Map<String, ServiceAddress> tagged = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = r.str();
            tagged.put(key, new ServiceAddress(r.str(), r.i32()));
        }
        if (tagged.size() != n) {
            throw r.malformed("duplicate tagged address key");
        }
        Map<String, String> meta = r.strMap();
        int port = r.i32();
        Weights weights = new Weights(r.i32(), r.i32());
        boolean eto = r.bool();
        return new NodeService(kind, id, name, tags, address, tagged, meta, port, weights, eto, r.i64(), r.i64());
    }

    /**
     * The fewest bytes one check can take: nine strings and a list (4 each), the definition (five strings,
     * a boolean, a map and three longs) and two indexes.
     */
    private static final int CHECK_MIN_BYTES = 9 * 4 + 4 + (5 * 4 + 1 + 4 + 3 * 8) + 2 * 8;

    private static void check(Writer w, HealthCheck c) {
        w.str(c.node());
        w.str(c.checkId());
        w.str(c.name());
        w.str(c.status());
        w.str(c.notes());
        w.str(c.output());
        w.str(c.serviceId());
        w.str(c.serviceName());
        w.strList(c.serviceTags());
        w.str(c.type());
        CheckDefinition d = c.definition();
        w.str(d.http());
        w.str(d.tlsServerName());
        w.bool(d.tlsSkipVerify());
        Map<String, List<String>> header = new TreeMap<>(d.header());
        w.i32(header.size());
        for (Map.Entry<String, List<String>> e : header.entrySet()) {
            w.str(e.getKey());
            w.strList(e.getValue());
        }
        w.str(d.method());
        w.str(d.body());
        w.str(d.tcp());
        w.i64(d.interval().toNanos());
        w.i64(d.timeout().toNanos());
        w.i64(d.deregisterCriticalServiceAfter().toNanos());
        w.i64(c.createIndex());
        w.i64(c.modifyIndex());
    }

    private static HealthCheck check(Reader r) {
        String node = r.str();
        String checkId = r.str();
        String name = r.str();
        String status = r.str();
        String notes = r.str();
        String output = r.str();
        String serviceId = r.str();
        String serviceName = r.str();
        List<String> serviceTags = r.strList();
        String type = r.str();
        String http = r.str();
        String tlsServerName = r.str();
        boolean skipVerify = r.bool();
        int n = r.count(8);
        Map<String, List<String>> header = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = r.str();
            header.put(key, r.strList());
        }
        if (header.size() != n) {
            throw r.malformed("duplicate header name");
        }
        String method = r.str();
        String body = r.str();
        String tcp = r.str();
        Duration interval = Duration.ofNanos(r.i64());
        Duration timeout = Duration.ofNanos(r.i64());
        Duration dcsa = Duration.ofNanos(r.i64());
        CheckDefinition def = new CheckDefinition(http, tlsServerName, skipVerify, header, method, body, tcp,
                interval, timeout, dcsa);
        return new HealthCheck(node, checkId, name, status, notes, output, serviceId, serviceName, serviceTags, type,
                def, r.i64(), r.i64());
    }

    // ---- primitives ----

    private static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);

        void u8(int v) {
            try {
                out.writeByte(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void bool(boolean v) {
            u8(v ? 1 : 0);
        }

        void i32(int v) {
            try {
                out.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void i64(long v) {
            try {
                out.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void str(String s) {
            try {
                out.writeInt(s.length());
                out.writeChars(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void strList(List<String> list) {
            i32(list.size());
            for (String s : list) {
                str(s);
            }
        }

        void strMap(Map<String, String> map) {
            Map<String, String> sorted = new TreeMap<>(map);
            i32(sorted.size());
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                str(e.getKey());
                str(e.getValue());
            }
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** Every read checks what is left first (dnsjava's {@code DNSInput.require}). */
    private static final class Reader {
        private final ByteBuffer buf;
        private final String what;

        Reader(byte[] payload, String what) {
            if (payload == null) {
                throw new IllegalArgumentException("malformed " + what + ": no payload");
            }
            this.buf = ByteBuffer.wrap(payload);
            this.what = what;
        }

        IllegalArgumentException malformed(String why) {
            return new IllegalArgumentException("malformed " + what + " at byte " + buf.position() + ": " + why);
        }

        private void require(long n) {
            if (n > buf.remaining()) {
                throw malformed("truncated (needs " + n + " more bytes, " + buf.remaining() + " left)");
            }
        }

        void format() {
            require(1);
            int f = buf.get() & 0xff;
            if (f != FORMAT) {
                throw new IllegalArgumentException("unknown " + what + " format " + f + " (this server reads "
                        + FORMAT + "); it was written by a newer server");
            }
        }

        boolean bool() {
            require(1);
            int b = buf.get();
            if (b != 0 && b != 1) {
                throw malformed("boolean byte " + b);
            }
            return b == 1;
        }

        int i32() {
            require(4);
            return buf.getInt();
        }

        long i64() {
            require(8);
            return buf.getLong();
        }

        /** A count of elements each at least {@code minBytes} long, checked against what is left. */
        int count(int minBytes) {
            int n = i32();
            if (n < 0) {
                throw malformed("negative count " + n);
            }
            require((long) n * minBytes);
            return n;
        }

        String str() {
            int n = count(2);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) {
                chars[i] = buf.getChar();
            }
            return new String(chars);
        }

        List<String> strList() {
            int n = count(4);
            List<String> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(str());
            }
            return list;
        }

        Map<String, String> strMap() {
            int n = count(8);
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String key = str();
                map.put(key, str());
            }
            if (map.size() != n) {
                throw malformed("duplicate map key");
            }
            return map;
        }

        void end() {
            if (buf.hasRemaining()) {
                throw malformed(buf.remaining() + " trailing bytes");
            }
        }
    }
}
