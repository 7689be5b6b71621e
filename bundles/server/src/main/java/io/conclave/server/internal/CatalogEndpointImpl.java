package io.conclave.server.internal;

import io.conclave.api.catalog.CatalogCommands;
import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.gossip.Membership;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import io.conclave.api.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Consul's Catalog endpoint on a server ({@code agent/consul/catalog_endpoint.go}): reads through the
 * store's blocking helper, writes through consensus as {@link MessageType#REGISTER} and
 * {@link MessageType#DEREGISTER} commands, after the RPC's own checks and defaults ({@code nodePreApply},
 * {@code servicePreApply}, {@code checkPreApply}). Their failures are {@link IllegalArgumentException}s
 * with Consul's texts; the store's (a check for an unknown service, …) come back the same way.
 */
@Component(service = CatalogEndpoint.class, configurationPid = StoreReads.AGENT_PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class CatalogEndpointImpl implements CatalogEndpoint {

    private final Consensus consensus;
    private final StoreReads reads;
    private volatile String datacenter = StoreReads.DEFAULT_DATACENTER;

    @Activate
    public CatalogEndpointImpl(@Reference StateStore store, @Reference Consensus consensus, Map<String, Object> config) {
        this.consensus = consensus;
        this.reads = new StoreReads(store, consensus);
        modified(config);
    }

    @Modified
    void modified(Map<String, Object> config) {
        datacenter = StoreReads.datacenter(config);
    }

    @Override
    public CompletionStage<Void> register(RegisterRequest request) {
        RegisterRequest checked;
        try {
            checked = preApply(request, datacenter);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return consensus.propose(Command.of(MessageType.REGISTER, CatalogCommands.encode(checked)))
                .thenApply(result -> null);
    }

    /**
     * Catalog.Register's checks and defaults: a node name; a well-formed node ID if any; an address unless
     * skipNodeUpdate; the request's datacenter (own when empty); a service ID defaulting to its name, a
     * name when there is an ID, not a wildcard address; each check on the request's node, its ID
     * defaulting to its name.
     */
    static RegisterRequest preApply(RegisterRequest req, String ownDatacenter) {
        Node n = req.node();
        if (n.node().isEmpty()) {
            throw new IllegalArgumentException("Must provide node");
        }
        if (!n.id().isEmpty()) {
            String bad = Uuids.parseError(n.id());
            if (bad != null) {
                throw new IllegalArgumentException("Bad node ID: " + bad);
            }
        }
        if (n.address().isEmpty() && !req.skipNodeUpdate()) {
            throw new IllegalArgumentException("Must provide address if SkipNodeUpdate is not set");
        }
        StoreReads.checkDatacenter(n.datacenter(), ownDatacenter);
        Node node = n.datacenter().isEmpty()
                ? new Node(n.id(), n.node(), n.address(), ownDatacenter, n.taggedAddresses(), n.meta(), 0, 0)
                : n.withIndexes(0, 0);

        NodeService service = req.service();
        if (service != null) {
            if (service.id().isEmpty() && !service.service().isEmpty()) {
                service = new NodeService(service.kind(), service.service(), service.service(), service.tags(),
                        service.address(), service.taggedAddresses(), service.meta(), service.port(), service.weights(),
                        service.enableTagOverride(), 0, 0);
            }
            if (!service.id().isEmpty() && service.service().isEmpty()) {
                throw new IllegalArgumentException("Must provide service name with ID");
            }
            if (isAny(service.address())) {
                throw new IllegalArgumentException("Invalid service address");
            }
            service = service.withIndexes(0, 0);
        }

        List<HealthCheck> checks = new ArrayList<>(req.checks().size());
        for (HealthCheck c : req.checks()) {
            String checkNode = c.node().isEmpty() ? node.node() : c.node();
            String checkId = c.checkId().isEmpty() ? c.name() : c.checkId();
            checks.add(new HealthCheck(checkNode, checkId, c.name(), c.status(), c.notes(), c.output(), c.serviceId(),
                    c.serviceName(), c.serviceTags(), c.type(), c.definition(), 0, 0));
        }
        return new RegisterRequest(node, service, checks, req.skipNodeUpdate());
    }

    /** Consul's {@code ipaddr.IsAny}: the IPv4 or IPv6 wildcard address. */
    private static boolean isAny(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    @Override
    public CompletionStage<Void> deregister(DeregisterRequest request) {
        if (request.node().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Must provide node"));
        }
        return consensus.propose(Command.of(MessageType.DEREGISTER, CatalogCommands.encode(request)))
                .thenApply(result -> null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Membership.POOL + "=" + Membership.WAN + ")")
    volatile Membership wan;

    /**
     * Catalog.ListDatacenters: this datacenter first, then every other datacenter with a server in the WAN pool
     * (Consul orders those by round-trip time; without network coordinates they are sorted by name). Failed
     * servers count, as in Consul's router, until they are reaped.
     */
    @Override
    public List<String> datacenters() {
        Membership pool = wan;
        java.util.TreeSet<String> others = new java.util.TreeSet<>();
        if (pool != null) {
            for (io.conclave.api.agent.Member m : pool.members()) {
                String dc = m.tags().get("dc");
                if ("consul".equals(m.tags().get("role")) && dc != null && !dc.equals(datacenter) && m.status() != 3) {
                    others.add(dc);
                }
            }
        }
        List<String> all = new java.util.ArrayList<>(others.size() + 1);
        all.add(datacenter);
        all.addAll(others);
        return all;
    }

    @Override
    public CompletionStage<QueryResult<List<Node>>> nodes(QueryOptions options) {
        return reads.read(datacenter, options, view -> view.catalogNodes());
    }

    @Override
    public CompletionStage<QueryResult<Map<String, List<String>>>> services(QueryOptions options) {
        return services(Map.of(), options);
    }

    @Override
    public CompletionStage<QueryResult<Map<String, List<String>>>> services(Map<String, String> nodeMeta,
                                                                            QueryOptions options) {
        Map<String, String> meta = Map.copyOf(nodeMeta);
        return reads.read(datacenter, options, view -> view.catalogServices(meta));
    }

    @Override
    public CompletionStage<QueryResult<List<ServiceInstance>>> service(String name, List<String> tags,
                                                                       QueryOptions options) {
        if (name == null || name.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Must provide service name"));
        }
        List<String> t = tags == null ? List.of() : List.copyOf(tags);
        return reads.read(datacenter, options, view -> view.catalogServiceNodes(name, t));
    }

    @Override
    public CompletionStage<QueryResult<Optional<NodeServices>>> node(String node, QueryOptions options) {
        if (node == null || node.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Must provide node"));
        }
        return reads.read(datacenter, options, view -> view.catalogNodeServices(node));
    }
}
