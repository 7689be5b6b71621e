package io.conclave.api.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A KV write, Consul's {@code KVSRequest}: a verb and the entry it acts on.
 *
 * @param op      the verb
 * @param key     the key, or the prefix for {@link KvOp#DELETE_TREE}
 * @param value   the value for SET/CAS/LOCK/UNLOCK; {@code null} for an empty value
 * @param flags   opaque client flags stored with the value
 * @param index   the expected ModifyIndex for CAS and DELETE_CAS (0 with CAS means "only if absent")
 * @param session the session for LOCK/UNLOCK, else {@code null}
 */
public record KvRequest(KvOp op, String key, byte[] value, long flags, long index, String session) {

    private static final int FORMAT = 1;

    public KvRequest {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
    }

    public static KvRequest set(String key, byte[] value, long flags) {
        return new KvRequest(KvOp.SET, key, value, flags, 0, null);
    }

    public static KvRequest cas(String key, byte[] value, long flags, long index) {
        return new KvRequest(KvOp.CAS, key, value, flags, index, null);
    }

    public static KvRequest delete(String key) {
        return new KvRequest(KvOp.DELETE, key, null, 0, 0, null);
    }

    public static KvRequest deleteCas(String key, long index) {
        return new KvRequest(KvOp.DELETE_CAS, key, null, 0, index, null);
    }

    public static KvRequest deleteTree(String prefix) {
        return new KvRequest(KvOp.DELETE_TREE, prefix, null, 0, 0, null);
    }

    /** The log payload: a format byte, then the fields in declaration order. Append only. */
    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + key.length() + (value == null ? 0 : value.length));
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeByte(op.code());
            out.writeUTF(key);
            if (value == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(value.length);
                out.write(value);
            }
            out.writeLong(flags);
            out.writeLong(index);
            out.writeBoolean(session != null);
            if (session != null) {
                out.writeUTF(session);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException if the payload is not a KV request this version can read */
    public static KvRequest decode(byte[] payload) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown KV request format " + format);
            }
            KvOp op = KvOp.ofCode(in.readUnsignedByte());
            String key = in.readUTF();
            int len = in.readInt();
            byte[] value = null;
            if (len >= 0) {
                if (len > payload.length) {
                    throw new IllegalArgumentException("KV value length " + len + " exceeds payload");
                }
                value = in.readNBytes(len);
                if (value.length != len) {
                    throw new IllegalArgumentException("truncated KV value");
                }
            }
            long flags = in.readLong();
            long index = in.readLong();
            String session = in.readBoolean() ? in.readUTF() : null;
            return new KvRequest(op, key, value, flags, index, session);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed KV request: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvRequest r && op == r.op && key.equals(r.key) && java.util.Arrays.equals(value, r.value)
                && flags == r.flags && index == r.index && Objects.equals(session, r.session);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, key, java.util.Arrays.hashCode(value), flags, index, session);
    }
}
