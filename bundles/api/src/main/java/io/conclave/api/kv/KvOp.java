package io.conclave.api.kv;

/**
 * KV write verbs, Consul's {@code api.KVOp}. Codes are part of the log format: append only.
 */
public enum KvOp {
    SET(1, "set"),
    CAS(2, "cas"),
    DELETE(3, "delete"),
    DELETE_CAS(4, "delete-cas"),
    DELETE_TREE(5, "delete-tree"),
    LOCK(6, "lock"),
    UNLOCK(7, "unlock");

    private final int code;
    private final String verb;

    KvOp(int code, String verb) {
        this.code = code;
        this.verb = verb;
    }

    public int code() {
        return code;
    }

    /** Consul's spelling, as used in {@code /v1/txn} bodies. */
    public String verb() {
        return verb;
    }

    public static KvOp ofCode(int code) {
        for (KvOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown KV op code " + code);
    }
}
