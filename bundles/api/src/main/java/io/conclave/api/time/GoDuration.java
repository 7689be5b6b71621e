package io.conclave.api.time;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Go's {@code time.ParseDuration} and {@code Duration.String}, so {@code wait=300000ms},
 * {@code "ttl": "15.0s"} and {@code 1m30s} mean what they mean to Consul.
 *
 * <p>Grammar: an optional sign, then one or more {@code <decimal><unit>} pairs, units
 * {@code ns us µs μs ms s m h}; the bare string {@code 0} is also allowed. Fractions finer than a
 * nanosecond are truncated, as Go does.
 */
public final class GoDuration {

    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /** @throws IllegalArgumentException with Go's wording when {@code s} is not a duration */
    public static Duration parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("time: invalid duration \"\"");
        }
        String orig = s;
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        if (i == s.length()) {
            throw invalid(orig);
        }
        BigDecimal total = BigDecimal.ZERO;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String num = s.substring(start, i);
            if (num.isEmpty() || num.equals(".") || num.indexOf('.') != num.lastIndexOf('.')) {
                throw invalid(orig);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + orig + "\"");
            }
            long scale = switch (unit) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException(
                        "time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"");
            };
            String digits = num.startsWith(".") ? "0" + num : num.endsWith(".") ? num + "0" : num;
            total = total.add(new BigDecimal(digits).multiply(BigDecimal.valueOf(scale)));
            if (total.compareTo(MAX_NANOS) > 0) {
                throw invalid(orig);
            }
        }
        long nanos = total.setScale(0, RoundingMode.DOWN).longValueExact();
        return Duration.ofNanos(neg ? -nanos : nanos);
    }

    /** Go's {@code Duration.String()}: {@code 1h2m3.5s}, {@code 300ms}, {@code 0s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (nanos < 0) {
            sb.append('-');
            nanos = -nanos;
        }
        if (nanos < 1_000_000_000L) {
            if (nanos < 1_000L) {
                return sb.append(nanos).append("ns").toString();
            } else if (nanos < 1_000_000L) {
                return sb.append(fraction(nanos, 1_000L)).append("µs").toString();
            }
            return sb.append(fraction(nanos, 1_000_000L)).append("ms").toString();
        }
        long hours = nanos / 3_600_000_000_000L;
        long rest = nanos % 3_600_000_000_000L;
        long minutes = rest / 60_000_000_000L;
        rest %= 60_000_000_000L;
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(fraction(rest, 1_000_000_000L)).append('s').toString();
    }

    private static String fraction(long value, long unit) {
        BigDecimal v = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
        return v.scale() <= 0 ? v.toBigInteger().toString() : v.toPlainString();
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("time: invalid duration \"" + s + "\"");
    }
}
