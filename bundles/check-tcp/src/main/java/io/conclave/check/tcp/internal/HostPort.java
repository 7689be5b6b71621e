package io.conclave.check.tcp.internal;

/**
 * A {@code host:port} dial address read as Go's {@code net.SplitHostPort} reads it: IPv6 literals in
 * brackets ({@code [::1]:80}), an empty host meaning the local system ({@code :80}). Unlike Go, the port
 * must be a number (there is no portable service-name lookup in Java).
 */
record HostPort(String host, int port) {

    static HostPort parse(String address) {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("missing address");
        }
        String host;
        String port;
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            if (end < 0) {
                throw invalid(address, "missing ']' in address");
            }
            if (end + 1 == address.length()) {
                throw invalid(address, "missing port in address");
            }
            if (address.charAt(end + 1) != ':') {
                throw invalid(address, "unexpected character after ']' in address");
            }
            host = address.substring(1, end);
            port = address.substring(end + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(address, "missing port in address");
            }
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw invalid(address, "too many colons in address");
            }
            if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
                throw invalid(address, "unexpected '[' or ']' in address");
            }
        }
        return new HostPort(host, port(address, port));
    }

    private static int port(String address, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(address, "the port must be a number from 1 to 65535");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw invalid(address, "the port must be a number from 1 to 65535");
        }
        return p;
    }

    private static IllegalArgumentException invalid(String address, String why) {
        return new IllegalArgumentException("address " + address + ": " + why);
    }

    /** True when {@link #host} is an IP literal, which needs no name lookup. */
    boolean literal() {
        return host.isEmpty() || host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    /** Go's {@code net.JoinHostPort}. */
    static String join(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
