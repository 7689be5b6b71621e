package io.conclave.launcher.config;

import io.conclave.api.time.GoDuration;
import io.conclave.launcher.config.Schema.Field;
import io.conclave.launcher.config.Schema.Kind;
import io.conclave.launcher.json.Json;
import io.conclave.launcher.json.JsonException;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads configuration sources and merges them the way Consul's {@code agent/config/builder.go}
 * does:
 *
 * <ol>
 *   <li>command-line flags that are lists ({@code -recursor}) come first, so that files append to
 *       them;</li>
 *   <li>then every {@code -config-file} / {@code -config-dir} in command-line order, a directory's
 *       {@code *.json} and {@code *.hcl} files in lexical order (other files are skipped with a
 *       warning; sub-directories are not read);</li>
 *   <li>then the other flags, then each {@code -hcl} fragment.</li>
 * </ol>
 *
 * <p>Merging ({@code agent/config/merge.go}): objects ({@code ports}, {@code dns_config}) merge key
 * by key; lists ({@code services}, {@code checks}, {@code recursors}) are concatenated; free-form
 * maps ({@code node_meta}, {@code dns_config.service_ttl}) are replaced as a whole by a later
 * non-empty map; everything else: the last value wins. A source's {@code service} and {@code check}
 * are appended to its {@code services} and {@code checks} before merging.
 *
 * <p>Each source is validated on its own, so an error names the file and the key:
 * {@code Error parsing conf.d/web.json: service.check.interval: invalid duration: "10x": ...}.
 * Service and check definitions are kept as written (their keys untouched), only reshaped where
 * HCL's blocks make single objects look like lists.
 */
public final class ConfigLoader {

    /** One configuration source. {@code format} is {@code json} or {@code hcl}. */
    public record Source(String name, String format, String text) {
    }

    private ConfigLoader() {
    }

    // ------------------------------------------------------------------ sources

