package io.conclave.api.consensus;

/** A proposal reached a server that is not the leader and could not forward it. */
public class NotLeaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotLeaderException() {
        super("No cluster leader");
    }
}
