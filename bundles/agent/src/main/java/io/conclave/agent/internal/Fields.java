package io.conclave.agent.internal;

import io.conclave.api.time.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object of a definition, read the way Consul reads definitions: keys case-insensitively and
 * in either snake_case or PascalCase ({@code enable_tag_override} = {@code EnableTagOverride} =
 * {@code enabletagoverride}), with Consul's aliases ({@code ScriptArgs} for {@code args}, {@code CheckID}
 * for {@code id}). Values arrive as parsed JSON; a value of the wrong shape is a decode failure, worded
 * as Consul's HTTP API words it.
 */
final class Fields {

    private static final Map<String, String> ALIASES = Map.of(
            "scriptargs", "args",
            "checkid", "id");

    /** normalized key → original key (the last one written wins, as Go's decoder assigns in order) */
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, ?> raw;

    Fields(Map<String, ?> raw) {
        this.raw = raw == null ? Map.of() : raw;
        for (String k : this.raw.keySet()) {
            keys.put(canonical(k), k);
        }
    }

    static Fields of(Object value, String what) {
        if (value == null) {
            return new Fields(Map.of());
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw decode(what + " must be an object");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return new Fields(copy);
    }

    /** The normalized form of a key: lower case, without {@code _} and {@code -}, aliases resolved. */
    static String canonical(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '_' && c != '-') {
                sb.append(c);
            }
        }
        String n = sb.toString().toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(n, n);
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    boolean has(String key) {
        return keys.containsKey(canonical(key));
    }

    Object get(String key) {
        String original = keys.get(canonical(key));
        return original == null ? null : raw.get(original);
    }

    /** Keys present that are not among {@code known} (canonical comparison), with their values, as written. */
    Map<String, Object> others(java.util.Set<String> known) {
        Map<String, Object> out = new LinkedHashMap<>();
        java.util.Set<String> canon = new java.util.HashSet<>();
        for (String k : known) {
            canon.add(canonical(k));
        }
        for (Map.Entry<String, String> e : keys.entrySet()) {
            if (!canon.contains(e.getKey())) {
                out.put(e.getValue(), raw.get(e.getValue()));
            }
        }
        return out;
    }

    String string(String key) {
        Object v = get(key);
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            throw decode(key + " must be a string, not " + v);
        }
        throw decode(key + " must be a string");
    }

    boolean bool(String key) {
        Object v = get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw decode(key + " must be true or false, not \"" + v + "\"");
        };
    }

    int integer(String key, int def) {
        Object v = get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
                throw decode(key + " must be a whole number, not " + v);
            }
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw decode(key + " must be a whole number, not \"" + v + "\"");
        }
    }

    /** A Go duration string ({@code "10s"}), or a number of nanoseconds as Go's {@code time.Duration} decodes it. */
    Duration duration(String key) {
        Object v = get(key);
        if (v == null) {
            return Duration.ZERO;
        }
        if (v instanceof Number n) {
            return Duration.ofNanos(n.longValue());
        }
        String s = v.toString().trim();
        if (s.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            return GoDuration.parse(s);
        } catch (IllegalArgumentException e) {
            throw decode(e.getMessage());
        }
    }

    List<String> strings(String key) {
        Object v = get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof Map || o instanceof List) {
                    throw decode(key + " must be a list of strings");
                }
                out.add(String.valueOf(o));
            }
            return List.copyOf(out);
        }
        if (v instanceof Object[] array) {
            List<String> out = new ArrayList<>(array.length);
            for (Object o : array) {
                out.add(String.valueOf(o));
            }
            return List.copyOf(out);
        }
        throw decode(key + " must be a list of strings");
    }

    Map<String, String> stringMap(String key) {
        Object v = get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw decode(key + " must be an object of strings");
        }
        Map<String, String> out = new HashMap<>();
        m.forEach((k, val) -> {
            if (val instanceof Map || val instanceof List) {
                throw decode(key + "." + k + " must be a string");
            }
            out.put(String.valueOf(k), val == null ? "" : String.valueOf(val));
        });
        return out;
    }

    /** HTTP headers: {@code {"Name": ["v1", "v2"]}}; a single string value is taken as a one-element list. */
    Map<String, List<String>> header(String key) {
        Object v = get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw decode(key + " must be an object of string lists");
        }
        Map<String, List<String>> out = new java.util.TreeMap<>();
        m.forEach((k, val) -> {
            if (val instanceof List<?> list) {
                out.put(String.valueOf(k), list.stream().map(String::valueOf).toList());
            } else if (val == null) {
                out.put(String.valueOf(k), List.of());
            } else if (val instanceof Map) {
                throw decode(key + "." + k + " must be a list of strings");
            } else {
                out.put(String.valueOf(k), List.of(String.valueOf(val)));
            }
        });
        return out;
    }

    static IllegalArgumentException decode(String message) {
        return new IllegalArgumentException("Request decode failed: " + message);
    }
}
