package io.conclave.rpc.internal;

/** A call or reply payload this version cannot read; on a server it answers the call as a bad request. */
final class MalformedPayloadException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedPayloadException(String message) {
        super(message);
    }
}
