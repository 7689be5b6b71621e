package io.conclave.dns.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP literals only, the way Go's {@code net.ParseIP} reads them. Never a name lookup: a catalog
 * address that is a host name must come back as {@code null}, not be resolved on a DNS worker.
 */
final class IpLiterals {

    private IpLiterals() {
    }

    /** The address {@code text} spells, or {@code null} when it is not an IPv4 or IPv6 literal. */
    static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    return null;
                }
            }
            try {
                // Brackets make the JDK treat the text as an IPv6 literal and fail instead of resolving it.
                return InetAddress.getByName("[" + text + "]");
            } catch (UnknownHostException | RuntimeException e) {
                return null;
            }
        }
        byte[] v4 = parseV4(text);
        if (v4 == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** {@code host:port} as Consul logs it, brackets around IPv6. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Lower-case hex of the address bytes: the label of Consul's {@code <hex>.addr.<dc>.<domain>} names. */
    static String hex(InetAddress a) {
        StringBuilder sb = new StringBuilder();
        for (byte b : a.getAddress()) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /** The address a hex label spells (8 digits IPv4, 32 IPv6), or {@code null}. */
    static InetAddress fromHex(String label) {
        if (label.length() != 8 && label.length() != 32) {
            return null;
        }
        byte[] bytes = new byte[label.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            int hi = Character.digit(label.charAt(2 * i), 16);
            int lo = Character.digit(label.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            bytes[i] = (byte) ((hi << 4) | lo);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
