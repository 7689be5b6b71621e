package io.conclave.agent.internal;

import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy: keeps the catalog's view of this node equal to the agent's local state, as Consul's
 * {@code agent/ae} and {@code local.State.SyncFull/SyncChanges} do.
 *
 * <ul>
 * <li>Every change marks its entry out of sync and asks for a <em>partial</em> sync, which pushes just
 *     the entries out of sync (coalesced: at most one sync runs, and one more follows if asked meanwhile).
 * <li>A <em>full</em> sync (at start, when the catalog appears, every {@code ae_interval} plus a random
 *     stagger, and 15s after a failure) first reads the node's services and checks from the catalog,
 *     marks what differs out of sync and what the agent does not know for removal, then syncs. It never
 *     removes the {@code serfHealth} check or the {@code consul} service, which the servers manage.
 * </ul>
 *
 * <p>Fields are guarded by the {@link AgentState}'s monitor; catalog calls are made without it.
 */
final class AntiEntropy {

    private static final Logger LOG = LoggerFactory.getLogger("agent");

    /** Consul's {@code retryFailIntv}. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(15);
    /** Consul's {@code serverUpIntv}: a full sync follows a server joining within a random stagger of this. */
    static final Duration SERVER_UP_INTERVAL = Duration.ofSeconds(3);
    static final String CONSUL_SERVICE_ID = "consul";

    private final AgentState state;
    private final Scheduler scheduler;
    private CatalogEndpoint catalog;
    private HealthEndpoint health;
    private boolean started;
    private boolean stopped;
    private boolean running;
    private boolean wantPartial;
    private boolean wantFull;
    private Scheduler.Cancellable periodic;
    private Scheduler.Cancellable retry;
    private Scheduler.Cancellable serverUp;
    /** Whether the catalog holds this node's current address, tagged addresses and meta. */
    boolean nodeInfoInSync;

    AntiEntropy(AgentState state, Scheduler scheduler) {
        this.state = state;
        this.scheduler = scheduler;
    }

    // ---- control (monitor held) ----

    void setEndpoints(CatalogEndpoint catalog, HealthEndpoint health) {
        boolean arrived = (this.catalog == null || this.health == null) && catalog != null && health != null;
        this.catalog = catalog;
        this.health = health;
        if (arrived) {
            requestFull();
        }
    }

    void start() {
        started = true;
        requestFull();
        schedulePeriodic();
    }

    void stop() {
        stopped = true;
        if (periodic != null) {
            periodic.cancel();
        }
        if (retry != null) {
            retry.cancel();
        }
        if (serverUp != null) {
            serverUp.cancel();
        }
    }

    /**
     * Consul's {@code ServerUp} hook: a server joined the LAN pool, so a sync that failed for want of one (a
     * client's {@code No known Consul servers}) is retried within a short stagger instead of after the retry wait.
     */
    void serverUp() {
        if (stopped || serverUp != null) {
            return;
        }
        serverUp = scheduler.schedule(scheduler.stagger(SERVER_UP_INTERVAL), () -> {
            synchronized (state) {
                serverUp = null;
                if (retry != null) {
                    retry.cancel();
                    retry = null;
                }
                requestFull();
            }
        });
    }

    void triggerPartial() {
        wantPartial = true;
        kick();
    }

    void requestFull() {
        wantFull = true;
        kick();
    }

    private void kick() {
        if (started && !stopped && !running && catalog != null && health != null && (wantFull || wantPartial)) {
            running = true;
            scheduler.execute(this::cycle);
        }
    }

    private void schedulePeriodic() {
        Duration interval = state.config().aeInterval();
        periodic = scheduler.schedule(interval.plus(scheduler.stagger(interval)), () -> {
            synchronized (state) {
                if (!stopped) {
                    requestFull();
                    schedulePeriodic();
                }
            }
        });
    }

    private void scheduleRetry() {
        if (retry != null || stopped) {
            return;
        }
        retry = scheduler.schedule(RETRY_INTERVAL.plus(scheduler.stagger(RETRY_INTERVAL)), () -> {
            synchronized (state) {
                retry = null;
                requestFull();
            }
        });
    }

    // ---- one sync (no monitor held) ----

