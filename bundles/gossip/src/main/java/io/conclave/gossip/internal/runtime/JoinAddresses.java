package io.conclave.gossip.internal.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The addresses a join names, as the agent's {@code -join} and {@code -retry-join} take them. */
final class JoinAddresses {

    private JoinAddresses() {
    }

    /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; every address the host has. */
    static List<InetSocketAddress> resolveAll(String address, int defaultPort) throws UnknownHostException {
        String host = address.trim();
        int port = defaultPort;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in address");
            }
            String rest = host.substring(close + 1);
            host = host.substring(1, close);
            if (rest.startsWith(":")) {
                port = parsePort(rest.substring(1));
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("unexpected text after ']'");
            }
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = parsePort(host.substring(host.indexOf(':') + 1));
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host");
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(host)) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65_535) {
                throw new IllegalArgumentException("port out of range: " + s);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port: " + s);
        }
    }
}
