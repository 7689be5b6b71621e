package io.conclave.rpc.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes call and reply payloads (see {@link WireReader} for the layout rules). Big-endian; a string is
 * a u32 count of UTF-16 units and the units, so every Java string survives unchanged (as in
 * {@code CatalogCommands}); a struct is a u32 byte length and its fields, so fields can be appended to it
 * later without breaking older readers.
 */
final class WireWriter {

    private byte[] buf;
    private int size;

    WireWriter() {
        this(128);
    }

    WireWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("payload too large");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }

    WireWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    WireWriter i32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    WireWriter i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    WireWriter str(String s) {
        int n = s.length();
        i32(n);
        ensure(2 * n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            buf[size++] = (byte) (c >>> 8);
            buf[size++] = (byte) c;
        }
        return this;
    }

    /** A string that may be null: a presence byte, then the string. */
    WireWriter nullableStr(String s) {
        bool(s != null);
        return s == null ? this : str(s);
    }

    WireWriter bytes(byte[] b) {
        i32(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    WireWriter nullableBytes(byte[] b) {
        bool(b != null);
        return b == null ? this : bytes(b);
    }

    WireWriter strList(List<String> list) {
        i32(list.size());
        for (String s : list) {
            str(s);
        }
        return this;
    }

    /** A map in its own iteration order (the reader keeps it), so sorted results stay sorted. */
    WireWriter strMap(Map<String, String> map) {
        return map(map, WireWriter::str);
    }

    /** A map with string keys, in its own iteration order, as {@link WireReader#map} reads it. */
    <V> WireWriter map(Map<String, V> map, BiConsumer<WireWriter, V> value) {
        i32(map.size());
        for (Map.Entry<String, V> e : map.entrySet()) {
            str(e.getKey());
            value.accept(this, e.getValue());
        }
        return this;
    }

    <T> WireWriter list(List<T> items, BiConsumer<WireWriter, T> element) {
        i32(items.size());
        for (T item : items) {
            element.accept(this, item);
        }
        return this;
    }

    /** A length-prefixed group of fields; a reader ignores fields it does not know at its end. */
    <T> WireWriter struct(T value, BiConsumer<WireWriter, T> fields) {
        ensure(4);
        int lengthAt = size;
        size += 4;
        fields.accept(this, value);
        int length = size - lengthAt - 4;
        buf[lengthAt] = (byte) (length >>> 24);
        buf[lengthAt + 1] = (byte) (length >>> 16);
        buf[lengthAt + 2] = (byte) (length >>> 8);
        buf[lengthAt + 3] = (byte) length;
        return this;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