    private void cycle() {
        boolean full;
        CatalogEndpoint c;
        HealthEndpoint h;
        String node;
        synchronized (state) {
            if (stopped || catalog == null || health == null) {
                running = false;
                return;
            }
            full = wantFull;
            wantFull = false;
            wantPartial = false;
            c = catalog;
            h = health;
            node = state.nodeName();
        }
        CompletionStage<Void> work = full ? fullSync(c, h, node) : syncChanges(c);
        work.whenComplete((ignored, failure) -> {
            synchronized (state) {
                running = false;
                if (failure != null) {
                    LOG.error(full ? "failed to sync remote state: error={}" : "failed to sync changes: error={}",
                            CheckRunner.message(failure));
                    scheduleRetry();
                }
                kick();
            }
        });
    }

    private CompletionStage<Void> fullSync(CatalogEndpoint c, HealthEndpoint h, String node) {
        QueryOptions options = new QueryOptions(null, 0, QueryOptions.DEFAULT_WAIT, Consistency.STALE);
        CompletionStage<QueryResult<Optional<NodeServices>>> services = call(() -> c.node(node, options));
        CompletionStage<QueryResult<List<HealthCheck>>> checks = call(() -> h.node(node, options));
        return services.thenCombine(checks, (s, k) -> {
            synchronized (state) {
                updateSyncStateLocked(s.value() == null ? Optional.empty() : s.value(),
                        k.value() == null ? List.of() : k.value());
            }
            return (Void) null;
        }).thenCompose(ignored -> syncChanges(c));
    }

    /** Consul's {@code updateSyncState}: compare the catalog with the local state and mark the differences. */
    void updateSyncStateLocked(Optional<NodeServices> remote, List<HealthCheck> remoteChecks) {
        Node ours = nodeRecord();
        Node theirs = remote.map(NodeServices::node).orElse(null);
        if (theirs == null || !theirs.id().equals(ours.id()) || !theirs.address().equals(ours.address())
                || !theirs.taggedAddresses().equals(ours.taggedAddresses()) || !theirs.meta().equals(ours.meta())) {
            nodeInfoInSync = false;
        }

        Map<String, NodeService> remoteServices = remote.map(NodeServices::services).orElse(Map.of());
        for (AgentState.ServiceEntry s : state.services.values()) {
            if (!s.deleted && !remoteServices.containsKey(s.service.id())) {
                s.inSync = false;
            }
        }
        for (Map.Entry<String, NodeService> e : remoteServices.entrySet()) {
            String id = e.getKey();
            NodeService rs = e.getValue();
            AgentState.ServiceEntry ls = state.services.get(id);
            if (ls == null) {
                if (id.equals(CONSUL_SERVICE_ID)) {
                    continue;
                }
                AgentState.ServiceEntry gone = new AgentState.ServiceEntry(rs, Source.REMOTE);
                gone.deleted = true;
                state.services.put(id, gone);
                continue;
            }
            if (ls.deleted) {
                continue;
            }
            if (ls.service.enableTagOverride() && !ls.service.tags().equals(rs.tags())) {
                NodeService s = ls.service;
                ls.service = new NodeService(s.kind(), s.id(), s.service(), rs.tags(), s.address(),
                        s.taggedAddresses(), s.meta(), s.port(), s.weights(), s.enableTagOverride(), 0, 0);
            }
            ls.inSync = ls.service.withIndexes(0, 0).equals(rs.withIndexes(0, 0));
        }

        Map<String, HealthCheck> byId = new HashMap<>();
        for (HealthCheck rc : remoteChecks) {
            byId.put(rc.checkId(), rc);
        }
        for (AgentState.CheckEntry c : state.checks.values()) {
            if (!c.deleted && !byId.containsKey(c.check.checkId())) {
                c.inSync = false;
            }
        }
        boolean deferOutput = state.config().checkUpdateInterval().compareTo(Duration.ZERO) > 0;
        for (HealthCheck rc : remoteChecks) {
            String id = rc.checkId();
            AgentState.CheckEntry lc = state.checks.get(id);
            if (lc == null) {
                if (id.equals(Health.SERF_CHECK_ID)) {
                    LOG.debug("Skipping remote check since it is managed automatically: check={}", id);
                    continue;
                }
                AgentState.CheckEntry gone = new AgentState.CheckEntry(rc, null, Source.REMOTE);
                gone.deleted = true;
                state.checks.put(id, gone);
                continue;
            }
            if (lc.deleted) {
                continue;
            }
            // While an output-only change waits for check_update_interval, the output is not compared.
            boolean ignoreOutput = deferOutput && lc.deferredSync != null;
            lc.inSync = sameCheck(lc.check, rc, ignoreOutput);
        }
    }

