package io.conclave.rpc.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads what {@link WireWriter} wrote. Every read checks what is left first (dnsjava's
 * {@code DNSInput.require}) and every count is checked against the bytes that could hold it, so hostile or
 * truncated input ends in one {@link MalformedPayloadException}, never in a huge allocation.
 *
 * <p>Append-only evolution: a struct (and a whole payload) may carry more fields than this version knows;
 * they are skipped. A field appended later is read with {@link #hasMore()} guarding a default.
 */
final class WireReader {

    private final byte[] buf;
    private int pos;
    private final int end;

    WireReader(byte[] payload) {
        this(payload, 0, payload.length);
    }

    private WireReader(byte[] buf, int from, int end) {
        this.buf = buf;
        this.pos = from;
        this.end = end;
    }

    MalformedPayloadException malformed(String why) {
        return new MalformedPayloadException("at byte " + pos + ": " + why);
    }

    private void require(long n) {
        if (n > end - pos) {
            throw malformed("truncated (needs " + n + " more bytes, " + (end - pos) + " left)");
        }
    }

    boolean hasMore() {
        return pos < end;
    }

    int u8() {
        require(1);
        return buf[pos++] & 0xff;
    }

    boolean bool() {
        int b = u8();
        if (b > 1) {
            throw malformed("boolean byte " + b);
        }
        return b == 1;
    }

    int i32() {
        require(4);
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long i64() {
        long high = i32() & 0xffffffffL;
        long low = i32() & 0xffffffffL;
        return (high << 32) | low;
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
            chars[i] = (char) (((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff));
            pos += 2;
        }
        return new String(chars);
    }

    String nullableStr() {
        return bool() ? str() : null;
    }

    byte[] bytes() {
        int n = count(1);
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    byte[] nullableBytes() {
        return bool() ? bytes() : null;
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
        return map(8, WireReader::str, "map key");
    }

    /**
     * A map with string keys, in the writer's order ({@link WireWriter#map}); each entry takes at least
     * {@code minEntryBytes}. A key that comes twice is malformed: {@code duplicate <keyName>}.
     */
    <V> Map<String, V> map(int minEntryBytes, Function<WireReader, V> value, String keyName) {
        int n = count(minEntryBytes);
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = str();
            map.put(key, value.apply(this));
        }
        if (map.size() != n) {
            throw malformed("duplicate " + keyName);
        }
        return map;
    }

    /** A list whose elements take at least {@code minBytes} each (4 for a struct). */
    <T> List<T> list(int minBytes, Function<WireReader, T> element) {
        int n = count(minBytes);
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(element.apply(this));
        }
        return list;
    }

    /** Reads a struct's fields from its own bounded slice; trailing fields a newer writer added are skipped. */
    <T> T struct(Function<WireReader, T> fields) {
        int length = count(1);
        WireReader inner = new WireReader(buf, pos, pos + length);
        T value = fields.apply(inner);
        pos += length;
        return value;
    }
}
