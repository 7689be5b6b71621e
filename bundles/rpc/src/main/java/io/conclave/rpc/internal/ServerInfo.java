package io.conclave.rpc.internal;

import io.conclave.api.agent.Member;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * A Consul server as a client knows it from gossip (Consul's {@code metadata.Server}).
 *
 * @param name the server's node name
 */
record ServerInfo(String name, String host, int port, String datacenter) {

    /** Member status alive, Serf's {@code StatusAlive}. */
    static final int ALIVE = Member.STATUS_ALIVE;

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** Consul's {@code Server.String()}: {@code s1 (Addr: tcp/10.0.0.1:8300) (DC: dc1)}. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return name + " (Addr: tcp/" + h + ":" + port + ") (DC: " + datacenter + ")";
    }

    /**
     * The server a LAN member is, if it is one: tag {@code role=consul}, tag {@code dc}, and the RPC port in
     * tag {@code port} (Consul's {@code metadata.IsConsulServer}); empty for clients and malformed tags.
     */
    static Optional<ServerInfo> of(Member member) {
        Map<String, String> tags = member.tags();
        if (!"consul".equals(tags.get("role"))) {
            return Optional.empty();
        }
        String dc = tags.getOrDefault("dc", "");
        int port;
        try {
            port = Integer.parseInt(tags.getOrDefault("port", ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 1 || port > 65535 || member.addr() == null || member.addr().isEmpty() || dc.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServerInfo(member.name(), member.addr(), port, dc));
    }
}