    /** Consul's {@code HealthCheck.IsSame}: everything but the type and the raft indexes. */
    static boolean sameCheck(HealthCheck a, HealthCheck b, boolean ignoreOutput) {
        return a.node().equals(b.node()) && a.checkId().equals(b.checkId()) && a.name().equals(b.name())
                && a.status().equals(b.status()) && a.notes().equals(b.notes())
                && (ignoreOutput || a.output().equals(b.output()))
                && a.serviceId().equals(b.serviceId()) && a.serviceName().equals(b.serviceName())
                && a.serviceTags().equals(b.serviceTags()) && a.definition().equals(b.definition());
    }

    /** This node as the catalog should show it. */
    Node nodeRecord() {
        AgentConfig config = state.config();
        AgentIdentity id = config.identity();
        String address = id.advertiseAddr();
        Map<String, String> tagged = new HashMap<>();
        tagged.put("lan", address);
        tagged.put("wan", address);
        if (address.indexOf(':') >= 0) {
            tagged.put("lan_ipv6", address);
            tagged.put("wan_ipv6", address);
        } else {
            tagged.put("lan_ipv4", address);
            tagged.put("wan_ipv4", address);
        }
        Map<String, String> meta = new HashMap<>(config.nodeMeta());
        meta.put("consul-network-segment", "");
        return new Node(id.nodeId(), id.nodeName(), address, id.datacenter(), tagged, meta, 0, 0);
    }

    /** One catalog write decided under the monitor: the call, and what success or failure does to the state. */
    private interface Step {
        CompletionStage<Void> call();

        /** Monitor held. */
        void succeeded();

        default boolean tolerates(Throwable failure) {
            return false;
        }

        /** Monitor held. */
        default void failed(Throwable failure) {
        }
    }

