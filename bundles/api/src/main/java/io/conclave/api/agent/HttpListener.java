package io.conclave.api.agent;

/**
 * Registered as a service by the HTTP bundle once it accepts connections, and withdrawn when it
 * stops. The launcher waits for it before printing {@code Conclave agent running!}; it reads the
 * service properties {@code address} and {@code port}, so it need not load this class.
 */
public record HttpListener(String address, int port) {
    public static final String PROP_ADDRESS = "address";
    public static final String PROP_PORT = "port";
}
