package io.conclave.store.internal;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Field encodings shared by the snapshot writer and {@link SnapshotReader}. Strings use Java's
 * modified UTF-8 (each UTF-16 unit on its own, NUL as two bytes) behind an int length, so every
 * Java string, even one with a lone surrogate, survives a round trip unchanged.
 */
final class SnapshotWriter {

    private SnapshotWriter() {
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s == null ? null : encodeModifiedUtf8(s));
    }

    static void writeStringList(DataOutputStream out, java.util.List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    /** A map as its entries in key order, so equal stores write equal snapshots. */
    static void writeStringMap(DataOutputStream out, java.util.Map<String, String> map) throws IOException {
        java.util.Map<String, String> sorted = new java.util.TreeMap<>(map);
        out.writeInt(sorted.size());
        for (java.util.Map.Entry<String, String> e : sorted.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    static byte[] encodeModifiedUtf8(String s) {
        int len = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            len += (c >= 0x0001 && c <= 0x007F) ? 1 : (c <= 0x07FF ? 2 : 3);
        }
        byte[] b = new byte[len];
        int p = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                b[p++] = (byte) c;
            } else if (c <= 0x07FF) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return b;
    }

    static String decodeModifiedUtf8(byte[] b, String what) throws IOException {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int x = b[i] & 0xFF;
            if (x >= 0x01 && x <= 0x7F) {
                sb.append((char) x);
                i += 1;
            } else if ((x & 0xE0) == 0xC0) {
                if (i + 1 >= b.length || (b[i + 1] & 0xC0) != 0x80) {
                    throw malformed(what);
                }
                sb.append((char) (((x & 0x1F) << 6) | (b[i + 1] & 0x3F)));
                i += 2;
            } else if ((x & 0xF0) == 0xE0) {
                if (i + 2 >= b.length || (b[i + 1] & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80) {
                    throw malformed(what);
                }
                sb.append((char) (((x & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F)));
                i += 3;
            } else {
                throw malformed(what);
            }
        }
        return sb.toString();
    }

    private static IOException malformed(String what) {
        return new IOException("corrupt snapshot: malformed string in " + what);
    }
}
