package io.conclave.rpc.internal;

/** No answer came within the call's deadline; never retried, the deadline is the caller's whole budget. */
final class RpcTimeoutException extends RpcTransportException {
    private static final long serialVersionUID = 1L;

    RpcTimeoutException(String message, boolean notSent) {
        super(message, notSent);
    }
}
