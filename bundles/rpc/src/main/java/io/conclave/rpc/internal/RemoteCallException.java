package io.conclave.rpc.internal;

/** A server's endpoint failed in a way that has no more specific type; HTTP answers 500 with the message. */
final class RemoteCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RemoteCallException(String message) {
        super(message);
    }
}
