package io.conclave.store.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Every read of a snapshot goes through here, so bounds and truncation are checked in one place
 * (dnsjava's {@code DNSInput.require}). Any malformed input becomes an {@link IOException} that names
 * what was being read.
 */
final class SnapshotReader {

    /** Largest string or byte array a snapshot may hold; far above Consul's 512 KiB value limit. */
    static final int MAX_FIELD_BYTES = 64 << 20;

    private final DataInputStream in;

    SnapshotReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    int readInt(String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw truncated(what);
        }
    }

    long readLong(String what) throws IOException {
        try {
            return in.readLong();
        } catch (EOFException e) {
            throw truncated(what);
        }
    }

    long readNonNegativeLong(String what) throws IOException {
        long v = readLong(what);
        if (v < 0) {
            throw new IOException("corrupt snapshot: negative " + what + " (" + v + ")");
        }
        return v;
    }

    int readCount(String what) throws IOException {
        int v = readInt(what);
        if (v < 0) {
            throw new IOException("corrupt snapshot: negative " + what + " (" + v + ")");
        }
        return v;
    }

    boolean readBoolean(String what) throws IOException {
        int b;
        try {
            b = in.readUnsignedByte();
        } catch (EOFException e) {
            throw truncated(what);
        }
        if (b > 1) {
            throw new IOException("corrupt snapshot: " + what + " is not a boolean (" + b + ")");
        }
        return b == 1;
    }

    java.util.List<String> readStringList(String what) throws IOException {
        int n = readCount(what + " count");
        java.util.List<String> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(readString(what));
        }
        return list;
    }

    java.util.Map<String, String> readStringMap(String what) throws IOException {
        int n = readCount(what + " count");
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = readString(what + " key");
            if (map.put(key, readString(what + " value")) != null) {
                throw new IOException("corrupt snapshot: duplicate key in " + what);
            }
        }
        return map;
    }

    void readFully(byte[] b, String what) throws IOException {
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw truncated(what);
        }
    }

    /** A byte array written by {@link SnapshotWriter#writeBytes}, possibly {@code null}. */
    byte[] readBytesOrNull(String what) throws IOException {
        int len = readInt(what + " length");
        if (len == -1) {
            return null;
        }
        if (len < -1 || len > MAX_FIELD_BYTES) {
            throw new IOException("corrupt snapshot: " + what + " length " + len + " out of range");
        }
        byte[] b = new byte[len];
        readFully(b, what);
        return b;
    }

    /** A string written by {@link SnapshotWriter#writeString}, possibly {@code null}. */
    String readStringOrNull(String what) throws IOException {
        byte[] b = readBytesOrNull(what);
        return b == null ? null : SnapshotWriter.decodeModifiedUtf8(b, what);
    }

    String readString(String what) throws IOException {
        String s = readStringOrNull(what);
        if (s == null) {
            throw new IOException("corrupt snapshot: missing " + what);
        }
        return s;
    }

    private static IOException truncated(String what) {
        return new IOException("snapshot truncated while reading " + what);
    }
}
