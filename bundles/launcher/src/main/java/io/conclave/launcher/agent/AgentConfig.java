package io.conclave.launcher.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's configuration after defaults, config files and flags are merged, and the
 * ConfigurationAdmin hand-off built from it.
 *
 * @param clientAddrs the addresses HTTP (and later DNS) bind to; the first is handed to the HTTP bundle
 * @param shellPort   the loopback port of the remote Gogo shell, 0 when off
 */
public record AgentConfig(
        boolean dev,
        String nodeName,
        String nodeId,
        String datacenter,
        String dataDir,
        List<String> clientAddrs,
        String advertiseAddr,
        int httpPort,
        int dnsPort,
        int serverPort,
        int serfLanPort,
        int serfWanPort,
        String logLevel,
        boolean shell,
        int shellPort,
        String version,
        String revision) {

    public static final String PID_AGENT = "io.conclave.agent";
    public static final String PID_HTTP = "io.conclave.http";
    public static final String PID_SHELL = "io.conclave.shell";

    public AgentConfig {
        clientAddrs = List.copyOf(clientAddrs);
    }

    /** The {@code client_addr} string as Consul's configuration writes it (space-separated). */
    public String clientAddr() {
        return String.join(" ", clientAddrs);
    }

    /**
     * The contents of {@code conclave-config.json}: one object per ConfigurationAdmin PID. The
     * keys are a fixed contract with the agent bundle, which pushes each PID into ConfigAdmin.
     */
    public Map<String, Object> toPids() {
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("node_name", nodeName);
        agent.put("node_id", nodeId);
        agent.put("datacenter", datacenter);
        agent.put("server", true);
        agent.put("dev", dev);
        agent.put("data_dir", dataDir == null ? "" : dataDir);
        agent.put("client_addr", clientAddr());
        agent.put("advertise_addr", advertiseAddr);
        agent.put("http_port", httpPort);
        agent.put("dns_port", dnsPort);
        agent.put("server_port", serverPort);
        agent.put("serf_lan_port", serfLanPort);
        agent.put("serf_wan_port", serfWanPort);
        agent.put("log_level", logLevel);
        agent.put("version", version);
        agent.put("revision", revision);

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("address", clientAddrs.get(0));
        http.put("port", httpPort);
        http.put("max_conns_per_client", 200);
        http.put("kv_max_value_size", 524288);
        http.put("dev_mode", dev); // Consul pretty-prints every JSON answer in -dev

        Map<String, Object> shellPid = new LinkedHashMap<>();
        shellPid.put("remote_port", shellPort);
        shellPid.put("remote_address", "127.0.0.1");

        Map<String, Object> all = new LinkedHashMap<>();
        all.put(PID_AGENT, agent);
        all.put(PID_HTTP, http);
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
                row("Server", "true (Bootstrap: false)"),
                row("Client Addr", "[" + clientAddr() + "] (HTTP: " + httpPort + ", HTTPS: -1, gRPC: -1, DNS: "
                        + dnsPort + ")"),
                row("Cluster Addr", advertiseAddr + " (LAN: " + serfLanPort + ", WAN: " + serfWanPort + ")"),
                row("Encrypt", "Gossip: false, TLS-Outgoing: false, TLS-Incoming: false, Auto-Encrypt-TLS: false"),
                "",
                "==> Log data will now stream in as it occurs:",
                "");
    }

    private static String row(String label, String value) {
        return String.format("%18s: %s", label, value);
    }
}
