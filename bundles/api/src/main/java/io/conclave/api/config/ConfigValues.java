package io.conclave.api.config;

import io.conclave.api.time.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of a component's configuration map. ConfigAdmin hands over whatever the launcher or
 * a {@code .cfg} file wrote (a String, a Number, a Boolean, an array), so each getter accepts the
 * sensible spellings and otherwise fails with an {@link IllegalArgumentException} naming the key.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    /** The value as a trimmed string, or {@code fallback} when absent. */
    public static String string(Map<String, ?> config, String key, String fallback) {
        Object v = config.get(key);
        return v == null ? fallback : v.toString().trim();
    }

    public static long number(Map<String, ?> config, String key, long fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not \"" + v + "\"");
        }
    }

    /** A Go duration string; a bare number means seconds. */
    public static Duration duration(Map<String, ?> config, String key, Duration fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return Duration.ofSeconds(n.longValue());
        }
        try {
            return GoDuration.parse(v.toString().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    public static boolean bool(Map<String, ?> config, String key, boolean fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, not \"" + v + "\"");
        };
    }

    /** A String[], a collection, or one string (comma or space separated); blanks dropped. */
    public static List<String> strings(Map<String, ?> config, String key) {
        Object v = config.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        Collection<?> items;
        if (v instanceof Object[] array) {
            items = Arrays.asList(array);
        } else if (v instanceof Collection<?> c) {
            items = c;
        } else {
            items = Arrays.asList(v.toString().split("[,\\s]+"));
        }
        for (Object o : items) {
            if (o != null && !o.toString().isBlank()) {
                out.add(o.toString().trim());
            }
        }
        return out;
    }
}
