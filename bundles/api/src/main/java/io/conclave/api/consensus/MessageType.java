package io.conclave.api.consensus;

/**
 * The command types of the replicated log. Codes are fixed forever and mirror Consul's
 * {@code structs.MessageType} so logs and snapshots stay readable across versions: never renumber,
 * only append. A code with the {@link #IGNORE_UNKNOWN_FLAG} bit set may be skipped by a server that
 * does not know it; any other unknown code must stop the server rather than let replicas diverge.
 */
public enum MessageType {
    REGISTER(0),
    DEREGISTER(1),
    KVS(2),
    SESSION(3),
    TOMBSTONE(5),
    TXN(8);

    /** Consul's {@code IgnoreUnknownTypeFlag}. */
    public static final int IGNORE_UNKNOWN_FLAG = 128;

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @return the type for {@code code} (flag bit stripped), or {@code null} if this version does not know it */
    public static MessageType ofCode(int code) {
        int plain = code & ~IGNORE_UNKNOWN_FLAG;
        for (MessageType t : values()) {
            if (t.code == plain) {
                return t;
            }
        }
        return null;
    }

    public static boolean ignorable(int code) {
        return (code & IGNORE_UNKNOWN_FLAG) != 0;
    }
}
