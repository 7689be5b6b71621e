package io.conclave.launcher.agent;

import io.conclave.launcher.BuildInfo;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.config.Addresses;
import io.conclave.launcher.config.ConfigException;
import io.conclave.launcher.config.ConfigLoader;
import io.conclave.launcher.config.ConfigLoader.Source;

import io.conclave.api.time.GoDuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
     * @param hostname   the default node name
     * @param nodeId     the node ID to keep (a reload keeps the running agent's), or null
     * @param privateIps the machine's private IPv4 addresses, for an advertise address when
     *                   binding to 0.0.0.0 (a parameter so that tests need not depend on the host)
     */
    public record Options(Mode mode, Supplier<String> hostname, String nodeId, Supplier<List<String>> privateIps) {

        public Options(Mode mode, Supplier<String> hostname, String nodeId) {
            this(mode, hostname, nodeId, Addresses::privateIpv4);
        }
    }

    /** The list keys that flags set: merged before the files, as Consul's {@code flags.slices}. */
    private static final List<String> FLAG_SLICES =
            List.of("recursors", "start_join", "retry_join", "start_join_wan", "retry_join_wan");

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
        for (String key : FLAG_SLICES) {
            if (values.containsKey(key)) {
                slices.put(key, values.remove(key));
            }
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
        str(f, c, "advertise-wan", "advertise_addr_wan");
        str(f, c, "encrypt", "encrypt");
        str(f, c, "retry-interval", "retry_interval");
        str(f, c, "retry-interval-wan", "retry_interval_wan");
        bool(f, c, "rejoin", "rejoin_after_leave");
        bool(f, c, "bootstrap", "bootstrap");
        for (String[] n : new String[][] {{"retry-max", "retry_max"}, {"retry-max-wan", "retry_max_wan"}}) {
            if (f.isSet(n[0])) {
                c.put(n[1], f.getLong(n[0], 0));
            }
        }
        for (String[] l : new String[][] {{"join", "start_join"}, {"retry-join", "retry_join"},
            {"join-wan", "start_join_wan"}, {"retry-join-wan", "retry_join_wan"}}) {
            List<String> addrs = f.getList(l[0]);
            if (!addrs.isEmpty()) {
                c.put(l[1], new ArrayList<Object>(addrs));
            }
        }
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

        if (!dev && Files.exists(Path.of(dataDir)) && !Files.isDirectory(Path.of(dataDir))) {
            throw new ConfigException("data_dir \"" + dataDir + "\" is not a directory");
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
            List<String> found = o.privateIps().get();
            if (found.size() == 1) {
                advertise = found.get(0);
            } else if (run) {
                throw new ConfigException(found.isEmpty() ? "No private IPv4 address found"
                        : "Multiple private IPv4 addresses found. Please configure one with 'bind' and/or "
                        + "'advertise'.");
            }
        }

        // A port of 0 is passed on as 0: the listener binds a free port and advertises what it bound
        // (tests run agents side by side that way). Consul would read 0 as "disabled".
        Map<String, Object> ports = (Map<String, Object>) c.getOrDefault("ports", Map.of());
        int httpPort = requiredPort(ports, "http", 8500, "HTTP cannot be disabled in this version of Conclave");
        int dnsPort = port(ports, "dns", 8600);
        int serverPort = requiredPort(ports, "server", 8300, "the server RPC port cannot be disabled");
        int serfLan = requiredPort(ports, "serf_lan", 8301, "every agent joins the LAN gossip pool");
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
        boolean server = dev || bool(c, "server", false);
        boolean bootstrap = bool(c, "bootstrap", false);
        long expect = num(c, "bootstrap_expect", 0);
        if (bootstrap && !server) {
            throw new ConfigException("'bootstrap = true' requires 'server = true'");
        }
        if (expect > 0 && !server) {
            throw new ConfigException("'bootstrap_expect > 0' requires 'server = true'");
        }
        if (expect > 0 && dev) {
            throw new ConfigException("'bootstrap_expect > 0' not allowed in dev mode");
        }
        if (expect > 0 && bootstrap) {
            throw new ConfigException("'bootstrap_expect > 0' and 'bootstrap = true' are mutually exclusive");
        }
        if (expect > 1) {
            throw new ConfigException("bootstrap_expect = " + expect + ": this version of Conclave runs a single "
                    + "server per datacenter (bootstrap_expect 0 or 1); clusters of several servers need Raft, "
                    + "which comes next");
        }
        if (expect == 1) {
            warnings.add("BootstrapExpect is set to 1; this is the same as Bootstrap mode.");
        } else if (bootstrap) {
            warnings.add("bootstrap = true: do not enable unless necessary");
        }
        AgentConfig.Cluster cluster = cluster(c, server, expect == 1 || bootstrap, advertise);

        // ---- accepted, no effect yet
        if (c.containsKey("ui")) {
            warnings.add("The 'ui' field is deprecated. Use the 'ui_config.enabled' field instead.");
        }
        if (c.containsKey("ui") || c.containsKey("ui_config")) {
            warnings.add(NO_UI);
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
                dns, maxConns, kvMax, cluster, warnings);
    }

    /** Joining, encryption and reaping, with Consul's defaults ({@code agent/config/default.go}). */
    @SuppressWarnings("unchecked")
    private static AgentConfig.Cluster cluster(Map<String, Object> c, boolean server, boolean bootstrap,
            String advertise) throws ConfigException {
        String encrypt = string(c, "encrypt", "").strip();
        if (!encrypt.isEmpty()) {
            String problem = GossipKey.problem(encrypt);
            if (problem != null) {
                throw new ConfigException("encrypt has invalid key: " + problem);
            }
        }
        String advertiseWan = string(c, "advertise_addr_wan", "").strip();
        return new AgentConfig.Cluster(server, bootstrap ? 1 : 0, advertiseWan.isEmpty() ? advertise : advertiseWan,
                encrypt, bool(c, "encrypt_verify_incoming", true), bool(c, "encrypt_verify_outgoing", true),
                strings(c, "start_join"), strings(c, "retry_join"), positive(c, "retry_interval", "30s"),
                retries(c, "retry_max"), strings(c, "start_join_wan"), strings(c, "retry_join_wan"),
                positive(c, "retry_interval_wan", "30s"), retries(c, "retry_max_wan"),
                reconnect(c, "reconnect_timeout"), reconnect(c, "reconnect_timeout_wan"),
                bool(c, "rejoin_after_leave", false));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> c, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) c.getOrDefault(key, List.of())) {
            out.add(((String) o).strip());
        }
        return out;
    }

    /** A retry interval: a zero or negative one would make the join loop spin. */
    private static String positive(Map<String, Object> c, String key, String fallback) throws ConfigException {
        String v = string(c, key, fallback).strip();
        if (GoDuration.parse(v).compareTo(Duration.ZERO) <= 0) {
            throw new ConfigException(key + " cannot be " + v + ". Must be positive");
        }
        return v;
    }

    /** {@code retry_max}: Consul retries forever for 0 and for any negative count alike. */
    private static int retries(Map<String, Object> c, String key) {
        return (int) Math.max(0, num(c, key, 0));
    }

    /** {@code reconnect_timeout}: 0 (or unset) means serf's default, 72h, as in Consul. */
    private static String reconnect(Map<String, Object> c, String key) throws ConfigException {
        String v = string(c, key, "").strip();
        if (v.isEmpty() || GoDuration.parse(v).isZero()) {
            return "72h";
        }
        if (GoDuration.parse(v).isNegative()) {
            throw new ConfigException(key + " cannot be " + v + ". Must be positive");
        }
        return v;
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

    /** A listener that may be off: below 0 disables it (-1); 0 binds a free port. */
    private static int port(Map<String, Object> m, String key, int fallback) {
        long p = num(m, key, fallback);
        return p < 0 ? -1 : (int) p;
    }

    /** A listener every agent needs: 0 binds a free port, below 0 is an error saying why. */
    private static int requiredPort(Map<String, Object> m, String key, int fallback, String why)
            throws ConfigException {
        long p = num(m, key, fallback);
        if (p < 0) {
            throw new ConfigException("ports." + key + ": invalid port " + p + " (" + why + ")");
        }
        return (int) p;
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
