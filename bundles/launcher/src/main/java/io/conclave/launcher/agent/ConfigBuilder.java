package io.conclave.launcher.agent;

import io.conclave.launcher.BuildInfo;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.config.Addresses;
import io.conclave.launcher.config.ConfigException;
import io.conclave.launcher.config.ConfigLoader;
import io.conclave.launcher.config.ConfigLoader.Source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns flags and configuration files into an {@link AgentConfig}: {@link ConfigLoader} reads and
 * merges the sources in Consul's order, then this class applies defaults
 * ({@code agent/config/default.go}) and the checks of Consul's {@code builder.build} and
 * {@code builder.validate} that apply to Conclave.
 */
public final class ConfigBuilder {

    /** {@code RUN} builds a configuration to start; {@code VALIDATE} only checks the files. */
    public enum Mode { RUN, VALIDATE }

    /**
     * @param hostname the default node name
     * @param nodeId   the node ID to keep (a reload keeps the running agent's), or null
     */
    public record Options(Mode mode, Supplier<String> hostname, String nodeId) {
    }

    private static final Pattern DATACENTER = Pattern.compile("^[a-z0-9_-]+$");
    private static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn", "err");

    static final String NO_UI = "The web UI is not available in this version of Conclave: ui, ui_config and -ui "
            + "have no effect yet";
    static final String SCRIPT_CHECKS = "using enable-script-checks without ACLs and without allow_write_http_from "
            + "is DANGEROUS, use enable-local-script-checks instead, see "
            + "https://www.hashicorp.com/blog/protecting-consul-from-rce-risk-in-specific-configurations/";

    private ConfigBuilder() {
    }

    /** The agent command's sources, merged: flag lists, files, other flags, {@code -hcl} fragments. */
    public static Map<String, Object> merge(Flags flags, List<String> warnings) throws ConfigException {
        List<String> paths = new ArrayList<>();
        for (String entry : flags.getList("config")) {
            paths.add(entry.substring(entry.indexOf('=') + 1));
        }
        Map<String, Object> values = flagValues(flags);
        Map<String, Object> slices = new LinkedHashMap<>();
        if (values.containsKey("recursors")) {
            slices.put("recursors", values.remove("recursors"));
        }
        return merge(paths, flags.getString("config-format", ""), slices, values, flags.getList("hcl"), warnings);
    }

    /** Merges the given sources in Consul's order (see {@link ConfigLoader}). */
    public static Map<String, Object> merge(List<String> paths, String format, Map<String, Object> flagSlices,
            Map<String, Object> flagValues, List<String> hcl, List<String> warnings) throws ConfigException {
        ConfigLoader.checkFormat(format);
        Map<String, Object> merged = new LinkedHashMap<>();
        merged = ConfigLoader.merge(merged, ConfigLoader.validate("command-line flags", flagSlices, warnings));
        for (String path : paths) {
            for (Source s : ConfigLoader.sourcesFromPath(path, format, warnings)) {
                merged = ConfigLoader.merge(merged, ConfigLoader.load(s, warnings));
            }
        }
        merged = ConfigLoader.merge(merged, ConfigLoader.validate("command-line flags", flagValues, warnings));
        for (int i = 0; i < hcl.size(); i++) {
            merged = ConfigLoader.merge(merged, ConfigLoader.load(new Source("flags-" + i + ".hcl", "hcl", hcl.get(i)),
                    warnings));
        }
        return merged;
    }

