package io.conclave.api.state;

/** A log entry carries a command code this version cannot apply. */
public class UnknownCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownCommandException(int code, long index) {
        super("unknown command type " + code + " at index " + index
                + ": this server is older than the one that wrote the log; upgrade it before restarting");
    }
}
