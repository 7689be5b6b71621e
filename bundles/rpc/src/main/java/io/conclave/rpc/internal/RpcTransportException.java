package io.conclave.rpc.internal;

/**
 * A call could not be carried: no server known, the connection failed or was lost, or no answer came in
 * time. An {@link IllegalStateException} because that is what callers (HTTP: 500) already expect when a
 * server is unavailable, as Consul answers {@code No known Consul servers} or {@code rpc error ...}.
 */
class RpcTransportException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Whether the call certainly never reached a server's endpoint (so retrying it elsewhere is safe). */
    private final boolean notSent;

    RpcTransportException(String message, boolean notSent) {
        super(message);
        this.notSent = notSent;
    }

    RpcTransportException(String message, boolean notSent, Throwable cause) {
        super(message, cause);
        this.notSent = notSent;
    }

    boolean notSent() {
        return notSent;
    }
}
