package io.conclave.launcher.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/** IP-literal helpers for configuration values (never a DNS lookup). */
public final class Addresses {

    private static final Pattern V4 = Pattern.compile(
            "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern V6 = Pattern.compile("^[0-9a-fA-F:.]+$");

    private Addresses() {
    }

    /** An IPv4 or IPv6 literal, as Go's {@code net.ParseIP} accepts it (plus {@code [::]}). */
    public static boolean isIp(String s) {
        if (V4.matcher(s).matches()) {
            return true;
        }
        String v6 = s.equals("[::]") ? "::" : s;
        if (!v6.contains(":") || !V6.matcher(v6).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(v6); // a literal: no lookup happens
            return true;
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }

    /** {@code 0.0.0.0}, {@code ::} or {@code [::]}. */
    public static boolean isAny(String s) {
        return s.equals("0.0.0.0") || s.equals("::") || s.equals("[::]") || s.equals("0:0:0:0:0:0:0:0");
    }

    /** The host part of {@code host}, {@code host:port} or {@code [v6]:port}. */
    static String hostOf(String a) {
        if (a.startsWith("[") && a.contains("]")) {
            return a.equals("[::]") ? a : a.substring(1, a.indexOf(']'));
        }
        int colon = a.indexOf(':');
        if (colon > 0 && colon == a.lastIndexOf(':')) {
            return a.substring(0, colon);
        }
        return a;
    }

    /**
     * The machine's private IPv4 addresses (RFC 1918, RFC 6598), as go-sockaddr's
     * {@code GetPrivateIP} which Consul uses to pick an advertise address for a 0.0.0.0 bind.
     */
    public static List<String> privateIpv4() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && isPrivate(a.getAddress())) {
                        out.add(a.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces readable: none found
        }
        return out;
    }

    private static boolean isPrivate(byte[] b) {
        int a0 = b[0] & 0xFF;
        int a1 = b[1] & 0xFF;
        return a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)
                || (a0 == 100 && a1 >= 64 && a1 <= 127);
    }
}
