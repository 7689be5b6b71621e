package io.conclave.launcher.agent;

import io.conclave.launcher.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's configuration after defaults, flags and config files are merged and validated (the
 * launcher's counterpart of Consul's {@code RuntimeConfig}), and the ConfigurationAdmin hand-off
 * built from it.
 *
 * @param clientAddrs the {@code client_addr} addresses; HTTP and DNS bind to the first unless
 *                    {@code addresses.http}/{@code addresses.dns} say otherwise
 * @param dnsPort     -1 when DNS is disabled ({@code ports.dns <= 0})
 * @param shellPort   the loopback port of the remote Gogo shell, 0 when off
 * @param services    service definitions as written in the config files, in load order
 * @param checks      top-level check definitions as written, in load order
 * @param cluster     server or client, joining, encryption and reaping
 * @param warnings    what the agent logs as WARN once it runs (and {@code validate} prints)
 */
public record AgentConfig(
        boolean dev,
        String nodeName,
        String nodeId,
        String datacenter,
        String dataDir,
        List<String> clientAddrs,
        String bindAddr,
        String advertiseAddr,
        String httpAddr,
        int httpPort,
        String dnsAddr,
        int dnsPort,
        int serverPort,
        int serfLanPort,
        int serfWanPort,
        String logLevel,
        boolean shell,
        int shellPort,
        String version,
        String revision,
        boolean enableScriptChecks,
        boolean enableLocalScriptChecks,
        String checkUpdateInterval,
        Map<String, String> nodeMeta,
        List<Object> services,
        List<Object> checks,
        Dns dns,
        int httpMaxConnsPerClient,
        long kvMaxValueSize,
        Cluster cluster,
        List<String> warnings) {

    public static final String PID_AGENT = "io.conclave.agent";
    public static final String PID_HTTP = "io.conclave.http";
    public static final String PID_DNS = "io.conclave.dns";
    public static final String PID_SHELL = "io.conclave.shell";

    /** The DNS interface's settings ({@code domain}, {@code recursors}, {@code dns_config}). */
    public record Dns(
            String domain,
            String altDomain,
            List<String> recursors,
            String recursorTimeout,
            String nodeTtl,
            Map<String, String> serviceTtl,
            int udpAnswerLimit,
            int aRecordLimit,
            boolean onlyPassing,
            boolean enableTruncate,
            boolean allowStale,
            boolean disableCompression,
            long soaRefresh,
            long soaRetry,
            long soaExpire,
            long soaMinTtl,
            boolean nodeMetaTxt) {

        public Dns {
            recursors = List.copyOf(recursors);
            serviceTtl = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(serviceTtl));
        }
    }

    /**
     * How the agent takes part in the cluster: Consul's {@code server}, {@code bootstrap_expect},
     * {@code advertise_addr_wan}, join and retry-join lists, gossip encryption and reaping.
     *
     * @param bootstrapExpect 0 or 1 ({@code bootstrap = true} is written as 1)
     * @param encrypt         the base64 gossip key, "" for none
     * @param retryInterval   a Go duration
     * @param retryMax        attempts, 0 = retry forever
     */
    public record Cluster(
            boolean server,
            int bootstrapExpect,
            String advertiseAddrWan,
            String encrypt,
            boolean encryptVerifyIncoming,
            boolean encryptVerifyOutgoing,
            List<String> startJoin,
            List<String> retryJoin,
            String retryInterval,
            int retryMax,
            List<String> startJoinWan,
            List<String> retryJoinWan,
            String retryIntervalWan,
            int retryMaxWan,
            String reconnectTimeout,
            String reconnectTimeoutWan,
            boolean rejoinAfterLeave) {

        public Cluster {
            startJoin = List.copyOf(startJoin);
            retryJoin = List.copyOf(retryJoin);
            startJoinWan = List.copyOf(startJoinWan);
            retryJoinWan = List.copyOf(retryJoinWan);
        }
    }

    public AgentConfig {
        clientAddrs = List.copyOf(clientAddrs);
        nodeMeta = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodeMeta));
        services = java.util.Collections.unmodifiableList(new ArrayList<>(services));
        checks = java.util.Collections.unmodifiableList(new ArrayList<>(checks));
        warnings = List.copyOf(warnings);
    }

    /** The {@code client_addr} string as Consul's configuration writes it (space-separated). */
    public String clientAddr() {
        return String.join(" ", clientAddrs);
    }

    /**
     * The {@code definitions} value of the agent PID: {@code {"services":[...],"checks":[...]}} with
     * every definition as the files wrote it; the agent bundle parses it.
     */
    public String definitionsJson() {
        Map<String, Object> defs = new LinkedHashMap<>();
        defs.put("services", services);
        defs.put("checks", checks);
        return Json.write(defs);
    }

    /**
     * The contents of {@code conclave-config.json}: one object per ConfigurationAdmin PID. The
     * keys are a fixed contract with the agent, http and dns bundles (docs/ARCHITECTURE.md).
     */
    public Map<String, Object> toPids() {
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("node_name", nodeName);
        agent.put("node_id", nodeId);
        agent.put("datacenter", datacenter);
        agent.put("server", cluster.server());
        agent.put("dev", dev);
        agent.put("data_dir", dataDir == null ? "" : dataDir);
        agent.put("client_addr", clientAddr());
        agent.put("bind_addr", bindAddr);
        agent.put("advertise_addr", advertiseAddr);
        agent.put("advertise_addr_wan", cluster.advertiseAddrWan());
        agent.put("http_port", httpPort);
        agent.put("dns_port", dnsPort);
        agent.put("server_port", serverPort);
        agent.put("serf_lan_port", serfLanPort);
        agent.put("serf_wan_port", serfWanPort);
        agent.put("bootstrap_expect", cluster.bootstrapExpect());
        agent.put("encrypt", cluster.encrypt());
        agent.put("encrypt_verify_incoming", cluster.encryptVerifyIncoming());
        agent.put("encrypt_verify_outgoing", cluster.encryptVerifyOutgoing());
        agent.put("start_join", cluster.startJoin());
        agent.put("retry_join", cluster.retryJoin());
        agent.put("retry_interval", cluster.retryInterval());
        agent.put("retry_max", cluster.retryMax());
        agent.put("start_join_wan", cluster.startJoinWan());
        agent.put("retry_join_wan", cluster.retryJoinWan());
        agent.put("retry_interval_wan", cluster.retryIntervalWan());
        agent.put("retry_max_wan", cluster.retryMaxWan());
        agent.put("reconnect_timeout", cluster.reconnectTimeout());
        agent.put("reconnect_timeout_wan", cluster.reconnectTimeoutWan());
        agent.put("rejoin_after_leave", cluster.rejoinAfterLeave());
        agent.put("log_level", logLevel);
        agent.put("version", version);
        agent.put("revision", revision);
        agent.put("enable_script_checks", enableScriptChecks);
        agent.put("enable_local_script_checks", enableLocalScriptChecks);
        agent.put("check_update_interval", checkUpdateInterval);
        List<String> meta = new ArrayList<>();
        nodeMeta.forEach((k, v) -> meta.add(k + ":" + v));
        agent.put("node_meta", meta);
        agent.put("definitions", definitionsJson());

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("address", httpAddr);
        http.put("port", httpPort);
        http.put("max_conns_per_client", httpMaxConnsPerClient);
        http.put("kv_max_value_size", kvMaxValueSize);
        http.put("dev_mode", dev); // Consul pretty-prints every JSON answer in -dev

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("address", dnsAddr);
        d.put("port", dnsPort);
        d.put("domain", dns.domain());
        d.put("alt_domain", dns.altDomain());
        d.put("recursors", dns.recursors());
        d.put("recursor_timeout", dns.recursorTimeout());
        d.put("node_ttl", dns.nodeTtl());
        List<String> ttl = new ArrayList<>();
        dns.serviceTtl().forEach((k, v) -> ttl.add(k + "=" + v));
        d.put("service_ttl", ttl);
        d.put("udp_answer_limit", dns.udpAnswerLimit());
        d.put("a_record_limit", dns.aRecordLimit());
        d.put("only_passing", dns.onlyPassing());
        d.put("enable_truncate", dns.enableTruncate());
        d.put("allow_stale", dns.allowStale());
        d.put("disable_compression", dns.disableCompression());
        d.put("soa_refresh", dns.soaRefresh());
        d.put("soa_retry", dns.soaRetry());
        d.put("soa_expire", dns.soaExpire());
        d.put("soa_min_ttl", dns.soaMinTtl());
        d.put("enable_additional_node_meta_txt", dns.nodeMetaTxt());

        Map<String, Object> shellPid = new LinkedHashMap<>();
        shellPid.put("remote_port", shellPort);
        shellPid.put("remote_address", "127.0.0.1");

        Map<String, Object> all = new LinkedHashMap<>();
        all.put(PID_AGENT, agent);
        all.put(PID_HTTP, http);
        all.put(PID_DNS, d);
        all.put(PID_SHELL, shellPid);
        return all;
    }

    /** The start-up banner, line for line as {@code consul agent} prints it. */
    public List<String> banner() {
        return List.of(
                "==> Starting Conclave agent...",
                row("Version", "'" + version + "'"),
                row("Node ID", "'" + nodeId + "'"),
                row("Node name", "'" + nodeName + "'"),
                row("Datacenter", "'" + datacenter + "' (Segment: '<all>')"),
                row("Server", cluster.server() + " (Bootstrap: " + (cluster.bootstrapExpect() == 1) + ")"),
                row("Client Addr", "[" + clientAddr() + "] (HTTP: " + httpPort + ", HTTPS: -1, gRPC: -1, DNS: "
                        + dnsPort + ")"),
                row("Cluster Addr", advertiseAddr + " (LAN: " + serfLanPort + ", WAN: " + serfWanPort + ")"),
                row("Encrypt", "Gossip: " + !cluster.encrypt().isEmpty() + ", TLS-Outgoing: false, TLS-Incoming: false, Auto-Encrypt-TLS: false"),
                "",
                "==> Log data will now stream in as it occurs:",
                "");
    }

    private static String row(String label, String value) {
        return String.format("%18s: %s", label, value);
    }
}
