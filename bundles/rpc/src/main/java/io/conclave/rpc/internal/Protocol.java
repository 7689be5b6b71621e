package io.conclave.rpc.internal;

import java.nio.charset.StandardCharsets;

/**
 * The server RPC port's wire format.
 *
 * <p><b>Connection header.</b> A client's first byte selects the protocol spoken on the connection, as
 * Consul's {@code pool.RPCType} byte does. This version knows only {@link #RPC_CALLS}; a server closes a
 * connection whose first byte it does not know (logging it), so a later protocol (Raft's stream, snapshots)
 * is a new byte on the same port. The values avoid Consul's own (0–8) so a stock Consul client is refused
 * clearly instead of being misread.
 *
 * <p><b>Frames</b> (after the header, both directions), big-endian:
 * <pre>
 *   u32 length   bytes that follow (call id + kind + body), 5 .. max frame size
 *   u32 call id  chosen by the client, unique among its calls in flight on the connection
 *   u8  kind     {@link #CALL}, {@link #REPLY}, {@link #REPLY_PART}, {@link #ERROR}, {@link #CANCEL}
 *   body
 * </pre>
 * <ul>
 *   <li>CALL (client → server): u8 method name length, the name in ASCII ({@code KVS.Get}), the payload.</li>
 *   <li>REPLY (server → client): the reply payload, or its last part.</li>
 *   <li>REPLY_PART: a leading part of a reply larger than one frame; the client joins the parts.</li>
 *   <li>ERROR: u8 {@link ErrorClass} code, then the message as a WireWriter string.</li>
 *   <li>CANCEL (client → server, empty body): the caller gave up (timeout, HTTP client gone); the server
 *       cancels the call's stage, releasing a parked query. Any reply to it is ignored.</li>
 * </ul>
 * A frame longer than the limit, a frame shorter than 5 bytes, an unknown kind or a call id already in
 * flight is a protocol violation: the receiver logs it and closes the connection.
 */
final class Protocol {

    /** Multiplexed calls, version 1 ('C'). */
    static final int RPC_CALLS = 0x43;

    static final int CALL = 1;
    static final int REPLY = 2;
    static final int REPLY_PART = 3;
    static final int ERROR = 4;
    static final int CANCEL = 5;

    /** Bytes of the length field. */
    static final int LENGTH_BYTES = 4;
    /** Bytes counted by the length field before the body: call id and kind. */
    static final int FRAME_OVERHEAD = 5;

    static final int DEFAULT_MAX_FRAME = 4 * 1024 * 1024;
    static final int MAX_METHOD_NAME = 255;
    /** Error messages are cut to this many characters. */
    static final int MAX_ERROR_MESSAGE = 16 * 1024;

    private Protocol() {
    }

    /** One frame ready to write: length, id, kind, body. */
    static byte[] frame(int callId, int kind, byte[] body, int offset, int length) {
        byte[] f = new byte[LENGTH_BYTES + FRAME_OVERHEAD + length];
        putInt(f, 0, FRAME_OVERHEAD + length);
        putInt(f, 4, callId);
        f[8] = (byte) kind;
        System.arraycopy(body, offset, f, 9, length);
        return f;
    }

    static byte[] callFrame(int callId, String method, byte[] payload) {
        byte[] name = method.getBytes(StandardCharsets.US_ASCII);
        byte[] f = new byte[LENGTH_BYTES + FRAME_OVERHEAD + 1 + name.length + payload.length];
        putInt(f, 0, FRAME_OVERHEAD + 1 + name.length + payload.length);
        putInt(f, 4, callId);
        f[8] = (byte) CALL;
        f[9] = (byte) name.length;
        System.arraycopy(name, 0, f, 10, name.length);
        System.arraycopy(payload, 0, f, 10 + name.length, payload.length);
        return f;
    }

    static byte[] errorFrame(int callId, ErrorClass error, String message) {
        String m = message.length() > MAX_ERROR_MESSAGE ? message.substring(0, MAX_ERROR_MESSAGE) : message;
        byte[] body = new WireWriter(8 + 2 * m.length()).u8(error.code).str(m).toByteArray();
        return frame(callId, ERROR, body, 0, body.length);
    }

    /** A method name is 1–255 printable ASCII characters. */
    static boolean validMethodName(String name) {
        if (name.isEmpty() || name.length() > MAX_METHOD_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