    /** Consul's {@code SyncChanges}: services, then checks, then node info, each pushed on its own. */
    CompletionStage<Void> syncChanges(CatalogEndpoint c) {
        List<Supplier<Step>> plan = new ArrayList<>();
        synchronized (state) {
            for (Map.Entry<String, AgentState.ServiceEntry> e : state.services.entrySet()) {
                if (e.getValue().deleted || !e.getValue().inSync) {
                    String id = e.getKey();
                    plan.add(() -> serviceStep(c, id));
                } else {
                    LOG.debug("Service in sync: service={}", e.getKey());
                }
            }
            for (Map.Entry<String, AgentState.CheckEntry> e : state.checks.entrySet()) {
                if (e.getValue().deleted || !e.getValue().inSync) {
                    String id = e.getKey();
                    plan.add(() -> checkStep(c, id));
                } else {
                    LOG.debug("Check in sync: check={}", e.getKey());
                }
            }
            plan.add(() -> nodeStep(c));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        advance(plan.iterator(), done);
        return done;
    }

    /** Runs the steps one after the other; completed calls continue in the loop, others on the scheduler. */
    private void advance(Iterator<Supplier<Step>> plan, CompletableFuture<Void> done) {
        while (plan.hasNext()) {
            Supplier<Step> next = plan.next();
            Step step;
            synchronized (state) {
                if (stopped) {
                    done.complete(null);
                    return;
                }
                step = next.get();
            }
            if (step == null) {
                continue;
            }
            CompletableFuture<Void> result = new CompletableFuture<>();
            call(step::call).whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(null);
                }
            });
            if (result.isDone()) {
                if (!finish(step, result, done)) {
                    return;
                }
                continue;
            }
            result.whenComplete((v, e) -> {
                if (finish(step, result, done)) {
                    scheduler.execute(() -> advance(plan, done));
                }
            });
            return;
        }
        done.complete(null);
    }

    private boolean finish(Step step, CompletableFuture<Void> result, CompletableFuture<Void> done) {
        Throwable failure = null;
        try {
            result.join();
        } catch (RuntimeException e) {
            failure = e.getCause() != null ? e.getCause() : e;
        }
        synchronized (state) {
            if (failure == null || step.tolerates(failure)) {
                step.succeeded();
                return true;
            }
            step.failed(failure);
        }
        done.completeExceptionally(failure);
        return false;
    }

    private Step serviceStep(CatalogEndpoint c, String id) {
        AgentState.ServiceEntry s = state.services.get(id);
        if (s == null) {
            return null;
        }
        String node = state.nodeName();
        if (s.deleted) {
            return new Step() {
                public CompletionStage<Void> call() {
                    return c.deregister(new DeregisterRequest(node, id, null));
                }

                public void succeeded() {
                    if (state.services.get(id) == s) {
                        state.services.remove(id);
                    }
                    LOG.info("Deregistered service: service={}", id);
                }

                public boolean tolerates(Throwable failure) {
                    return String.valueOf(failure.getMessage()).contains("Unknown service");
                }

                public void failed(Throwable failure) {
                    LOG.warn("Deregistering service failed.: service={} error={}", id, CheckRunner.message(failure));
                }
            };
        }
        if (s.inSync) {
            return null;
        }
        long version = s.version;
        // Out-of-sync checks of the service ride along, registered in the same transaction.
        List<AgentState.CheckEntry> riders = new ArrayList<>();
        List<Long> riderVersions = new ArrayList<>();
        List<HealthCheck> checks = new ArrayList<>();
        for (AgentState.CheckEntry e : state.checks.values()) {
            if (!e.deleted && !e.inSync && e.check.serviceId().equals(id)) {
                riders.add(e);
                riderVersions.add(e.version);
                checks.add(e.check);
            }
        }
        RegisterRequest request = new RegisterRequest(nodeRecord(), s.service, checks, nodeInfoInSync);
        return new Step() {
            public CompletionStage<Void> call() {
                return c.register(request);
            }

            public void succeeded() {
                if (state.services.get(id) == s && s.version == version) {
                    s.inSync = true;
                }
                nodeInfoInSync = true;
                for (int i = 0; i < riders.size(); i++) {
                    AgentState.CheckEntry e = riders.get(i);
                    if (state.checks.get(e.check.checkId()) == e && e.version == riderVersions.get(i)) {
                        e.inSync = true;
                        cancelDeferred(e);
                    }
                }
                LOG.info("Synced service: service={}", id);
            }

            public void failed(Throwable failure) {
                LOG.warn("Syncing service failed.: service={} error={}", id, CheckRunner.message(failure));
            }
        };
    }

    private Step checkStep(CatalogEndpoint c, String id) {
        AgentState.CheckEntry e = state.checks.get(id);
        if (e == null) {
            return null;
        }
        String node = state.nodeName();
        if (e.deleted) {
            return new Step() {
                public CompletionStage<Void> call() {
                    return c.deregister(new DeregisterRequest(node, null, id));
                }

                public void succeeded() {
                    if (state.checks.get(id) == e) {
                        state.checks.remove(id);
                    }
                    cancelDeferred(e);
                    LOG.info("Deregistered check: check={}", id);
                }

                public boolean tolerates(Throwable failure) {
                    return String.valueOf(failure.getMessage()).contains("Unknown check");
                }

                public void failed(Throwable failure) {
                    LOG.warn("Deregistering check failed.: check={} error={}", id, CheckRunner.message(failure));
                }
            };
        }
        if (e.inSync) {
            return null;
        }
        long version = e.version;
        AgentState.ServiceEntry s = state.liveService(e.check.serviceId());
        RegisterRequest request = new RegisterRequest(nodeRecord(), s == null ? null : s.service, List.of(e.check),
                nodeInfoInSync);
        return new Step() {
            public CompletionStage<Void> call() {
                return c.register(request);
            }

            public void succeeded() {
                if (state.checks.get(id) == e && e.version == version) {
                    e.inSync = true;
                    cancelDeferred(e);
                }
                nodeInfoInSync = true;
                LOG.info("Synced check: check={}", id);
            }

            public void failed(Throwable failure) {
                LOG.warn("Syncing check failed.: check={} error={}", id, CheckRunner.message(failure));
            }
        };
    }

    private Step nodeStep(CatalogEndpoint c) {
        if (nodeInfoInSync) {
            LOG.debug("Node info in sync");
            return null;
        }
        RegisterRequest request = new RegisterRequest(nodeRecord(), null, List.of(), false);
        return new Step() {
            public CompletionStage<Void> call() {
                return c.register(request);
            }

            public void succeeded() {
                nodeInfoInSync = true;
                LOG.info("Synced node info");
            }

            public void failed(Throwable failure) {
                LOG.warn("Syncing node info failed.: error={}", CheckRunner.message(failure));
            }
        };
    }

    private static void cancelDeferred(AgentState.CheckEntry e) {
        if (e.deferredSync != null) {
            e.deferredSync.cancel();
            e.deferredSync = null;
        }
    }

    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
        try {
            CompletionStage<T> stage = call.get();
            return stage != null ? stage : CompletableFuture.failedFuture(new IllegalStateException("no answer"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