    /** The agent flags that are configuration, as a configuration tree (Consul's {@code Flags.Config}). */
    static Map<String, Object> flagValues(Flags f) throws ConfigException {
        Map<String, Object> c = new LinkedHashMap<>();
        str(f, c, "node", "node_name");
        str(f, c, "node-id", "node_id");
        str(f, c, "datacenter", "datacenter");
        str(f, c, "data-dir", "data_dir");
        str(f, c, "client", "client_addr");
        str(f, c, "bind", "bind_addr");
        str(f, c, "advertise", "advertise_addr");
        str(f, c, "log-level", "log_level");
        str(f, c, "domain", "domain");
        str(f, c, "alt-domain", "alt_domain");
        bool(f, c, "enable-script-checks", "enable_script_checks");
        bool(f, c, "enable-local-script-checks", "enable_local_script_checks");
        bool(f, c, "server", "server");
        if (f.isSet("bootstrap-expect")) {
            c.put("bootstrap_expect", f.getLong("bootstrap-expect", 0));
        }
        Map<String, Object> ports = new LinkedHashMap<>();
        for (String[] p : new String[][] {{"http-port", "http"}, {"dns-port", "dns"}, {"server-port", "server"},
            {"serf-lan-port", "serf_lan"}, {"serf-wan-port", "serf_wan"}}) {
            if (f.isSet(p[0])) {
                ports.put(p[1], f.getLong(p[0], 0));
            }
        }
        if (!ports.isEmpty()) {
            c.put("ports", ports);
        }
        if (f.isSet("ui")) {
            Map<String, Object> ui = new LinkedHashMap<>();
            ui.put("enabled", f.getBool("ui"));
            c.put("ui_config", ui);
        }
        List<String> recursors = f.getList("recursor");
        if (!recursors.isEmpty()) {
            c.put("recursors", new ArrayList<Object>(recursors));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        for (String kv : f.getList("node-meta")) {
            int colon = kv.indexOf(':'); // Consul's stringMapValue: "key:value", the value may be empty
            meta.put(colon < 0 ? kv : kv.substring(0, colon), colon < 0 ? "" : kv.substring(colon + 1));
        }
        if (!meta.isEmpty()) {
            c.put("node_meta", meta);
        }
        return c;
    }

    private static void str(Flags f, Map<String, Object> c, String flag, String key) {
        if (f.isSet(flag)) {
            c.put(key, f.getString(flag, ""));
        }
    }

    private static void bool(Flags f, Map<String, Object> c, String flag, String key) {
        if (f.isSet(flag)) {
            c.put(key, f.getBool(flag));
        }
    }

    /** Reads every source the agent flags name and builds the configuration. */
    public static AgentConfig build(Flags flags, Options options) throws ConfigException {
        List<String> warnings = new ArrayList<>();
        Map<String, Object> merged = merge(flags, warnings);
        return build(merged, warnings, flags.getBool("dev"), flags.getBool("shell"), flags.getLong("shell-port", 0),
                options);
    }

    /** Applies defaults and validates a merged tree. */
    @SuppressWarnings("unchecked")
    public static AgentConfig build(Map<String, Object> c, List<String> warningsIn, boolean dev, boolean shell,
            long shellPort, Options o) throws ConfigException {
        List<String> warnings = new ArrayList<>(warningsIn);
        boolean run = o.mode() == Mode.RUN;

        String datacenter = string(c, "datacenter", "dc1").toLowerCase(Locale.ROOT);
        if (datacenter.isEmpty()) {
            throw new ConfigException("datacenter cannot be empty");
        }
        if (!DATACENTER.matcher(datacenter).matches()) {
            throw new ConfigException("datacenter cannot be \"" + datacenter + "\". Please use only [a-z0-9-_].");
        }

        String dataDir = string(c, "data_dir", "");
        if (dataDir.isEmpty() && !dev) {
            throw new ConfigException("data_dir cannot be empty");
        }

        if (run && !dev) {
            throw new ConfigException("Only -dev mode is supported by this version of Conclave: "
                    + "run `conclave agent -dev` (a persistent agent with -data-dir comes later)");
        }

        String nodeName = string(c, "node_name", "").strip();
        if (nodeName.isEmpty()) {
            nodeName = o.hostname().get().strip();
        }
        if (nodeName.isEmpty()) {
            throw new ConfigException("node_name cannot be empty");
        }

        String rawLevel = string(c, "log_level", "info");
        String logLevel = rawLevel.toLowerCase(Locale.ROOT);
        if (logLevel.equals("error")) {
            logLevel = "err";
        }
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigException("Invalid log level: \"" + rawLevel
                    + "\". Valid log levels are: [TRACE DEBUG INFO WARN ERR]");
        }

        String client = string(c, "client_addr", "127.0.0.1").strip();
        if (client.isEmpty()) {
            client = "127.0.0.1";
        }
        List<String> clientAddrs = List.of(client.split("\\s+"));

        String bind = string(c, "bind_addr", dev ? "127.0.0.1" : "0.0.0.0").strip();
        if (bind.isEmpty()) {
            throw new ConfigException("bind_addr cannot be empty");
        }
        String advertise = string(c, "advertise_addr", "").strip();
        if (advertise.isEmpty()) {
            advertise = bind;
        }
        if (Addresses.isAny(advertise)) {
            List<String> found = Addresses.privateIpv4();
            if (found.size() == 1) {
                advertise = found.get(0);
            } else if (run) {
                throw new ConfigException(found.isEmpty() ? "No private IPv4 address found"
                        : "Multiple private IPv4 addresses found. Please configure one with 'bind' and/or "
                        + "'advertise'.");
            }
        }

        Map<String, Object> ports = (Map<String, Object>) c.getOrDefault("ports", Map.of());
        long httpPort = num(ports, "http", 8500);
        if (httpPort < 1 || httpPort > 65535) {
            throw new ConfigException("ports.http: invalid port " + httpPort
                    + " (HTTP cannot be disabled in this version of Conclave)");
        }
        int dnsPort = port(ports, "dns", 8600);
        int serverPort = port(ports, "server", 8300);
        int serfLan = port(ports, "serf_lan", 8301);
        int serfWan = port(ports, "serf_wan", 8302);
        for (String p : List.of("https", "grpc")) {
            if (num(ports, p, -1) > 0) {
                warnings.add("ports." + p + ": no " + (p.equals("https") ? "HTTPS" : "gRPC")
                        + " listener in this version of Conclave; the port is ignored");
            }
        }
        Map<String, Object> addresses = (Map<String, Object>) c.getOrDefault("addresses", Map.of());
        String httpAddr = first(string(addresses, "http", ""), clientAddrs.get(0));
        String dnsAddr = first(string(addresses, "dns", ""), clientAddrs.get(0));

        if (shellPort < 0 || shellPort > 65535) {
            throw new ConfigException("-shell-port: invalid port " + shellPort);
        }

        String nodeId = string(c, "node_id", "").toLowerCase(Locale.ROOT);
        if (!nodeId.isEmpty() && !NodeIdentity.isValid(nodeId)) {
            throw new ConfigException("node_id: invalid node ID \"" + nodeId
                    + "\": it must be a UUID such as 41958888-acfb-fe9e-13ae-a3b8f8534b2a");
        }

        // ---- DNS
        String domain = fqdn(string(c, "domain", "consul."));
        if (domain.equals(".")) {
            throw new ConfigException("domain cannot be empty");
        }
        String altDomain = string(c, "alt_domain", "");
        if (!altDomain.isEmpty()) {
            altDomain = fqdn(altDomain);
            Pattern reserved = Pattern.compile("^(service|connect|node|query|addr|" + Pattern.quote(datacenter)
                    + ")\\.(" + Pattern.quote(datacenter) + "\\.)?");
            if (reserved.matcher(altDomain).find()) {
                throw new ConfigException("alt_domain cannot start with {service,connect,node,query,addr,"
                        + datacenter + "}");
            }
        }
        Set<String> recursors = new LinkedHashSet<>();
        for (Object r : (List<Object>) c.getOrDefault("recursors", List.of())) {
            for (String a : ((String) r).strip().split("\\s+")) {
                if (!a.isEmpty()) {
                    recursors.add(a);
                }
            }
        }
        Map<String, Object> dc = (Map<String, Object>) c.getOrDefault("dns_config", Map.of());
        Map<String, Object> soa = (Map<String, Object>) dc.getOrDefault("soa", Map.of());
        Map<String, String> serviceTtl = new LinkedHashMap<>();
        ((Map<String, Object>) dc.getOrDefault("service_ttl", Map.of())).forEach((k, v) -> serviceTtl.put(k, (String) v));
        String strategy = string(dc, "recursor_strategy", "sequential");
        if (!strategy.equals("sequential") && !strategy.equals("random") && !strategy.isEmpty()) {
            throw new ConfigException("dns_config.recursor_strategy: invalid strategy: \"" + strategy + "\"");
        }
        AgentConfig.Dns dns = new AgentConfig.Dns(domain, altDomain, List.copyOf(recursors),
                string(dc, "recursor_timeout", "2s"), string(dc, "node_ttl", "0s"), serviceTtl,
                (int) num(dc, "udp_answer_limit", 3), (int) num(dc, "a_record_limit", 0),
                bool(dc, "only_passing", false), bool(dc, "enable_truncate", false), bool(dc, "allow_stale", true),
                bool(dc, "disable_compression", false), num(soa, "refresh", 3600), num(soa, "retry", 600),
                num(soa, "expire", 86400), num(soa, "min_ttl", 0), bool(dc, "enable_additional_node_meta_txt", true));

        // ---- checks, services, limits
        boolean scripts = bool(c, "enable_script_checks", false);
        boolean localScripts = bool(c, "enable_local_script_checks", scripts);
        if (scripts) {
            warnings.add(SCRIPT_CHECKS);
        }
        String checkUpdateInterval = string(c, "check_update_interval", "5m");
        Map<String, String> nodeMeta = new LinkedHashMap<>();
        ((Map<String, Object>) c.getOrDefault("node_meta", Map.of())).forEach((k, v) -> nodeMeta.put(k, (String) v));
        Map<String, Object> limits = (Map<String, Object>) c.getOrDefault("limits", Map.of());
        int maxConns = (int) num(limits, "http_max_conns_per_client", 200);
        long kvMax = num(limits, "kv_max_value_size", 524288);

        // ---- server mode, bootstrap (builder.validate)
        boolean server = bool(c, "server", dev);
        long expect = num(c, "bootstrap_expect", 0);
        if (expect > 0 && !server) {
            throw new ConfigException("'bootstrap_expect > 0' requires 'server = true'");
        }
        if (expect > 0 && dev) {
            throw new ConfigException("'bootstrap_expect > 0' not allowed in dev mode");
        }
        if (expect == 1) {
            warnings.add("BootstrapExpect is set to 1; this is the same as Bootstrap mode.");
        } else if (server && !dev && expect == 2) {
            warnings.add("bootstrap_expect = 2: A cluster with 2 servers will provide no failure tolerance. See "
                    + "https://www.consul.io/docs/internals/consensus.html#deployment-table");
        } else if (server && expect > 2 && expect % 2 == 0) {
            warnings.add("bootstrap_expect is even number: A cluster with an even number of servers does not achieve "
                    + "optimum fault tolerance. See https://www.consul.io/docs/internals/consensus.html#deployment-table");
        }

        // ---- accepted, no effect yet
        if (c.containsKey("ui")) {
            warnings.add("The 'ui' field is deprecated. Use the 'ui_config.enabled' field instead.");
        }
        if (c.containsKey("ui") || c.containsKey("ui_config")) {
            warnings.add(NO_UI);
        }

        if (run && !server) {
            throw new ConfigException("server = false is not supported by this version of Conclave yet: "
                    + "a -dev agent is always a server");
        }
        if (nodeId.isEmpty()) {
            if (o.nodeId() != null) {
                nodeId = o.nodeId();
            } else if (!run) {
                nodeId = "";
            } else {
                try {
                    nodeId = dev ? NodeIdentity.random() : NodeIdentity.persisted(Path.of(dataDir));
                } catch (IOException e) {
                    throw new ConfigException("Error reading node ID: " + e.getMessage());
                }
            }
        }

        return new AgentConfig(dev, nodeName, nodeId, datacenter, dataDir, clientAddrs, bind, advertise, httpAddr,
                (int) httpPort, dnsAddr, dnsPort, serverPort, serfLan, serfWan, logLevel, shell, (int) shellPort,
                BuildInfo.version(), BuildInfo.revision(), scripts, localScripts, checkUpdateInterval, nodeMeta,
                (List<Object>) c.getOrDefault("services", List.of()), (List<Object>) c.getOrDefault("checks", List.of()),
                dns, maxConns, kvMax, warnings);
    }

    private static String string(Map<String, Object> m, String key, String fallback) {
        Object v = m.get(key);
        return v == null ? fallback : (String) v;
    }

    private static boolean bool(Map<String, Object> m, String key, boolean fallback) {
        Object v = m.get(key);
        return v == null ? fallback : (Boolean) v;
    }

    private static long num(Map<String, Object> m, String key, long fallback) {
        Object v = m.get(key);
        return v == null ? fallback : ((Number) v).longValue();
    }

    /** Consul's {@code portVal}: a port of 0 or below disables the listener (-1). */
    private static int port(Map<String, Object> m, String key, int fallback) {
        long p = num(m, key, fallback);
        return p <= 0 ? -1 : (int) p;
    }

    private static String first(String addresses, String fallback) {
        String s = addresses.strip();
        return s.isEmpty() ? fallback : s.split("\\s+")[0];
    }

    /** Lower case with a trailing dot, as the DNS server uses a domain ({@code dns.Fqdn}). */
    static String fqdn(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d : d + ".";
    }
}
