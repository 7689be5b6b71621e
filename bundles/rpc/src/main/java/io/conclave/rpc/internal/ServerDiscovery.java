package io.conclave.rpc.internal;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.MemberEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a client's server list in step with the LAN pool (Consul's client {@code lanEventHandler}): an alive
 * member tagged {@code role=consul} in this datacenter is a server at its address and tag {@code port}; a
 * member that fails, leaves or is reaped is one no more. {@link #sync} reconciles against a full member list
 * (at bind and periodically, so a missed event heals); {@link #onEvent} applies one change at once.
 */
final class ServerDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger("agent.client");

    private final RpcClient client;
    private final String datacenter;

    ServerDiscovery(RpcClient client, String datacenter) {
        this.client = client;
        this.datacenter = datacenter;
    }

    /** Makes the server list exactly the alive servers of this datacenter among {@code members}. */
    synchronized void sync(List<Member> members) {
        Set<String> alive = new HashSet<>();
        for (Member m : members) {
            Optional<ServerInfo> server = serverOf(m);
            if (server.isPresent() && m.status() == ServerInfo.ALIVE) {
                alive.add(server.get().name());
                add(server.get());
            }
        }
        for (ServerInfo known : client.servers()) {
            if (!alive.contains(known.name())) {
                remove(known.name());
            }
        }
    }

    synchronized void onEvent(MemberEvent event) {
        Member m = event.member();
        switch (event.type()) {
            case JOIN, UPDATE -> {
                Optional<ServerInfo> server = serverOf(m);
                if (server.isPresent() && m.status() == ServerInfo.ALIVE) {
                    add(server.get());
                } else {
                    // an update may have turned a server into something else (or another datacenter)
                    remove(m.name());
                }
            }
            case LEAVE, FAILED, REAP -> remove(m.name());
        }
    }

    private Optional<ServerInfo> serverOf(Member m) {
        return ServerInfo.of(m).filter(s -> s.datacenter().equals(datacenter));
    }

    private void add(ServerInfo server) {
        if (client.addServer(server)) {
            LOG.info("consul: adding server {}", server);
        }
    }

    private void remove(String name) {
        ServerInfo removed = client.removeServer(name);
        if (removed != null) {
            LOG.info("consul: removing server {}", removed);
        }
    }
}
