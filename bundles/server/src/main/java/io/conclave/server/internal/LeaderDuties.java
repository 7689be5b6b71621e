package io.conclave.server.internal;

import io.conclave.api.agent.Member;
import io.conclave.api.catalog.CatalogCommands;
import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.DeregisterRequest;
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
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.api.state.StateStore;
import io.conclave.api.state.StoreView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the leader does for the catalog (Consul's {@code leader.go} reconcile): brings every LAN gossip member
 * into the catalog. An alive member is a node with its {@code serfHealth} check passing ({@code Agent alive and
 * reachable}), plus the {@code consul} service for a server; a failed one keeps its node with {@code serfHealth}
 * critical ({@code Agent not live or unreachable}), so its services drop out of DNS and {@code ?passing}; a member
 * that left or was reaped is deregistered, as is any catalog node with a serfHealth check that gossip no longer
 * knows. This server registers itself from its configuration, with its tagged addresses and node meta.
 *
 * <p>Member events (this component is a {@link MembershipListener}) reconcile one member at once; a full pass
 * runs at start, when the configuration or the gossip service changes, and every {@link #RECONCILE_INTERVAL}.
 * Without gossip, this server is the only member.
 *
 * <p>It reads the agent's configuration ({@code io.conclave.agent}: {@code node_name}, {@code node_id},
 * {@code advertise_addr}, {@code datacenter}, {@code server_port}, {@code version}, {@code node_meta}). A
 * registration that would change nothing is not proposed; one that fails because there is no leader (yet)
 * is retried with backoff; one the catalog refuses is logged and dropped.
 */
@Component(service = MembershipListener.class, immediate = true, configurationPid = StoreReads.AGENT_PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class LeaderDuties implements MembershipListener {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderDuties.class);

    static final String CONSUL_SERVICE = "consul";
    static final String SERF_ALIVE_OUTPUT = "Agent alive and reachable";
    static final String SERF_FAILED_OUTPUT = "Agent not live or unreachable";
    static final Duration FIRST_RETRY = Duration.ofMillis(200);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** Consul's reconcile_interval. */
    static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(60);
    static final int STATUS_LEFT = 3;
    static final int STATUS_FAILED = 4;

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
    private volatile Membership lan;
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
        restart();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Membership.POOL + "=" + Membership.LAN + ")")
    void bindLan(Membership membership) {
        lan = membership;
        restart();
    }

    void unbindLan(Membership membership) {
        if (lan == membership) {
            lan = null;
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    /** A member changed: reconcile just that member now (Consul's reconcileCh); the periodic pass catches the rest. */
    @Override
    public void memberChanged(String pool, MemberEvent event) {
        if (!Membership.LAN.equals(pool)) {
            return;
        }
        try {
            timer.execute(() -> {
                if (consensus.status().isLeader()) {
                    reconcile(event.member(), event.type() == MemberEvent.Type.REAP);
                }
            });
        } catch (RejectedExecutionException e) {
            // deactivated
        }
    }

    /** Starts a new full-reconcile chain; the previous chain ends at its next step. */
    private void restart() {
        long g;
        synchronized (this) {
            g = ++generation;
        }
        schedule(g, Duration.ZERO, Duration.ZERO);
    }

    private void schedule(long g, Duration delay, Duration lastRetry) {
        try {
            timer.schedule(() -> fullReconcile(g, lastRetry), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // deactivated
        }
    }

    private synchronized boolean current(long g) {
        return g == generation;
    }

    /**
     * Consul's {@code leaderLoop} reconcile: every member is brought into the catalog, and catalog nodes that
     * are no longer members are removed. Runs when leadership, configuration or gossip changes and every
     * {@link #RECONCILE_INTERVAL}; a pass that could not finish (no leader yet, a failed proposal) is retried
     * with backoff.
     */
    private void fullReconcile(long g, Duration lastRetry) {
        if (!current(g)) {
            return;
        }
        Duration retry = lastRetry.isZero() ? FIRST_RETRY
                : lastRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : lastRetry.multipliedBy(2);
        if (!consensus.status().isLeader()) {
            schedule(g, retry, retry);
            return;
        }
        Membership pool = lan;
        List<Member> members = pool == null ? List.of() : pool.members();
        List<CompletableFuture<Boolean>> steps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        names.add(identity.nodeName());
        steps.add(reconcileSelf());
        for (Member m : members) {
            names.add(m.name());
            if (!m.name().equals(identity.nodeName())) {
                steps.add(reconcile(m, false));
            }
        }
        steps.addAll(reconcileReaped(names));
        CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            boolean done = error == null && steps.stream().allMatch(CompletableFuture::join);
            schedule(g, done ? RECONCILE_INTERVAL : retry, done ? Duration.ZERO : retry);
        });
    }

    /** This server's own entry, richer than a member's (tagged addresses, node meta): registered from its configuration. */
    private CompletableFuture<Boolean> reconcileSelf() {
        Identity id = identity;
        RegisterRequest request;
        try {
            request = CatalogEndpointImpl.preApply(registration(id), id.datacenter());
        } catch (RuntimeException e) {
            LOG.error("Cannot register this server in the catalog: {}", e.getMessage());
            return CompletableFuture.completedFuture(true);
        }
        if (registered(store.view(), request)) {
            return CompletableFuture.completedFuture(true);
        }
        return propose(Command.of(MessageType.REGISTER, CatalogCommands.encode(request)),
                "member joined, marking health alive: member=" + id.nodeName());
    }

    /**
     * One member (Consul's {@code reconcileMember}): alive → registered with {@code serfHealth} passing (and the
     * {@code consul} service for a server); failed → {@code serfHealth} critical; left or reaped → deregistered.
     * Leaving members wait for their next state; servers of other datacenters are not ours to register.
     */
    CompletableFuture<Boolean> reconcile(Member member, boolean reaped) {
        Identity id = identity;
        if (member.name().equals(id.nodeName())) {
            return reconcileSelf();
        }
        String role = member.tags().getOrDefault("role", "");
        if ("consul".equals(role) && !id.datacenter().equals(member.tags().getOrDefault("dc", id.datacenter()))) {
            return CompletableFuture.completedFuture(true);
        }
        int status = member.status();
        if (reaped || status == STATUS_LEFT) {
            return deregister(member.name(), reaped ? "reaped" : "left");
        }
        if (status != Member.STATUS_ALIVE && status != STATUS_FAILED) {
            return CompletableFuture.completedFuture(true);
        }
        boolean alive = status == Member.STATUS_ALIVE;
        StoreView view = store.view();
        RegisterRequest request;
        try {
            request = CatalogEndpointImpl.preApply(memberRegistration(member, alive, view, id), id.datacenter());
        } catch (RuntimeException e) {
            LOG.warn("skipping reconcile of node {}: {}", member.name(), e.getMessage());
            return CompletableFuture.completedFuture(true);
        }
        if (memberRegistered(view, request)) {
            return CompletableFuture.completedFuture(true);
        }
        return propose(Command.of(MessageType.REGISTER, CatalogCommands.encode(request)), alive
                ? "member joined, marking health alive: member=" + member.name()
                : "member failed, marking health critical: member=" + member.name());
    }

    /** Catalog nodes carrying a serfHealth check that gossip no longer knows (Consul's {@code reconcileReaped}). */
    private List<CompletableFuture<Boolean>> reconcileReaped(Set<String> members) {
        if (lan == null) {
            return List.of(); // without gossip there is no member list to compare with
        }
        List<CompletableFuture<Boolean>> steps = new ArrayList<>();
        StoreView view = store.view();
        for (Node n : view.catalogNodes().value()) {
            if (members.contains(n.node())) {
                continue;
            }
            boolean gossipManaged = view.healthNodeChecks(n.node()).value().stream()
                    .anyMatch(c -> c.checkId().equals(Health.SERF_CHECK_ID));
            if (gossipManaged) {
                steps.add(deregister(n.node(), "reaped"));
            }
        }
        return steps;
    }

    private CompletableFuture<Boolean> deregister(String node, String why) {
        if (store.view().catalogNodeServices(node).value().isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        return propose(Command.of(MessageType.DEREGISTER, CatalogCommands.encode(new DeregisterRequest(node, "", ""))),
                "member " + why + ", deregistering: member=" + node);
    }

    /** Completes with true once applied, false when it should be retried; a refused command is logged and not retried. */
    private CompletableFuture<Boolean> propose(Command command, String done) {
        return consensus.propose(command).handle((r, error) -> {
            if (error == null) {
                LOG.info(done);
                return true;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof IllegalArgumentException) {
                LOG.error("The catalog refused a reconcile step ({}): {}", done, cause.getMessage());
                return true;
            }
            LOG.debug("A reconcile step failed and will be retried ({}): {}", done, cause.toString());
            return false;
        }).toCompletableFuture();
    }

    /**
     * A member's registration as Consul's {@code handleAliveMember}/{@code handleFailedMember} make it: the node
     * (keeping the tagged addresses and meta its agent wrote, when the address is unchanged), its serfHealth check,
     * and for a server the {@code consul} service on its RPC port.
     */
    static RegisterRequest memberRegistration(Member member, boolean alive, StoreView view, Identity id) {
        Optional<NodeServices> existing = view.catalogNodeServices(member.name()).value();
        Node known = existing.map(NodeServices::node).filter(n -> n.address().equals(member.addr())).orElse(null);
        Node node = new Node(member.tags().getOrDefault("id", known == null ? "" : known.id()), member.name(),
                member.addr(), id.datacenter(), known == null ? Map.of() : known.taggedAddresses(),
                known == null ? Map.of() : known.meta(), 0, 0);
        NodeService consul = null;
        if (alive && "consul".equals(member.tags().get("role"))) {
            int port = Integer.parseInt(member.tags().getOrDefault("port", "8300"));
            consul = new NodeService("", CONSUL_SERVICE, CONSUL_SERVICE, List.of(), "", Map.of(),
                    Map.of("raft_version", member.tags().getOrDefault("raft_vsn", "3"),
                            "serf_protocol_current", Integer.toString(member.protocolCur()),
                            "serf_protocol_min", Integer.toString(member.protocolMin()),
                            "serf_protocol_max", Integer.toString(member.protocolMax()),
                            "version", member.tags().getOrDefault("build", "").split(":")[0]),
                    port, Weights.DEFAULT, false, 0, 0);
        }
        return new RegisterRequest(node, consul, List.of(serfHealth(member.name(), alive)), false);
    }

    /** Whether the member's node and serfHealth (and consul service, if any) are already as wanted. */
    static boolean memberRegistered(StoreView view, RegisterRequest request) {
        Optional<NodeServices> ns = view.catalogNodeServices(request.node().node()).value();
        if (ns.isEmpty()) {
            return false;
        }
        Node have = ns.get().node();
        Node want = request.node();
        if (!have.address().equals(want.address()) || !have.id().equals(want.id())) {
            return false;
        }
        if (request.service() != null) {
            NodeService s = ns.get().services().get(CONSUL_SERVICE);
            if (s == null || !s.withIndexes(0, 0).equals(request.service().withIndexes(0, 0))) {
                return false;
            }
        }
        return hasCheck(view, want.node(), request.checks().get(0));
    }

    private static boolean hasCheck(StoreView view, String node, HealthCheck want) {
        return view.healthNodeChecks(node).value().stream()
                .anyMatch(c -> c.checkId().equals(want.checkId()) && c.status().equals(want.status())
                        && c.output().equals(want.output()) && c.name().equals(want.name()));
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
        return hasCheck(view, want.node(), request.checks().get(0));
    }
}
