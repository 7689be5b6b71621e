package io.conclave.agent.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.agent.Member;
import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.UserEvent;
import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Agent} service: a thin facade over {@link LocalAgent} (identity, local state, received events) and
 * the endpoints each call is routed to. On a server those are the server bundle's own; on a client the rpc
 * bundle provides the same interfaces as proxies to a server, so nothing here assumes a local store.
 *
 * <p>Gossip is optional and dynamic: the LAN and WAN {@link Membership} pools (service property
 * {@value Membership#POOL}) may come and go. Without the LAN pool the agent knows only itself.
 */
@Component(service = {Agent.class, Runnable.class}, property = "conclave.agent=leave")
public class AgentImpl implements Agent, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger("agent");

    /** How long a graceful leave waits for each pool's leave intent to spread. */
    static final Duration LEAVE_WAIT = Duration.ofSeconds(5);
    static final String NO_GOSSIP = "Gossip is not available: the gossip bundle is not active";

    private final LocalAgent local;
    private final BundleContext context;
    private final AtomicBoolean leaving = new AtomicBoolean();
    /** {@link #LEAVE_WAIT}; shorter in tests. */
    volatile Duration leaveWait = LEAVE_WAIT;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile KvEndpoint kv;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Consensus consensus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CatalogEndpoint catalog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HealthEndpoint health;

    private volatile Membership lanPool;
    private volatile Membership wanPool;

    @Activate
    public AgentImpl(@Reference LocalAgent local, BundleContext context) {
        this.local = local;
        this.context = context;
    }

    /** For tests: the endpoints a component would be given. */
    AgentImpl(LocalAgent local, KvEndpoint kv, Consensus consensus) {
        this(local, null);
        this.kv = kv;
        this.consensus = consensus;
    }

    // ---- gossip pools ----

    @Reference(target = "(" + Membership.POOL + "=" + Membership.LAN + ")", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetLan")
    void setLan(Membership pool) {
        lanPool = pool;
    }

    void unsetLan(Membership pool) {
        if (lanPool == pool) {
            lanPool = null;
        }
    }

    @Reference(target = "(" + Membership.POOL + "=" + Membership.WAN + ")", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetWan")
    void setWan(Membership pool) {
        wanPool = pool;
    }

    void unsetWan(Membership pool) {
        if (wanPool == pool) {
            wanPool = null;
        }
    }

    @Override
    public AgentIdentity identity() {
        return local.state().identity();
    }

    @Override
    public KvEndpoint kv() {
        KvEndpoint k = kv;
        if (k == null) {
            throw new IllegalStateException("The KV store is not available: no server or RPC endpoint is active");
        }
        return k;
    }

    @Override
    public CatalogEndpoint catalog() {
        CatalogEndpoint c = catalog;
        if (c == null) {
            throw new IllegalStateException("The catalog is not available: no server or RPC endpoint is active");
        }
        return c;
    }

    @Override
    public HealthEndpoint health() {
        HealthEndpoint h = health;
        if (h == null) {
            throw new IllegalStateException("The catalog is not available: no server or RPC endpoint is active");
        }
        return h;
    }

    @Override
    public ConsensusStatus status() {
        Consensus c = consensus;
        if (c == null) {
            throw new IllegalStateException("The consensus status is not available: no server or RPC endpoint is active");
        }
        return c.status();
    }

    @Override
    public List<Member> members(boolean wan) {
        if (wan) {
            if (!identity().server()) {
                return List.of();
            }
            Membership pool = wanPool;
            return pool != null ? pool.members() : List.of(wanSelf());
        }
        Membership pool = lanPool;
        return pool != null ? pool.members() : List.of(self());
    }

    @Override
    public Member self() {
        Membership pool = lanPool;
        if (pool != null) {
            return pool.local();
        }
        AgentIdentity id = identity();
        return member(id.nodeName(), id.advertiseAddr(), id.serfLanPort(), id.lanTags());
    }

    /** This server in the WAN pool while gossip is absent: {@code NODE.DC} on the WAN port. */
    private Member wanSelf() {
        AgentIdentity id = identity();
        return member(id.nodeName() + "." + id.datacenter(), id.advertiseAddr(), id.serfWanPort(), id.wanTags());
    }

    private static Member member(String name, String addr, int port, Map<String, String> tags) {
        // memberlist's protocol range (1..5, speaking 2) and serf's delegate range (2..5, speaking 4), as Consul reports them.
        return new Member(name, addr, port, tags, Member.STATUS_ALIVE, 1, 5, 2, 2, 5, 4);
    }

    @Override
    public CompletionStage<Integer> join(List<String> addresses, boolean wan) {
        String label = wan ? "(WAN)" : "(LAN)";
        Membership pool;
        if (wan) {
            if (!identity().server()) {
                IllegalStateException e = new IllegalStateException("Must be a server to join WAN cluster");
                LOG.warn("{} couldn't join: number_of_nodes=0 error={}", label, e.getMessage());
                throw e;
            }
            pool = wanPool;
        } else {
            pool = lanPool;
        }
        if (pool == null) {
            throw new IllegalStateException(NO_GOSSIP);
        }
        LOG.info("{} joining: {}={}", label, wan ? "wan_addresses" : "lan_addresses", addresses);
        CompletionStage<Integer> joined;
        try {
            joined = pool.join(List.copyOf(addresses));
        } catch (RuntimeException e) {
            joined = CompletableFuture.failedFuture(e);
        }
        return joined.whenComplete((n, failure) -> {
            if (failure == null) {
                LOG.info("{} joined: number_of_nodes={}", label, n);
            } else {
                LOG.warn("{} couldn't join: number_of_nodes=0 error={}", label, CheckRunner.message(failure));
            }
        });
    }

    @Override
    public boolean forceLeave(String node, boolean prune, boolean wan) {
        if (wan) {
            LOG.info("(WAN) Force leaving node: node={}", node);
            if (!identity().server()) {
                throw new IllegalStateException("Must be a server to force-leave a node from the WAN cluster");
            }
            return pool(wanPool).forceLeave(node, prune);
        }
        LOG.info("Force leaving node: node={}", node);
        if (!pool(lanPool).forceLeave(node, prune)) {
            return false;
        }
        // Consul's RemoveFailedNode: a server also removes the node from the WAN pool, where it is NODE.DC.
        Membership wanNow = wanPool;
        if (wanNow != null && identity().server()) {
            String dc = identity().datacenter();
            String wanNode = node.endsWith("." + dc) ? node : node + "." + dc;
            try {
                wanNow.forceLeave(wanNode, prune);
            } catch (RuntimeException e) {
                LOG.warn("Failed to remove node: node={} error={}", wanNode, CheckRunner.message(e));
            }
        }
        return true;
    }

    private static Membership pool(Membership pool) {
        if (pool == null) {
            throw new IllegalStateException(NO_GOSSIP);
        }
        return pool;
    }

    @Override
    public UserEvent fireEvent(String name, byte[] payload, String nodeFilter, String serviceFilter, String tagFilter) {
        String node = nullToEmpty(nodeFilter);
        String service = nullToEmpty(serviceFilter);
        String tag = nullToEmpty(tagFilter);
        EventLog.validate(name, node, service, tag);
        UserEvent event = new UserEvent(UUID.randomUUID().toString(), name,
                payload == null || payload.length == 0 ? null : payload.clone(), node, service, tag,
                UserEvent.VERSION, 0);
        Membership pool = pool(lanPool);
        LOG.debug("Requesting user event send: event_name={} event_id={}", name, event.id());
        pool.fire(event);
        return event;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public CompletionStage<QueryResult<List<UserEvent>>> events(String name, QueryOptions options) {
        return local.events().list(name, options);
    }

    @Override
    public CompletionStage<List<KeyringResponse>> keyring(KeyringOperation operation, String key) {
        Membership lan = pool(lanPool);
        Membership wan = identity().server() ? wanPool : null;
        List<CompletableFuture<KeyringResponse>> answers = new ArrayList<>(2);
        if (wan != null) {
            answers.add(keyQuery(wan, operation, key));
        }
        answers.add(keyQuery(lan, operation, key));
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> answers.stream().map(CompletableFuture::join).toList());
    }

    private static CompletableFuture<KeyringResponse> keyQuery(Membership pool, KeyringOperation operation, String key) {
        try {
            return pool.keyring(operation, key).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void leave() {
        if (!leaving.compareAndSet(false, true)) {
            return;
        }
        LOG.info("graceful leave requested: stopping the agent");
        // Stopping the system bundle from a component callback would deadlock on our own deactivation.
        Thread stopper = new Thread(() -> {
            leavePools();
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.error("could not stop the framework", e);
            }
        }, "conclave-leave");
        stopper.setDaemon(false);
        stopper.start();
    }

    /**
     * Leaves the gossip pools without stopping anything: the launcher runs this (a {@link Runnable} with
     * {@code conclave.agent=leave}, a type both sides share) before it stops the framework on a client's
     * SIGINT/SIGTERM, as a Consul client leaves on interrupt and terminate.
     */
    @Override
    public void run() {
        if (leaving.compareAndSet(false, true)) {
            leavePools();
        }
    }

    /**
     * Consul's {@code Server.Leave} / {@code Client.Leave}: the WAN pool first (servers), then the LAN pool, each
     * waited for at most {@link #LEAVE_WAIT}. A pool that fails to leave is logged; the shutdown goes on.
     */
    void leavePools() {
        boolean server = identity().server();
        LOG.info(server ? "server starting leave" : "client starting leave");
        Membership wan = wanPool;
        if (server && wan != null) {
            leavePool(wan, "WAN");
        }
        Membership lan = lanPool;
        if (lan != null) {
            leavePool(lan, "LAN");
        }
    }

    private void leavePool(Membership pool, String label) {
        Duration wait = leaveWait;
        try {
            pool.leave().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.error("failed to leave {} Serf cluster: error=timed out after {}", label, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("failed to leave {} Serf cluster: error=interrupted", label);
        } catch (Exception e) {
            LOG.error("failed to leave {} Serf cluster: error={}", label, CheckRunner.message(e instanceof
                    java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e));
        }
    }

    // ---- local state ----

    @Override
    public Map<String, NodeService> services() {
        return local.state().services();
    }

    @Override
    public Optional<NodeService> service(String id) {
        return local.state().service(id);
    }

    @Override
    public void registerService(Map<String, Object> definition, boolean replaceExistingChecks) {
        local.state().registerService(definition, Source.REMOTE, replaceExistingChecks);
    }

    @Override
    public void deregisterService(String serviceId) {
        local.state().deregisterService(serviceId);
    }

    @Override
    public Map<String, HealthCheck> checks() {
        return local.state().checks();
    }

    @Override
    public void registerCheck(Map<String, Object> definition) {
        local.state().registerCheck(definition, Source.REMOTE);
    }

    @Override
    public void deregisterCheck(String checkId) {
        local.state().deregisterCheck(checkId);
    }

    @Override
    public void updateCheck(String checkId, String status, String output) {
        local.state().updateTtl(checkId, status, output);
    }

    @Override
    public void setNodeMaintenance(boolean enable, String reason) {
        local.state().setNodeMaintenance(enable, reason);
    }

    @Override
    public void setServiceMaintenance(String serviceId, boolean enable, String reason) {
        local.state().setServiceMaintenance(serviceId, enable, reason);
    }

    @Override
    public List<String> checkTypes() {
        return local.state().checkTypes();
    }

    @Override
    public void reload() {
        local.reload();
    }
}
