package io.conclave.launcher.cli;

import io.conclave.api.time.GoDuration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags parsed the way Go's {@code flag} package parses Consul's: {@code -name},
 * {@code --name}, {@code -name=value} and {@code -name value} (never for booleans); parsing
 * stops at the first argument that is not a flag, at a lone {@code -}, or after {@code --}.
 * Repeatable flags collect every value in order.
 *
 * <p>Names registered with {@link #unsupported} are Consul flags that Conclave does not implement
 * yet; they fail with a message saying so instead of "flag provided but not defined".
 */
public final class Flags {

    public enum Kind { BOOL, STRING, INT, UINT, DURATION, LIST, MAP }

    /** One defined flag. {@code example} is the word shown in {@code -name=<example>}. */
    public record Flag(String name, Kind kind, String example, String defaultText, String usage, boolean http,
                       String bucket) {
        public Flag(String name, Kind kind, String example, String defaultText, String usage, boolean http) {
            this(name, kind, example, defaultText, usage, http, name);
        }
    }

    private final Map<String, Flag> defs = new LinkedHashMap<>();
    private final Set<String> unsupported = new HashSet<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Flags bool(String name, String usage) {
        return define(new Flag(name, Kind.BOOL, "", "false", usage, false));
    }

    public Flags string(String name, String example, String defaultText, String usage) {
        return define(new Flag(name, Kind.STRING, example, defaultText, usage, false));
    }

    public Flags integer(String name, String example, String defaultText, String usage) {
        return define(new Flag(name, Kind.INT, example, defaultText, usage, false));
    }

    /** A Go duration ({@code 30s}, {@code 1m30s}), read back with {@link #getString}. */
    public Flags duration(String name, String example, String defaultText, String usage) {
        return define(new Flag(name, Kind.DURATION, example, defaultText, usage, false));
    }

    public Flags unsigned(String name, String example, String defaultText, String usage) {
        return define(new Flag(name, Kind.UINT, example, defaultText, usage, false));
    }

    public Flags list(String name, String example, String usage) {
        return define(new Flag(name, Kind.LIST, example, "[]", usage, false));
    }

    /**
     * A repeatable {@code key=value} flag (Consul's {@code FlagMapValue}): a later value for the same
     * key replaces the earlier one; a value without {@code =} is an error.
     */
    public Flags map(String name, String example, String usage) {
        return define(new Flag(name, Kind.MAP, example, "[]", usage, false));
    }

    /**
     * A repeatable flag whose values go into a list shared with other flags, in command-line
     * order (Consul keeps {@code -config-file} and {@code -config-dir} in one list).
     * {@link #getList} on the bucket name reads it back; each value is {@code name=value}.
     */
    public Flags listInto(String bucket, String name, String example, String usage) {
        return define(new Flag(name, Kind.LIST, example, "[]", usage, false, bucket));
    }

    /** Registers a flag shown under "HTTP API Options" in the usage text. */
    public Flags define(Flag flag) {
        defs.put(flag.name(), flag);
        return this;
    }

    /** Adds the HTTP client flags every client command of Consul accepts. */
    public Flags httpClientFlags(boolean serverFlags) {
        define(new Flag("http-addr", Kind.STRING, "address", "",
                "The `address` and port of the Conclave HTTP agent. The value can be an IP address or DNS "
                        + "address, but it must also include the port. This can also be specified via the "
                        + "CONSUL_HTTP_ADDR (or CONCLAVE_HTTP_ADDR) environment variable. The default value "
                        + "is http://127.0.0.1:8500.", true));
        define(new Flag("token", Kind.STRING, "value", "",
                "ACL token to use in the request. This can also be specified via the CONSUL_HTTP_TOKEN "
                        + "environment variable. If unspecified, the query will default to the token of the "
                        + "agent at the HTTP address.", true));
        if (serverFlags) {
            define(new Flag("datacenter", Kind.STRING, "value", "",
                    "Name of the datacenter to query. If unspecified, this will default to the datacenter "
                            + "of the queried agent.", true));
            define(new Flag("stale", Kind.BOOL, "", "false",
                    "Permit any server (non-leader) to respond to this request. This allows for lower "
                            + "latency and higher throughput, but can result in stale data. This option has no "
                            + "effect on non-read operations. The default value is false.", true));
        }
        // Consul's TLS and namespace client flags: known, not implemented yet.
        return unsupported("token-file", "ca-file", "ca-path", "client-cert", "client-key", "tls-server-name",
                "namespace", "partition");
    }

    public Flags unsupported(String... names) {
        Collections.addAll(unsupported, names);
        return this;
    }

    public List<Flag> definitions() {
        return List.copyOf(defs.values());
    }

    /**
     * Parses {@code args} and returns the arguments left after the flags.
     *
     * @throws FlagException with Go's wording for unknown flags, missing or malformed values
     */
    public List<String> parse(List<String> args) throws FlagException {
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                break;
            }
            int minuses = 1;
            if (arg.charAt(1) == '-') {
                minuses = 2;
                if (arg.length() == 2) { // "--" ends the flags
                    i++;
                    break;
                }
            }
            String name = arg.substring(minuses);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                throw new FlagException("bad flag syntax: " + arg, true);
            }
            i++;
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Flag flag = defs.get(name);
            if (flag == null) {
                if (name.equals("help") || name.equals("h")) {
                    throw new FlagException("", true);
                }
                if (unsupported.contains(name)) {
                    throw new FlagException(
                            "==> flag -" + name + " is not supported by this version of Conclave yet", false);
                }
                throw new FlagException("flag provided but not defined: -" + name, true);
            }
            if (flag.kind() == Kind.BOOL) {
                if (value == null) {
                    values.put(name, Boolean.TRUE);
                } else {
                    values.put(name, parseBool(value, name));
                }
                continue;
            }
            if (value == null) {
                if (i >= args.size()) {
                    throw new FlagException("flag needs an argument: -" + name, true);
                }
                value = args.get(i++);
            }
            set(flag, value);
        }
        return List.copyOf(args.subList(i, args.size()));
    }

    private void set(Flag flag, String value) throws FlagException {
        switch (flag.kind()) {
            case STRING -> values.put(flag.name(), value);
            case DURATION -> {
                try {
                    GoDuration.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new FlagException("invalid value \"" + value + "\" for flag -" + flag.name()
                            + ": parse error", true);
                }
                values.put(flag.name(), value);
            }
            case LIST -> {
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) values.computeIfAbsent(flag.bucket(), k -> new ArrayList<String>());
                list.add(flag.bucket().equals(flag.name()) ? value : flag.name() + "=" + value);
            }
            case MAP -> {
                int eq = value.indexOf('=');
                if (eq < 0) {
                    throw new FlagException("invalid value \"" + value + "\" for flag -" + flag.name()
                            + ": Missing \"=\" value in argument: " + value, true);
                }
                @SuppressWarnings("unchecked")
                Map<String, String> map = (Map<String, String>) values.computeIfAbsent(flag.name(),
                        k -> new LinkedHashMap<String, String>());
                map.put(value.substring(0, eq), value.substring(eq + 1));
            }
            case INT -> values.put(flag.name(), parseLong(value, flag.name(), false));
            case UINT -> values.put(flag.name(), parseLong(value, flag.name(), true));
            default -> throw new IllegalStateException(flag.kind().toString());
        }
    }

    private static Boolean parseBool(String s, String name) throws FlagException {
        switch (s) {
            case "1", "t", "T", "TRUE", "true", "True":
                return Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False":
                return Boolean.FALSE;
            default:
                throw new FlagException("invalid boolean value \"" + s + "\" for -" + name + ": parse error", true);
        }
    }

    private static long parseLong(String s, String name, boolean unsigned) throws FlagException {
        String digits = s.replace("_", "");
        int radix = 10;
        boolean neg = false;
        if (digits.startsWith("-") || digits.startsWith("+")) {
            neg = digits.startsWith("-");
            digits = digits.substring(1);
        }
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0b") || digits.startsWith("0B")) {
            radix = 2;
            digits = digits.substring(2);
        } else if (digits.startsWith("0o") || digits.startsWith("0O")) {
            radix = 8;
            digits = digits.substring(2);
        }
        try {
            if (digits.isEmpty() || (unsigned && neg) || digits.startsWith("-") || digits.startsWith("+")) {
                throw new NumberFormatException();
            }
            long v = Long.parseLong(digits, radix);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            final int r = radix;
            boolean wellFormed = !digits.isEmpty() && !(unsigned && neg)
                    && digits.chars().allMatch(ch -> Character.digit(ch, r) >= 0);
            String reason = wellFormed ? "value out of range" : "parse error";
            throw new FlagException("invalid value \"" + s + "\" for flag -" + name + ": " + reason, true);
        }
    }

    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    public boolean getBool(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    public String getString(String name, String fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (String) v;
    }

    public long getLong(String name, long fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (Long) v;
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : List.copyOf((List<String>) v);
    }

    /** The {@code key=value} pairs of a {@link #map} flag, in command-line order. */
    @SuppressWarnings("unchecked")
    public Map<String, String> getMap(String name) {
        Object v = values.get(name);
        return v == null ? Map.of() : java.util.Collections.unmodifiableMap((Map<String, String>) v);
    }

    /**
     * The usage text as Consul's {@code flags.Usage} prints it: the help text, then "HTTP API
     * Options" and "Command Options", one flag per paragraph with its default in parentheses.
     */
    public String usage(String help) {
        StringBuilder out = new StringBuilder(help.strip()).append("\n\n");
        List<Flag> http = defs.values().stream().filter(Flag::http).toList();
        List<Flag> cmd = defs.values().stream().filter(f -> !f.http()).toList();
        if (!http.isEmpty()) {
            out.append("HTTP API Options\n\n");
            http.forEach(f -> printFlag(out, f));
        }
        if (!cmd.isEmpty()) {
            out.append("Command Options\n\n");
            cmd.forEach(f -> printFlag(out, f));
        }
        return out.toString().replaceAll("\n+$", "");
    }

    private static void printFlag(StringBuilder out, Flag f) {
        if (f.example().isEmpty()) {
            out.append("  -").append(f.name()).append('\n');
        } else {
            out.append("  -").append(f.name()).append("=<").append(f.example()).append(">\n");
        }
        String usage = f.usage().replace("`", "") + " (" + f.defaultText() + ")";
        out.append(wrap(usage, 72 - 5, "     ")).append("\n\n");
    }

    static String wrap(String text, int width, String pad) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.append(pad).append(line).append('\n');
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            out.append(pad).append(line);
        }
        return out.toString().replaceAll("\n$", "");
    }
}
