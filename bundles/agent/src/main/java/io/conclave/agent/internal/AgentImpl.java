package io.conclave.agent.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.agent.Member;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.kv.KvEndpoint;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local agent of a server: every call is routed to this server's own endpoints. (A client
 * agent will route them over RPC instead; that is a different component behind the same service.)
 */
@Component(service = Agent.class, configurationPid = "io.conclave.agent",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class AgentImpl implements Agent {

    private static final Logger LOG = LoggerFactory.getLogger("agent");

    private final KvEndpoint kv;
    private final Consensus consensus;
    private final BundleContext context;
    private final AtomicBoolean leaving = new AtomicBoolean();
    private volatile AgentIdentity identity;

    @Activate
    public AgentImpl(@Reference KvEndpoint kv, @Reference Consensus consensus, BundleContext context,
                     Map<String, Object> config) {
        this.kv = kv;
        this.consensus = consensus;
        this.context = context;
        modified(config);
    }

    @Modified
    void modified(Map<String, Object> config) {
        AgentIdentity old = identity;
        identity = identityFrom(config, old == null ? UUID.randomUUID().toString() : old.nodeId());
    }

    static AgentIdentity identityFrom(Map<String, Object> config, String fallbackNodeId) {
        String advertise = string(config, "advertise_addr", "127.0.0.1");
        return new AgentIdentity(
                string(config, "datacenter", "dc1"),
                string(config, "node_name", hostname()),
                string(config, "node_id", fallbackNodeId),
                bool(config, "server", true),
                string(config, "version", "0.1.0"),
                string(config, "revision", "unknown"),
                advertise,
                string(config, "client_addr", "127.0.0.1"),
                integer(config, "http_port", 8500),
                integer(config, "dns_port", 8600),
                integer(config, "server_port", 8300),
                integer(config, "serf_lan_port", 8301),
                integer(config, "serf_wan_port", 8302));
    }

    @Override
    public AgentIdentity identity() {
        return identity;
    }

    @Override
    public KvEndpoint kv() {
        return kv;
    }

    @Override
    public ConsensusStatus status() {
        return consensus.status();
    }

    @Override
    public List<Member> members() {
        return List.of(self());
    }

    @Override
    public Member self() {
        AgentIdentity id = identity;
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("acls", "0");
        tags.put("build", id.version() + ":" + id.revision());
        tags.put("dc", id.datacenter());
        tags.put("id", id.nodeId());
        tags.put("port", Integer.toString(id.serverPort()));
        tags.put("raft_vsn", "3");
        tags.put("role", id.server() ? "consul" : "node");
        tags.put("segment", "");
        tags.put("vsn", "2");
        tags.put("vsn_max", "3");
        tags.put("vsn_min", "2");
        // memberlist's protocol range (1..5, speaking 2) and serf's delegate range (2..5, speaking 4), as Consul reports them.
        return new Member(id.nodeName(), id.advertiseAddr(), id.serfLanPort(), tags, Member.STATUS_ALIVE,
                1, 5, 2, 2, 5, 4);
    }

    @Override
    public void leave() {
        if (!leaving.compareAndSet(false, true)) {
            return;
        }
        LOG.info("graceful leave requested: stopping the agent");
        // Stopping the system bundle from a component callback would deadlock on our own deactivation.
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.error("could not stop the framework", e);
            }
        }, "conclave-leave");
        stopper.setDaemon(false);
        stopper.start();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    private static String string(Map<String, Object> config, String key, String def) {
        Object v = config.get(key);
        return v == null || v.toString().isEmpty() ? def : v.toString();
    }

    private static boolean bool(Map<String, Object> config, String key, boolean def) {
        Object v = config.get(key);
        return v == null ? def : Boolean.parseBoolean(v.toString());
    }

    private static int integer(Map<String, Object> config, String key, int def) {
        Object v = config.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        return v == null ? def : Integer.parseInt(v.toString());
    }
}
