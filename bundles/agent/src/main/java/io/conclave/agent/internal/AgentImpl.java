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
import io.conclave.api.gossip.UserEvent;
import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
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
 * The local agent of a server: every call is routed to this server's own endpoints. (A client
 * agent will route them over RPC instead; that is a different component behind the same service.)
 * Identity and local state live in {@link LocalAgent}, which outlives this facade.
 */
@Component(service = Agent.class)
public class AgentImpl implements Agent {

    private static final Logger LOG = LoggerFactory.getLogger("agent");

    private final KvEndpoint kv;
    private final Consensus consensus;
    private final LocalAgent local;
    private final BundleContext context;
    private final AtomicBoolean leaving = new AtomicBoolean();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CatalogEndpoint catalog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HealthEndpoint health;

    @Activate
    public AgentImpl(@Reference KvEndpoint kv, @Reference Consensus consensus, @Reference LocalAgent local,
                     BundleContext context) {
        this.kv = kv;
        this.consensus = consensus;
        this.local = local;
        this.context = context;
    }

    @Override
    public AgentIdentity identity() {
        return local.state().identity();
    }

    @Override
    public KvEndpoint kv() {
        return kv;
    }

    @Override
    public CatalogEndpoint catalog() {
        CatalogEndpoint c = catalog;
        if (c == null) {
            throw new IllegalStateException("The catalog is not available: the server bundle is not active");
        }
        return c;
    }

    @Override
    public HealthEndpoint health() {
        HealthEndpoint h = health;
        if (h == null) {
            throw new IllegalStateException("The catalog is not available: the server bundle is not active");
        }
        return h;
    }

    @Override
    public ConsensusStatus status() {
        return consensus.status();
    }

    @Override
    public List<Member> members(boolean wan) {
        return wan ? List.of() : List.of(self());
    }

    @Override
    public CompletionStage<Integer> join(List<String> addresses, boolean wan) {
        throw new IllegalStateException("gossip is not available");
    }

    @Override
    public boolean forceLeave(String node, boolean prune, boolean wan) {
        throw new IllegalStateException("gossip is not available");
    }

    @Override
    public UserEvent fireEvent(String name, byte[] payload, String nodeFilter, String serviceFilter, String tagFilter) {
        throw new IllegalStateException("gossip is not available");
    }

    @Override
    public CompletionStage<QueryResult<List<UserEvent>>> events(String name, QueryOptions options) {
        throw new IllegalStateException("gossip is not available");
    }

    @Override
    public CompletionStage<List<KeyringResponse>> keyring(KeyringOperation operation, String key) {
        throw new IllegalStateException("gossip is not available");
    }

    @Override
    public Member self() {
        AgentIdentity id = identity();
        // memberlist's protocol range (1..5, speaking 2) and serf's delegate range (2..5, speaking 4), as Consul reports them.
        return new Member(id.nodeName(), id.advertiseAddr(), id.serfLanPort(), id.lanTags(), Member.STATUS_ALIVE,
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
