package io.conclave.server.internal;

import io.conclave.api.catalog.CatalogCommands;
import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.Weights;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.state.StateStore;
import io.conclave.api.state.StoreView;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the leader does for the catalog (Consul's {@code leader.go} {@code handleAliveMember}): registers
 * this server as a node with its {@code serfHealth} check and the {@code consul} service, once the store and
 * consensus are up and this server leads.
 *
 * <p>Gossip does not exist yet, so this server's own membership is the only one there is, and it is alive
 * by definition. When gossip arrives, {@link #serfHealth} is the one place that decides a member's check
 * (Consul: alive → passing {@code Agent alive and reachable}, failed → critical {@code Agent not live or
 * unreachable}) and this component reconciles every member instead of just itself.
 *
 * <p>It reads the agent's configuration ({@code io.conclave.agent}: {@code node_name}, {@code node_id},
 * {@code advertise_addr}, {@code datacenter}, {@code server_port}, {@code version}, {@code node_meta}). A
 * registration that would change nothing is not proposed; one that fails because there is no leader (yet)
 * is retried with backoff; one the catalog refuses is logged and dropped.
 */
@Component(service = {}, immediate = true, configurationPid = StoreReads.AGENT_PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class LeaderDuties {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderDuties.class);

    static final String CONSUL_SERVICE = "consul";
    static final String SERF_ALIVE_OUTPUT = "Agent alive and reachable";
    static final String SERF_FAILED_OUTPUT = "Agent not live or unreachable";
    static final Duration FIRST_RETRY = Duration.ofMillis(200);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /** The parts of the agent configuration this component uses. */
    record Identity(String nodeName, String nodeId, String advertiseAddr, String datacenter, int serverPort,
                    String version, Map<String, String> nodeMeta) {

        static Identity of(Map<String, Object> config) {
            Map<String, Object> c = config == null ? Map.of() : config;
            return new Identity(string(c, "node_name", "conclave"), string(c, "node_id", ""),
                    string(c, "advertise_addr", "127.0.0.1"), StoreReads.datacenter(c),
                    integer(c, "server_port", 8300), string(c, "version", "1.9.0"), nodeMeta(c.get("node_meta")));
        }

        private static String string(Map<String, Object> c, String key, String def) {
            Object v = c.get(key);
            return v == null || v.toString().isEmpty() ? def : v.toString();
        }

        private static int integer(Map<String, Object> c, String key, int def) {
            Object v = c.get(key);
            if (v instanceof Number n) {
                return n.intValue();
            }
            try {
                return v == null ? def : Integer.parseInt(v.toString().trim());
            } catch (NumberFormatException e) {
                return def;
            }
        }

        /** {@code node_meta} as the launcher writes it ({@code "k:v"} strings) or as a map. */
        static Map<String, String> nodeMeta(Object raw) {
            Map<String, String> meta = new LinkedHashMap<>();
            if (raw instanceof Map<?, ?> m) {
                m.forEach((k, v) -> meta.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            } else if (raw instanceof Collection<?> list) {
                list.forEach(e -> pair(meta, String.valueOf(e)));
            } else if (raw instanceof Object[] array) {
                for (Object e : array) {
                    pair(meta, String.valueOf(e));
                }
            } else if (raw instanceof String s && !s.isEmpty()) {
                pair(meta, s);
            }
            return meta;
        }

        private static void pair(Map<String, String> meta, String kv) {
            int colon = kv.indexOf(':');
            meta.put(colon < 0 ? kv : kv.substring(0, colon), colon < 0 ? "" : kv.substring(colon + 1));
        }
    }

    private final StateStore store;
    private final Consensus consensus;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conclave-leader-duties");
        t.setDaemon(true);
        return t;
    });
    private volatile Identity identity;
    private long generation;

    @Activate
    public LeaderDuties(@Reference StateStore store, @Reference Consensus consensus, Map<String, Object> config) {
        this.store = store;
        this.consensus = consensus;
        modified(config);
    }

    @Modified
    void modified(Map<String, Object> config) {
        identity = Identity.of(config);
        long g;
        synchronized (this) {
            g = ++generation;
        }
        schedule(g, Duration.ZERO);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private void schedule(long g, Duration delay) {
        try {
            timer.schedule(() -> attempt(g, delay), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivated
        }
    }

    private synchronized boolean current(long g) {
        return g == generation;
    }

    private void attempt(long g, Duration lastDelay) {
        if (!current(g)) {
            return;
        }
        Duration next = lastDelay.isZero() ? FIRST_RETRY
                : lastDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : lastDelay.multipliedBy(2);
        if (!consensus.status().isLeader()) {
            schedule(g, next);
            return;
        }
        Identity id = identity;
        RegisterRequest request;
        try {
            request = CatalogEndpointImpl.preApply(registration(id), id.datacenter());
        } catch (RuntimeException e) {
            LOG.error("Cannot register this server in the catalog: {}", e.getMessage());
            return;
        }
        if (registered(store.view(), request)) {
            return;
        }
        consensus.propose(Command.of(MessageType.REGISTER, CatalogCommands.encode(request))).whenComplete((r, error) -> {
            if (error == null) {
                LOG.info("member joined, marking health alive: member={}", id.nodeName());
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof IllegalArgumentException) {
                LOG.error("The catalog refused this server's registration: {}", cause.getMessage());
            } else {
                LOG.debug("Registering this server failed, retrying in {}: {}", next, cause.toString());
                schedule(g, next);
            }
        });
    }

    /** The node, its serfHealth check and the consul service, as handleAliveMember registers a server. */
    static RegisterRequest registration(Identity id) {
        Map<String, String> tagged = new LinkedHashMap<>();
        boolean v6 = id.advertiseAddr().indexOf(':') >= 0;
        tagged.put("lan", id.advertiseAddr());
        tagged.put(v6 ? "lan_ipv6" : "lan_ipv4", id.advertiseAddr());
        tagged.put("wan", id.advertiseAddr());
        tagged.put(v6 ? "wan_ipv6" : "wan_ipv4", id.advertiseAddr());
        Map<String, String> meta = new LinkedHashMap<>(id.nodeMeta());
        meta.put("consul-network-segment", "");
        Node node = new Node(id.nodeId(), id.nodeName(), id.advertiseAddr(), id.datacenter(), tagged, meta, 0, 0);
        NodeService consul = new NodeService("", CONSUL_SERVICE, CONSUL_SERVICE, List.of(), "", Map.of(),
                Map.of("raft_version", "3", "serf_protocol_current", "2", "serf_protocol_min", "1",
                        "serf_protocol_max", "5", "version", id.version()),
                id.serverPort(), Weights.DEFAULT, false, 0, 0);
        return new RegisterRequest(node, consul, List.of(serfHealth(id.nodeName(), true)), false);
    }

    /**
     * A member's serfHealth check: the one place a member's liveness becomes a catalog status. Until
     * gossip exists only this server is a member, and it is alive.
     */
    static HealthCheck serfHealth(String node, boolean alive) {
        return new HealthCheck(node, Health.SERF_CHECK_ID, Health.SERF_CHECK_NAME,
                alive ? Health.PASSING : Health.CRITICAL, "", alive ? SERF_ALIVE_OUTPUT : SERF_FAILED_OUTPUT,
                "", "", List.of(), "", CheckDefinition.EMPTY, 0, 0);
    }

    /** Whether the catalog already holds exactly this registration (so proposing it would change nothing). */
    static boolean registered(StoreView view, RegisterRequest request) {
        Optional<NodeServices> ns = view.catalogNodeServices(request.node().node()).value();
        if (ns.isEmpty()) {
            return false;
        }
        Node n = ns.get().node();
        Node want = request.node();
        if (!n.node().equals(want.node()) || !n.id().equals(want.id()) || !n.address().equals(want.address())
                || !n.datacenter().equals(want.datacenter()) || !n.taggedAddresses().equals(want.taggedAddresses())
                || !n.meta().equals(want.meta())) {
            return false;
        }
        NodeService have = ns.get().services().get(CONSUL_SERVICE);
        if (have == null || !have.withIndexes(0, 0).equals(request.service().withIndexes(0, 0))) {
            return false;
        }
        HealthCheck wantSerf = request.checks().get(0);
        return view.healthNodeChecks(want.node()).value().stream()
                .anyMatch(c -> c.checkId().equals(wantSerf.checkId()) && c.status().equals(wantSerf.status())
                        && c.output().equals(wantSerf.output()) && c.name().equals(wantSerf.name()));
    }
}
