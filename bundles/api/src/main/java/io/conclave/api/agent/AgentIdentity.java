package io.conclave.api.agent;

import io.conclave.api.config.ConfigValues;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who this agent is, as {@code /v1/agent/self} reports it under {@code Config}.
 *
 * @param advertiseAddr the address other agents reach this one at (server RPC, gossip)
 * @param clientAddr    the address HTTP and DNS listen on
 */
public record AgentIdentity(String datacenter, String nodeName, String nodeId, boolean server, String version,
                            String revision, String advertiseAddr, String clientAddr, int httpPort, int dnsPort,
                            int serverPort, int serfLanPort, int serfWanPort) {

    /**
     * The identity as PID {@code io.conclave.agent} states it (keys {@code datacenter}, {@code node_name},
     * {@code node_id}, {@code server}, {@code version}, {@code revision}, {@code advertise_addr},
     * {@code client_addr}, {@code http_port}, {@code dns_port}, {@code server_port}, {@code serf_lan_port},
     * {@code serf_wan_port}); one parser so the agent, server and gossip bundles agree on who this is.
     *
     * @param fallbackNodeId the ID to use when the configuration names none
     */
    public static AgentIdentity fromConfig(Map<String, ?> config, String fallbackNodeId) {
        return new AgentIdentity(
                text(config, "datacenter", "dc1"),
                text(config, "node_name", hostname()),
                text(config, "node_id", fallbackNodeId),
                ConfigValues.bool(config, "server", true),
                text(config, "version", "0.1.0"),
                text(config, "revision", "unknown"),
                text(config, "advertise_addr", "127.0.0.1"),
                text(config, "client_addr", "127.0.0.1"),
                (int) ConfigValues.number(config, "http_port", 8500),
                (int) ConfigValues.number(config, "dns_port", 8600),
                (int) ConfigValues.number(config, "server_port", 8300),
                (int) ConfigValues.number(config, "serf_lan_port", 8301),
                (int) ConfigValues.number(config, "serf_wan_port", 8302));
    }

    /**
     * The Serf tags Consul gives this agent in the LAN pool ({@code agent/consul/server.go} and
     * {@code client.go} {@code setupSerf}): {@code role} is {@code consul} for a server and {@code node} for a
     * client; {@code port} (the server RPC port) is a server's only. Clients find servers by these tags.
     */
    public Map<String, String> lanTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("acls", "0");
        tags.put("build", version + ":" + revision);
        tags.put("dc", datacenter);
        tags.put("id", nodeId);
        if (server) {
            tags.put("port", Integer.toString(serverPort));
            tags.put("raft_vsn", "3");
        }
        tags.put("role", server ? "consul" : "node");
        tags.put("segment", "");
        tags.put("vsn", "2");
        tags.put("vsn_max", "3");
        tags.put("vsn_min", "2");
        return tags;
    }

    /** A server's WAN tags: its LAN tags (a WAN member is always a server). */
    public Map<String, String> wanTags() {
        return lanTags();
    }

    /** An empty string means unset, as the launcher writes unset keys. */
    private static String text(Map<String, ?> config, String key, String fallback) {
        String v = ConfigValues.string(config, key, "");
        return v.isEmpty() ? fallback : v;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