    /**
     * The sources behind one {@code -config-file}/{@code -config-dir} path, as Consul's
     * {@code sourcesFromPath}: a file, or a directory's files sorted by name.
     *
     * @param format {@code ""}, {@code json} or {@code hcl} ({@code -config-format})
     */
    public static List<Source> sourcesFromPath(String path, String format, List<String> warnings)
            throws ConfigException {
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            throw new ConfigException("config: Open failed on " + path + ". open " + path
                    + ": no such file or directory");
        }
        if (!Files.isDirectory(p)) {
            if (!shouldParse(path, format)) {
                warnings.add("skipping file " + path + ", extension must be .hcl or .json, or config format must be set");
                return List.of();
            }
            return List.of(read(p, path, format));
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(p)) {
            entries = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new ConfigException("config: Readdir failed on " + path + ". " + e.getMessage());
        }
        List<Source> out = new ArrayList<>();
        for (Path e : entries) {
            String name = p.resolve(e.getFileName()).toString();
            if (Files.isDirectory(e)) {
                continue; // Consul does not recurse
            }
            if (!shouldParse(name, format)) {
                warnings.add("skipping file " + name + ", extension must be .hcl or .json, or config format must be set");
                continue;
            }
            out.add(read(e, name, format));
        }
        return out;
    }

    private static boolean shouldParse(String name, String format) {
        return !format.isEmpty() || name.endsWith(".json") || name.endsWith(".hcl");
    }

    private static Source read(Path p, String name, String format) throws ConfigException {
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config: failed to read " + name + ": open " + name + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new ConfigException("config: failed to read " + name + ": open " + name + ": permission denied");
        } catch (IOException e) {
            throw new ConfigException("config: failed to read " + name + ": " + e.getMessage());
        }
        String f = format.isEmpty() ? (name.endsWith(".hcl") ? "hcl" : "json") : format;
        return new Source(name, f, text);
    }

    /** Checks a {@code -config-format} value, with Consul's message. */
    public static void checkFormat(String format) throws ConfigException {
        if (!format.isEmpty() && !format.equals("json") && !format.equals("hcl")) {
            throw new ConfigException("config: -config-format must be either 'hcl' or 'json'");
        }
    }

    // ------------------------------------------------------------------ parse + validate

    /** Parses a source and validates it: the result is ready to {@link #merge}. */
    public static Map<String, Object> load(Source source, List<String> warnings) throws ConfigException {
        Map<String, Object> raw = parse(source);
        return new Validator(source.name(), warnings).top(raw);
    }

    /** Validates a tree that did not come from text (the flags). */
    public static Map<String, Object> validate(String sourceName, Map<String, Object> tree, List<String> warnings)
            throws ConfigException {
        return new Validator(sourceName, warnings).top(tree);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(Source source) throws ConfigException {
        if (source.text().isBlank()) {
            return new LinkedHashMap<>(); // Consul: ErrNoData, the source is skipped
        }
        Object root;
        try {
            root = source.format().equals("hcl") ? Hcl.parse(source.text()) : Json.parse(source.text());
        } catch (Hcl.HclException | JsonException e) {
            throw new ConfigException("Error parsing " + source.name() + ": " + e.getMessage());
        }
        if (!(root instanceof Map)) {
            throw new ConfigException("Error parsing " + source.name() + ": the top level must be an object, got "
                    + Json.write(root));
        }
        return (Map<String, Object>) root;
    }

    // ------------------------------------------------------------------ merge

    /** Merges {@code b} over {@code a} (both validated), Consul's {@code Merge}. */
    public static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        return merge(a, b, Schema.TOP);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b, Map<String, Field> schema) {
        Map<String, Object> out = new LinkedHashMap<>(a);
        for (Map.Entry<String, Object> e : b.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            Field f = schema.get(key);
            Object old = out.get(key);
            if (f == null || old == null) {
                out.put(key, value);
                continue;
            }
            switch (f.kind()) {
                case OBJECT -> out.put(key, merge((Map<String, Object>) old, (Map<String, Object>) value, f.children()));
                case STRING_LIST, SERVICE_LIST, CHECK_LIST -> {
                    List<Object> l = new ArrayList<>((List<Object>) old);
                    l.addAll((List<Object>) value);
                    out.put(key, l);
                }
                case STRING_MAP, DURATION_MAP, HEADER_MAP, ADDRESS_MAP -> {
                    if (!((Map<?, ?>) value).isEmpty()) {
                        out.put(key, value);
                    }
                }
                default -> out.put(key, value);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ validation

    private static final Pattern META_KEY = Pattern.compile("^[a-zA-Z0-9_-]+$");

    /**
     * Walks one source's tree against the schema: checks types and values, reports unknown keys
     * (all of them, as Consul does), rewrites configuration keys to their canonical spelling and
     * unwraps HCL's one-element block lists.
     */
    private static final class Validator {
        private final String source;
        private final List<String> warnings;
        private final List<String> unknown = new ArrayList<>();

        Validator(String source, List<String> warnings) {
            this.source = source;
            this.warnings = warnings;
        }

        private static final Set<String> JOIN_LISTS =
                Set.of("start_join", "retry_join", "start_join_wan", "retry_join_wan");

        ConfigException error(String path, String reason) {
            return new ConfigException("Error parsing " + source + ": " + path + ": " + reason);
        }

        Map<String, Object> top(Map<String, Object> raw) throws ConfigException {
            Map<String, Object> out = object(raw, Schema.TOP, "");
            // `service` and `check` join this source's lists before merging (builder.go).
            moveInto(out, "service", "services");
            moveInto(out, "check", "checks");
            if (!unknown.isEmpty()) {
                if (unknown.size() == 1) {
                    throw new ConfigException("Error parsing " + source + ": invalid config key " + unknown.get(0));
                }
                StringBuilder sb = new StringBuilder("Error parsing " + source + ": " + unknown.size()
                        + " errors occurred:");
                for (String k : unknown) {
                    sb.append("\n\t* invalid config key ").append(k);
                }
                throw new ConfigException(sb.toString());
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        private void moveInto(Map<String, Object> out, String single, String list) {
            Object one = out.remove(single);
            if (one != null) {
                List<Object> l = new ArrayList<>((List<Object>) out.getOrDefault(list, List.of()));
                l.add(one);
                out.put(list, l);
            }
        }

        private static String join(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private Map<String, Object> object(Map<String, Object> raw, Map<String, Field> schema, String path)
                throws ConfigException {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : raw.entrySet()) {
                String key = e.getKey();
                Field f = schema.get(key);
                if (f == null) {
                    f = schema.get(key.toLowerCase(Locale.ROOT)); // mapstructure matches names case-insensitively
                }
                String p = join(path, key);
                if (f == null) {
                    unknown.add(p);
                    continue;
                }
                if (!f.supported()) {
                    throw new ConfigException("Error parsing " + source + ": config key " + join(path, f.name())
                            + " is not supported by this version of Conclave yet");
                }
                out.put(f.name(), value(e.getValue(), f, join(path, f.name())));
            }
            return out;
        }

        /** HCL writes {@code ports { }} as a list holding one object; Consul takes the one item. */
        private Object single(Object v, String path, String what) throws ConfigException {
            if (v instanceof List<?> l && l.size() == 1) {
                return l.get(0);
            }
            if (v instanceof List<?> l && l.size() > 1 && l.get(0) instanceof Map) {
                throw error(path, "expected a single " + what + ", got " + l.size()
                        + (path.equals("service") ? " (use `services` for several)" : path.equals("check")
                        ? " (use `checks` for several)" : ""));
            }
            return v;
        }

        @SuppressWarnings("unchecked")
        Object value(Object v, Field f, String path) throws ConfigException {
            switch (f.kind()) {
                case STRING -> {
                    v = single(v, path, "value");
                    if (!(v instanceof String s)) {
                        throw expected(path, "a string", v);
                    }
                    checkAddress(path, s);
                    return s;
                }
                case BOOL -> {
                    v = single(v, path, "value");
                    if (!(v instanceof Boolean)) {
                        throw expected(path, "a boolean", v);
                    }
                    return v;
                }
                case INT -> {
                    long n = integer(single(v, path, "value"), path, Integer.MIN_VALUE, Integer.MAX_VALUE);
                    if ((path.equals("dns_config.udp_answer_limit") || path.equals("dns_config.a_record_limit")
                            || path.equals("bootstrap_expect") || path.equals("limits.http_max_conns_per_client"))
                            && n < 0) {
                        throw new ConfigException("Error parsing " + source + ": " + path + " cannot be " + n
                                + ". Must be greater than or equal to zero");
                    }
                    return n;
                }
                case UINT32 -> {
                    return integer(single(v, path, "value"), path, 0, 0xFFFF_FFFFL);
                }
                case UINT64 -> {
                    return integer(single(v, path, "value"), path, 0, Long.MAX_VALUE);
                }
                case PORT -> {
                    long n = integer(single(v, path, "value"), path, Integer.MIN_VALUE, Integer.MAX_VALUE);
                    if (n > 65535) {
                        throw new ConfigException("Error parsing " + source + ": " + path + ": invalid port: " + n);
                    }
                    return n;
                }
                case DURATION -> {
                    v = single(v, path, "value");
                    if (!(v instanceof String s)) {
                        throw expected(path, "a duration string such as \"10s\"", v);
                    }
                    duration(path, s);
                    return s;
                }
                case STRING_LIST -> {
                    if (!(v instanceof List<?> l)) {
                        throw expected(path, "a list of strings", v);
                    }
                    List<Object> out = new ArrayList<>();
                    for (int i = 0; i < l.size(); i++) {
                        if (!(l.get(i) instanceof String s)) {
                            throw expected(path + "[" + i + "]", "a string", l.get(i));
                        }
                        if (path.equals("recursors")) {
                            checkRecursor(path + "[" + i + "]", s);
                        }
                        if (JOIN_LISTS.contains(path)) {
                            checkJoinAddress(path + "[" + i + "]", s);
                        }
                        out.add(s);
                    }
                    return out;
                }
                case STRING_MAP -> {
                    Map<String, Object> m = map(v, path);
                    for (Map.Entry<String, Object> e : m.entrySet()) {
                        Object x = single(e.getValue(), path, "value");
                        if (!(x instanceof String)) {
                            throw expected(path + "[\"" + e.getKey() + "\"]", "a string", x);
                        }
                        e.setValue(x);
                    }
                    if (path.equals("node_meta")) {
                        String err = metaError(m, "Node metadata");
                        if (err != null) {
                            throw error(path, "node_meta invalid: " + err);
                        }
                    }
                    return m;
                }
                case DURATION_MAP -> {
                    Map<String, Object> m = map(v, path);
                    for (Map.Entry<String, Object> e : m.entrySet()) {
                        String p = path + "[\"" + e.getKey() + "\"]";
                        Object x = single(e.getValue(), p, "value");
                        if (!(x instanceof String s)) {
                            throw expected(p, "a duration string such as \"10s\"", x);
                        }
                        duration(p, s);
                        e.setValue(s);
                    }
                    return m;
                }
                case HEADER_MAP -> {
                    Map<String, Object> m = map(v, path);
                    for (Map.Entry<String, Object> e : m.entrySet()) {
                        Field list = new Field(e.getKey(), Kind.STRING_LIST, true, null, null);
                        e.setValue(value(e.getValue(), list, path + "[\"" + e.getKey() + "\"]"));
                    }
                    return m;
                }
                case ADDRESS_MAP -> {
                    Map<String, Object> m = map(v, path);
                    for (Map.Entry<String, Object> e : m.entrySet()) {
                        String p = path + "[\"" + e.getKey() + "\"]";
                        e.setValue(definition(single(e.getValue(), p, "object"), f.children(), p, false));
                    }
                    return m;
                }
                case OBJECT -> {
                    if (f.apiName() != null) { // inside a definition (weights)
                        return definition(single(v, path, "object"), f.children(), path, false);
                    }
                    Object o = single(v, path, "object");
                    if (!(o instanceof Map)) {
                        throw expected(path, "an object", o);
                    }
                    return object((Map<String, Object>) o, f.children(), path);
                }
                case SERVICE -> {
                    return service(single(v, path, "service"), path);
                }
                case CHECK -> {
                    return check(single(v, path, "check"), path, null);
                }
                case SERVICE_LIST -> {
                    List<Object> out = new ArrayList<>();
                    List<?> l = v instanceof Map ? List.of(v) : v instanceof List<?> x ? x : null;
                    if (l == null) {
                        throw expected(path, "a list of service definitions", v);
                    }
                    for (int i = 0; i < l.size(); i++) {
                        out.add(service(l.get(i), path + "[" + i + "]"));
                    }
                    return out;
                }
                case CHECK_LIST -> {
                    List<Object> out = new ArrayList<>();
                    List<?> l = v instanceof Map ? List.of(v) : v instanceof List<?> x ? x : null;
                    if (l == null) {
                        throw expected(path, "a list of check definitions", v);
                    }
                    for (int i = 0; i < l.size(); i++) {
                        out.add(check(l.get(i), path + "[" + i + "]", null));
                    }
                    return out;
                }
                default -> {
                    return v;
                }
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> map(Object v, String path) throws ConfigException {
            // mapstructure merges a list of maps into one map (HCL's repeated blocks)
            if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof Map)) {
                Map<String, Object> m = new LinkedHashMap<>();
                l.forEach(x -> m.putAll((Map<String, Object>) x));
                return m;
            }
            if (!(v instanceof Map)) {
                throw expected(path, "an object", v);
            }
            return new LinkedHashMap<>((Map<String, Object>) v);
        }

        private long integer(Object v, String path, long min, long max) throws ConfigException {
            long n;
            if (v instanceof Long l) {
                n = l;
            } else if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
                n = d.longValue();
            } else if (v instanceof BigInteger) {
                throw error(path, "value " + v + " out of range");
            } else {
                throw expected(path, "an integer", v);
            }
            if (n < min || n > max) {
                throw error(path, "value " + n + " out of range");
            }
            return n;
        }

        private void duration(String path, String s) throws ConfigException {
            try {
                GoDuration.parse(s);
            } catch (IllegalArgumentException e) {
                throw error(path, "invalid duration: " + Json.write(s) + ": " + e.getMessage());
            }
        }

        private ConfigException expected(String path, String what, Object got) {
            return error(path, "expected " + what + ", got " + Json.write(got));
        }

        /** {@code client_addr}, {@code bind_addr}, ...: IP literals only (no go-sockaddr templates yet). */
        private void checkAddress(String path, String s) throws ConfigException {
            boolean many = path.equals("client_addr") || path.equals("addresses.http") || path.equals("addresses.dns");
            boolean one = path.equals("bind_addr") || path.equals("advertise_addr")
                    || path.equals("advertise_addr_wan");
            if (!many && !one) {
                return;
            }
            if (s.contains("{{")) {
                throw error(path, "go-sockaddr templates are not supported by this version of Conclave yet");
            }
            String[] fields = s.strip().isEmpty() ? new String[0] : s.strip().split("\\s+");
            for (String a : fields) {
                if (a.startsWith("unix://")) {
                    throw error(path, "unix sockets are not supported by this version of Conclave yet");
                }
                if (!Addresses.isIp(a)) {
                    throw error(path, "invalid ip address: " + a);
                }
            }
            if (path.equals("bind_addr") && fields.length > 1) {
                throw error(path, "bind_addr cannot contain multiple addresses. Use 'addresses.{dns,http,https}' instead.");
            }
            if (path.startsWith("advertise_addr") && fields.length > 1) {
                throw error(path, "multiple addresses found: " + s.strip());
            }
            if (path.equals("advertise_addr") && fields.length == 1 && Addresses.isAny(fields[0])) {
                throw error(path, "Advertise address cannot be 0.0.0.0, :: or [::]");
            }
            if (path.equals("advertise_addr_wan") && fields.length == 1 && Addresses.isAny(fields[0])) {
                throw error(path, "Advertise WAN address cannot be 0.0.0.0, :: or [::]");
            }
        }

        /**
         * A {@code start_join}/{@code retry_join} entry: {@code host}, {@code host:port} or
         * {@code [v6]:port}; gossip resolves host names when it joins. Cloud auto-join and
         * go-sockaddr templates are Consul features Conclave does not have yet.
         */
        private void checkJoinAddress(String path, String s) throws ConfigException {
            String a = s.strip();
            if (a.isEmpty()) {
                throw error(path, "empty address");
            }
            if (a.contains("provider=")) {
                throw error(path, "cloud auto-join (provider=...) is not supported by this version of Conclave yet");
            }
            if (a.contains("{{")) {
                throw error(path, "go-sockaddr templates are not supported by this version of Conclave yet");
            }
            if (a.chars().anyMatch(Character::isWhitespace)) {
                throw error(path, "invalid address: " + a);
            }
            String port = null;
            if (a.startsWith("[")) {
                int close = a.indexOf(']');
                if (close < 0 || !Addresses.isIp(a.substring(1, close))) {
                    throw error(path, "invalid address: " + a);
                }
                if (close + 1 < a.length()) {
                    if (a.charAt(close + 1) != ':') {
                        throw error(path, "invalid address: " + a);
                    }
                    port = a.substring(close + 2);
                }
            } else if (a.indexOf(':') >= 0 && a.indexOf(':') == a.lastIndexOf(':')) {
                port = a.substring(a.indexOf(':') + 1);
                if (a.indexOf(':') == 0) {
                    throw error(path, "invalid address: " + a);
                }
            }
            if (port != null) {
                int p;
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    p = -1;
                }
                if (p < 1 || p > 65535) {
                    throw error(path, "invalid port in address " + a);
                }
            }
        }

        private void checkRecursor(String path, String s) throws ConfigException {
            if (s.contains("{{")) {
                throw error(path, "go-sockaddr templates are not supported by this version of Conclave yet");
            }
            for (String a : s.strip().split("\\s+")) {
                if (a.startsWith("unix://")) {
                    throw error(path, "DNS Recursors cannot be unix sockets: " + a);
                }
                String host = Addresses.hostOf(a);
                if (Addresses.isAny(host)) {
                    throw error(path, "DNS recursor address cannot be 0.0.0.0, :: or [::]");
                }
            }
        }

        // -------------------------------------------------------------- definitions

        /**
         * Checks a definition object (service, check, weights, tagged address) and returns it with
         * the keys as written, values reshaped.
         */
        @SuppressWarnings("unchecked")
        private Map<String, Object> definition(Object v, Map<String, Field> fields, String path, boolean open)
                throws ConfigException {
            if (!(v instanceof Map)) {
                throw expected(path, "an object", v);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                String key = e.getKey();
                Field f = fields == Schema.SERVICE ? Schema.serviceField(key)
                        : fields == Schema.CHECK ? Schema.checkField(key)
                        : fields.get(key.toLowerCase(Locale.ROOT));
                String p = join(path, key);
                if (f == null) {
                    if (open) {
                        out.put(key, e.getValue()); // a custom check type's own settings
                    } else {
                        unknown.add(p);
                    }
                    continue;
                }
                out.put(key, value(e.getValue(), f, p));
            }
            return out;
        }

        private Map<String, Object> service(Object v, String path) throws ConfigException {
            Map<String, Object> s = definition(v, Schema.SERVICE, path, false);
            Object name = get(s, Schema.SERVICE_BY_NORM, "name");
            if (name == null || ((String) name).isEmpty()) {
                throw error(path, "Service name missing");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) get(s, Schema.SERVICE_BY_NORM, "meta");
            if (meta != null) {
                String err = metaError(meta, "Service metadata");
                if (err != null) {
                    throw error(path, "invalid meta for service " + name + ": " + err);
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> weights = (Map<String, Object>) get(s, Schema.SERVICE_BY_NORM, "weights");
            if (weights != null) {
                Object passing = weights.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("passing"))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                Object warning = weights.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("warning"))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                if (passing != null && (Long) passing <= 0) {
                    throw error(path, "Invalid weight definition for service " + name
                            + ": Passing must be greater than 0");
                }
                if (warning != null && (Long) warning < 0) {
                    throw error(path, "Invalid weight definition for service " + name
                            + ": Warning must be greater or equal than 0");
                }
            }
            Object socket = get(s, Schema.SERVICE_BY_NORM, "socket_path");
            if (socket != null && (get(s, Schema.SERVICE_BY_NORM, "port") != null
                    || get(s, Schema.SERVICE_BY_NORM, "address") != null)) {
                throw error(path, "service " + name + " cannot have both socket path " + socket + " and address/port");
            }
            // a service's own checks: validated in place (definition() already recursed into them)
            return s;
        }

        private Map<String, Object> check(Object v, String path, String serviceName) throws ConfigException {
            Object probe = v instanceof Map<?, ?> m ? m.entrySet().stream()
                    .filter(e -> Schema.norm(String.valueOf(e.getKey())).equals("type"))
                    .map(Map.Entry::getValue).findFirst().orElse(null) : null;
            boolean custom = probe instanceof String t && !t.isEmpty();
            Map<String, Object> c = definition(v, Schema.CHECK, path, custom);
            Object status = get(c, Schema.CHECK_BY_NORM, "status");
            if (status != null && !List.of("passing", "warning", "critical").contains(status)) {
                throw error(path, "invalid check status " + Json.write(status)
                        + ": must be passing, warning or critical");
            }
            if (custom) {
                return c; // the check type's plugin validates its own settings
            }
            boolean top = !path.startsWith("service");
            Object name = get(c, Schema.CHECK_BY_NORM, "name");
            if (top && (name == null || ((String) name).isEmpty())) {
                throw error(path, "Missing check name");
            }
            boolean interval = get(c, Schema.CHECK_BY_NORM, "interval") != null
                    && GoDuration.parse((String) get(c, Schema.CHECK_BY_NORM, "interval")).toNanos() > 0;
            boolean ttl = get(c, Schema.CHECK_BY_NORM, "ttl") != null
                    && GoDuration.parse((String) get(c, Schema.CHECK_BY_NORM, "ttl")).toNanos() > 0;
            boolean script = get(c, Schema.CHECK_BY_NORM, "args") instanceof List<?> l && !l.isEmpty();
            boolean intervalCheck = script || nonEmpty(c, "http") || nonEmpty(c, "tcp") || nonEmpty(c, "udp")
                    || nonEmpty(c, "grpc") || nonEmpty(c, "h2ping");
            boolean alias = nonEmpty(c, "alias_node") || nonEmpty(c, "alias_service");
            if (interval && ttl) {
                throw error(path, "Interval and TTL cannot both be specified");
            }
            if (intervalCheck && !interval) {
                throw error(path, "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or GRPC checks");
            }
            if (!intervalCheck && !alias && !ttl) {
                throw error(path, "TTL must be > 0 for TTL checks");
            }
            return c;
        }

        private static boolean nonEmpty(Map<String, Object> c, String key) {
            return get(c, Schema.CHECK_BY_NORM, key) instanceof String s && !s.isEmpty();
        }
    }

    /** The value of a definition key however it was spelled ({@code Name}, {@code name}). */
    public static Object get(Map<String, Object> def, Map<String, Field> byNorm, String canonical) {
        for (Map.Entry<String, Object> e : def.entrySet()) {
            Field f = byNorm.get(Schema.norm(e.getKey()));
            if (f != null && f.name().equals(canonical)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Consul's {@code ValidateNodeMetadata} / {@code ValidateServiceMetadata} rules, or null if valid. */
    static String metaError(Map<String, Object> meta, String what) {
        if (meta.size() > 64) {
            return what + " cannot contain more than 64 key/value pairs";
        }
        for (Map.Entry<String, Object> e : meta.entrySet()) {
            String key = e.getKey();
            String value = String.valueOf(e.getValue());
            String err = null;
            if (key.isEmpty()) {
                err = "Key cannot be blank";
            } else if (!META_KEY.matcher(key).matches()) {
                err = "Key contains invalid characters";
            } else if (key.length() > 128) {
                err = "Key is too long (limit: 128 characters)";
            } else if (key.startsWith("consul-")) {
                err = "Key prefix 'consul-' is reserved for internal use";
            } else if (value.length() > 512) {
                err = "Value is too long (limit: 512 characters)";
            }
            if (err != null) {
                return "Couldn't load metadata pair ('" + key + "', '" + value + "'): " + err;
            }
        }
        return null;
    }
}
