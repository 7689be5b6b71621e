package io.conclave.agent.internal;

import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.Weights;
import io.conclave.api.time.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Service and check definitions as Consul reads them ({@code structs.ServiceDefinition},
 * {@code structs.CheckDefinition}, {@code CheckType.Validate}, {@code agent_endpoint.go}), with Consul's
 * defaults and error texts. Errors are {@link IllegalArgumentException}s whose message is the HTTP 400 body.
 */
final class Definitions {

    static final String MISSING_SERVICE_NAME = "Missing service name";
    static final String MISSING_CHECK_NAME = "Missing check name";
    static final String BAD_CHECK_STATUS = "Bad check status";
    static final String BAD_SERVICE_CHECK_STATUS = "Status for checks must 'passing', 'warning', 'critical'";

    static final Set<String> BUILTIN_TYPES = Set.of("script", "docker", "http", "tcp", "grpc", "h2ping", "udp", "ttl",
            "alias");
    private static final Set<String> INTERVAL_TYPES = Set.of("script", "docker", "http", "tcp", "grpc", "h2ping", "udp");

    /** Keys the agent itself reads; everything else in a check belongs to its type. */
    private static final Set<String> AGENT_KEYS = Set.of("id", "name", "notes", "service_id", "status", "interval",
            "timeout", "deregister_critical_service_after", "success_before_passing", "failures_before_warning",
            "failures_before_critical", "output_max_size", "type", "token", "namespace", "partition");

    /** Consul's type-specific check keys, handed to the type in snake_case. */
    private static final List<String> PARAM_KEYS = List.of("http", "method", "header", "body", "tls_server_name",
            "tls_skip_verify", "disable_redirects", "tcp", "udp", "args", "ttl", "grpc", "grpc_use_tls", "h2ping",
            "h2ping_use_tls", "docker_container_id", "shell", "alias_node", "alias_service", "script");
    private static final Set<String> BOOLEAN_PARAMS = Set.of("tls_skip_verify", "disable_redirects", "grpc_use_tls",
            "h2ping_use_tls");

    private static final Pattern META_KEY = Pattern.compile("^[a-zA-Z0-9_-]+$");
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    private Definitions() {
    }

