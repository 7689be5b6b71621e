package io.conclave.dns.internal;

/** A catalog read that cannot be answered; carries the RCODE the client gets. */
final class LookupException extends Exception {
    private static final long serialVersionUID = 1L;

    final int rcode;

    LookupException(int rcode, String message) {
        super(message, null, false, false);
        this.rcode = rcode;
    }
}
