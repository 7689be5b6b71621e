package io.conclave.api.query;

/** Consul's read consistency modes: {@code ?stale}, none, {@code ?consistent}. */
public enum Consistency {
    /** The leader answers from its state; a tiny stale window after a leader change. */
    DEFAULT,
    /** Any server answers from its local state. */
    STALE,
    /** The leader confirms its leadership before answering. */
    CONSISTENT
}
