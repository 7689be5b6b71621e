package io.conclave.dns.internal;

import io.conclave.api.time.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Consul's {@code dns_config.service_ttl}: an exact service name wins, then the longest {@code prefix*}
 * entry ({@code *} alone matches everything); no match means TTL 0. Names compare case-insensitively,
 * since DNS names do.
 */
final class ServiceTtls {

    static final ServiceTtls NONE = new ServiceTtls(Map.of(), List.of());

    private final Map<String, Duration> exact;
    private final List<Map.Entry<String, Duration>> prefixes;

    private ServiceTtls(Map<String, Duration> exact, List<Map.Entry<String, Duration>> prefixes) {
        this.exact = exact;
        this.prefixes = prefixes;
    }

    /** Parses {@code name=duration} entries; the message of the exception names the bad entry. */
    static ServiceTtls parse(Collection<String> entries) {
        Map<String, Duration> exact = new HashMap<>();
        Map<String, Duration> prefix = new HashMap<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("service_ttl entry \"" + raw + "\" is not name=duration");
            }
            String name = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            Duration ttl;
            try {
                ttl = GoDuration.parse(entry.substring(eq + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("service_ttl entry \"" + raw + "\": " + e.getMessage());
            }
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("service_ttl entry \"" + raw + "\" is negative");
            }
            if (name.endsWith("*")) {
                prefix.put(name.substring(0, name.length() - 1), ttl);
            } else {
                exact.put(name, ttl);
            }
        }
        List<Map.Entry<String, Duration>> sorted = new ArrayList<>(prefix.entrySet());
        sorted.sort(Comparator.comparingInt((Map.Entry<String, Duration> e) -> e.getKey().length()).reversed());
        return new ServiceTtls(Map.copyOf(exact), List.copyOf(sorted));
    }

    Duration ttlFor(String service) {
        String name = service.toLowerCase(Locale.ROOT);
        Duration d = exact.get(name);
        if (d != null) {
            return d;
        }
        for (Map.Entry<String, Duration> p : prefixes) {
            if (name.startsWith(p.getKey())) {
                return p.getValue();
            }
        }
        return Duration.ZERO;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceTtls other && exact.equals(other.exact) && prefixes.equals(other.prefixes);
    }

    @Override
    public int hashCode() {
        return exact.hashCode() * 31 + prefixes.hashCode();
    }

    @Override
    public String toString() {
        return "ServiceTtls" + exact + prefixes;
    }
}