    /** A check definition's problem with its type ({@code CheckType.Validate}); callers prefix {@code Invalid check: }. */
    static final class InvalidCheck extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidCheck(String message) {
            super(message);
        }
    }

    // ---- services ----

    static ServiceDef service(Map<String, ?> raw, Source source) {
        Fields f = new Fields(raw);
        String name = f.string("name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(MISSING_SERVICE_NAME);
        }
        String address = f.string("address");
        if (isAny(address)) {
            throw new IllegalArgumentException("Invalid service address");
        }
        String kind = f.string("kind");
        if (!kind.isEmpty()) {
            throw new IllegalArgumentException("Invalid service: kind \"" + kind + "\" is not supported yet");
        }
        String id = f.string("id");
        if (id.isEmpty()) {
            id = name;
        }
        int port = f.integer("port", 0);
        Weights weights = weights(f, source);
        Map<String, String> meta = f.stringMap("meta");
        String metaError = validateMeta(meta);
        if (metaError != null) {
            throw new IllegalArgumentException("Invalid Service Meta: " + metaError);
        }
        Map<String, ServiceAddress> tagged = taggedAddresses(f);
        addDefaultTaggedAddresses(tagged, address, port);

        List<Fields> rawChecks = new ArrayList<>();
        if (f.get("check") != null) {
            Fields c = Fields.of(f.get("check"), "Check");
            if (!c.isEmpty()) {
                rawChecks.add(c);
            }
        }
        if (f.get("checks") != null) {
            if (!(f.get("checks") instanceof List<?> list)) {
                throw Fields.decode("Checks must be a list of objects");
            }
            for (Object o : list) {
                Fields c = Fields.of(o, "Checks");
                if (!c.isEmpty()) {
                    rawChecks.add(c);
                }
            }
        }
        List<CheckDef> checks = new ArrayList<>(rawChecks.size());
        for (Fields c : rawChecks) {
            CheckDef def = parseCheck(c);
            try {
                validate(def);
            } catch (InvalidCheck e) {
                throw new IllegalArgumentException("Invalid check: " + e.getMessage());
            }
            if (!def.status().isEmpty() && !Health.isStatus(def.status())) {
                throw new IllegalArgumentException(BAD_SERVICE_CHECK_STATUS);
            }
            checks.add(def);
        }
        List<CheckDef> named = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            CheckDef c = checks.get(i);
            String checkId = c.id();
            if (checkId.isEmpty()) {
                checkId = "service:" + id + (checks.size() > 1 ? ":" + (i + 1) : "");
            }
            String checkName = c.name().isEmpty() ? "Service '" + name + "' check" : c.name();
            named.add(c.withIdentity(checkId, checkName, id));
        }
        NodeService service = new NodeService("", id, name, f.strings("tags"), address, tagged, meta, port, weights,
                f.bool("enable_tag_override"), 0, 0);
        return new ServiceDef(service, named);
    }

    private static Weights weights(Fields f, Source source) {
        if (f.get("weights") == null) {
            return Weights.DEFAULT;
        }
        Fields w = Fields.of(f.get("weights"), "Weights");
        // Config files default each missing weight to 1; the HTTP API decodes a missing one as 0 and refuses it.
        int def = source == Source.LOCAL ? 1 : 0;
        int passing = w.integer("passing", def);
        int warning = w.integer("warning", def);
        if (passing < 1) {
            throw new IllegalArgumentException("Invalid Weights: Passing must be greater than 0");
        }
        if (warning < 0) {
            throw new IllegalArgumentException("Invalid Weights: Warning must be greater or equal than 0");
        }
        return new Weights(passing, warning);
    }

    private static Map<String, ServiceAddress> taggedAddresses(Fields f) {
        Object v = f.get("tagged_addresses");
        Map<String, ServiceAddress> out = new TreeMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw Fields.decode("TaggedAddresses must be an object");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Fields a = Fields.of(e.getValue(), "TaggedAddresses." + e.getKey());
            out.put(String.valueOf(e.getKey()), new ServiceAddress(a.string("address"), a.integer("port", 0)));
        }
        String lan4 = out.containsKey("lan_ipv4") ? out.get("lan_ipv4").address() : null;
        String wan4 = out.containsKey("wan_ipv4") ? out.get("wan_ipv4").address() : null;
        if ((lan4 != null && !IPV4.matcher(lan4).matches()) || (wan4 != null && !IPV4.matcher(wan4).matches())) {
            throw new IllegalArgumentException("Service tagged address \"" + (lan4 != null && !IPV4.matcher(lan4).matches()
                    ? "lan_ipv4" : "wan_ipv4") + "\" must be a valid ipv4 address");
        }
        return out;
    }

    /** Consul fills {@code lan_ipv4}/{@code wan_ipv4} (or the ipv6 pair) from an IP-literal service address. */
    private static void addDefaultTaggedAddresses(Map<String, ServiceAddress> tagged, String address, int port) {
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4 && address.indexOf(':') >= 0 && address.matches("^[0-9a-fA-F:.]+$");
        if (v4) {
            tagged.putIfAbsent("lan_ipv4", new ServiceAddress(address, port));
            tagged.putIfAbsent("wan_ipv4", new ServiceAddress(address, port));
        } else if (v6) {
            tagged.putIfAbsent("lan_ipv6", new ServiceAddress(address, port));
            tagged.putIfAbsent("wan_ipv6", new ServiceAddress(address, port));
        }
    }

    static boolean isAny(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")
                || address.equals("0:0:0:0:0:0:0:0");
    }

    /** Consul's {@code validateMetadata} for services; null when valid. */
    static String validateMeta(Map<String, String> meta) {
        if (meta.size() > 64) {
            return "Node metadata cannot contain more than 64 key/value pairs";
        }
        for (Map.Entry<String, String> e : new TreeMap<>(meta).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            String problem = null;
            if (key.isEmpty()) {
                problem = "Key cannot be blank";
            } else if (!META_KEY.matcher(key).matches()) {
                problem = "Key contains invalid characters";
            } else if (key.length() > 128) {
                problem = "Key is too long (limit: 128 characters)";
            } else if (key.startsWith("consul-")) {
                problem = "Key prefix 'consul-' is reserved for internal use";
            } else if (value.length() > 512) {
                problem = "Value is too long (limit: 512 characters)";
            }
            if (problem != null) {
                return "Couldn't load metadata pair ('" + key + "', '" + value + "'): " + problem;
            }
        }
        return null;
    }

    // ---- checks ----

    /**
     * A check registered on its own ({@code PUT /v1/agent/check/register} or a config file's {@code checks}),
     * validated in Consul's order: name, status, type. Its ID defaults to its name.
     */
    static CheckDef check(Map<String, ?> raw) {
        Fields f = new Fields(raw);
        CheckDef def = parseCheck(f);
        if (def.name().isEmpty()) {
            throw new IllegalArgumentException(MISSING_CHECK_NAME);
        }
        if (!def.status().isEmpty() && !Health.isStatus(def.status())) {
            throw new IllegalArgumentException(BAD_CHECK_STATUS);
        }
        try {
            validate(def);
        } catch (InvalidCheck e) {
            throw new IllegalArgumentException("Invalid check: " + e.getMessage());
        }
        String id = def.id().isEmpty() ? def.name() : def.id();
        return def.withIdentity(id, def.name(), f.string("service_id"));
    }

    static CheckDef parseCheck(Fields f) {
        String explicit = f.string("type").trim();
        List<String> args = f.strings("args");
        if (args.isEmpty() && !f.string("script").isEmpty()) {
            // Consul's long-removed "script" string, run the way it once was: through the shell.
            args = List.of("/bin/sh", "-c", f.string("script"));
        }
        Duration ttl = f.duration("ttl");
        String type;
        if (!explicit.isEmpty()) {
            type = explicit;
        } else if (!f.string("docker_container_id").isEmpty()) {
            type = "docker";
        } else if (!f.string("grpc").isEmpty()) {
            type = "grpc";
        } else if (!f.string("h2ping").isEmpty()) {
            type = "h2ping";
        } else if (!f.string("http").isEmpty()) {
            type = "http";
        } else if (!f.string("tcp").isEmpty()) {
            type = "tcp";
        } else if (!f.string("udp").isEmpty()) {
            type = "udp";
        } else if (ttl.compareTo(Duration.ZERO) > 0) {
            type = "ttl";
        } else if (!f.string("alias_node").isEmpty() || !f.string("alias_service").isEmpty()) {
            type = "alias";
        } else if (!args.isEmpty()) {
            type = "script";
        } else {
            type = "";
        }

        Map<String, Object> params = new LinkedHashMap<>();
        for (String key : PARAM_KEYS) {
            if (key.equals("script") || !f.has(key)) {
                continue;
            }
            Object value = switch (key) {
                case "header" -> f.header(key);
                case "args" -> args;
                case "ttl" -> ttl.isZero() ? null : GoDuration.format(ttl);
                default -> BOOLEAN_PARAMS.contains(key) ? (Object) f.bool(key) : f.string(key);
            };
            if (value != null && !(value instanceof String s && s.isEmpty())
                    && !(value instanceof java.util.Collection<?> c && c.isEmpty())
                    && !(value instanceof Map<?, ?> m && m.isEmpty())) {
                params.put(key, value);
            }
        }
        if (!args.isEmpty()) {
            params.put("args", args);
        }
        if (!explicit.isEmpty()) {
            Set<String> known = new java.util.HashSet<>(AGENT_KEYS);
            known.addAll(PARAM_KEYS);
            known.add("check_id");
            known.add("script_args");
            for (Map.Entry<String, Object> e : f.others(known).entrySet()) {
                params.putIfAbsent(e.getKey(), e.getValue());
            }
        }

        int failuresBeforeCritical = Math.max(0, f.integer("failures_before_critical", 0));
        int failuresBeforeWarning = Math.max(0, f.integer("failures_before_warning", 0));
        return new CheckDef(f.string("id"), f.string("name"), f.string("notes"), f.string("service_id"),
                f.string("status"), type, f.duration("interval"), f.duration("timeout"), ttl, params,
                f.duration("deregister_critical_service_after"),
                Math.max(0, f.integer("success_before_passing", 0)),
                // Consul: failures_before_warning defaults to failures_before_critical
                failuresBeforeWarning == 0 ? failuresBeforeCritical : failuresBeforeWarning,
                failuresBeforeCritical,
                f.integer("output_max_size", 0));
    }

    /** Consul's {@code CheckType.Validate}, with Conclave's custom types needing an interval unless they use a TTL. */
    static void validate(CheckDef c) {
        boolean alias = c.type().equals("alias");
        boolean custom = !c.type().isEmpty() && !BUILTIN_TYPES.contains(c.type());
        boolean positiveInterval = c.interval().compareTo(Duration.ZERO) > 0;
        boolean positiveTtl = c.ttl().compareTo(Duration.ZERO) > 0;
        boolean intervalCheck = INTERVAL_TYPES.contains(c.type()) || (custom && !positiveTtl);
        if (positiveInterval && positiveTtl) {
            throw new InvalidCheck("Interval and TTL cannot both be specified");
        }
        if (intervalCheck && !positiveInterval) {
            throw new InvalidCheck(custom ? "Interval must be > 0 for \"" + c.type() + "\" checks"
                    : "Interval must be > 0 for Script, HTTP, or TCP checks");
        }
        if (alias && positiveInterval) {
            throw new InvalidCheck("Interval cannot be set for Alias checks");
        }
        if (alias && positiveTtl) {
            throw new InvalidCheck("TTL must be not be set for Alias checks");
        }
        if (!intervalCheck && !alias && !positiveTtl) {
            throw new InvalidCheck("TTL must be > 0 for TTL checks");
        }
        if (c.outputMaxSize() < 0) {
            throw new InvalidCheck("MaxOutputMaxSize must be positive");
        }
        if (c.timeout().isNegative()) {
            throw new InvalidCheck("Timeout must not be negative");
        }
    }
}
