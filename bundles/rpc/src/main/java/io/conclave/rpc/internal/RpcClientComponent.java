package io.conclave.rpc.internal;

import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.api.kv.KvEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client agent's forwarding ({@code server} false): registers {@link KvEndpoint}, {@link CatalogEndpoint},
 * {@link HealthEndpoint} and {@link Consensus} services that send every call to a server over RPC, and finds
 * the servers in the LAN gossip pool (the {@link Membership} service, bound dynamically, plus its member
 * events through a {@link MembershipListener} registered alongside).
 *
 * <p>The services are registered by hand rather than declared, because whether they exist depends on a
 * configuration value ({@code server}), which DS cannot make a condition of a component. Configuration is
 * required for the same reason as the server's: without it nothing says this agent is a client. The
 * proxies carry {@value #FORWARDING_PROPERTY}{@code =true} (so the RPC server never binds them) and
 * {@code service.ranking} {@value #RANKING}, so they win over server-side endpoints should a server bundle
 * be present on a client.
 */
@Component(service = {}, immediate = true, configurationPid = RpcConfig.AGENT_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class RpcClientComponent extends AgentConfigured<RpcClientComponent.Setup> {

    static final String FORWARDING_PROPERTY = "conclave.rpc.forwarding";
    static final int RANKING = 100;
    /** How often the server list is reconciled with the full member list, healing any missed event. */
    static final Duration RESYNC_INTERVAL = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger("agent.client");

    private volatile Membership membership;

    private RpcClient client;
    private volatile ServerDiscovery discovery;
    private ScheduledFuture<?> resync;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    record Setup(String datacenter, RpcClient.Settings settings) {
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Membership.POOL + "=" + Membership.LAN + ")")
    void bindMembership(Membership m) {
        membership = m;
        resync();
    }

    /**
     * The pool went away (its bundle is being updated): the servers it named are kept, as every consumer keeps
     * its state across a provider's departure, and the list is reconciled again when a pool is bound.
     */
    void unbindMembership(Membership m) {
        if (membership == m) {
            membership = null;
        }
    }

    @Override
    Setup setupFor(Map<String, Object> config) {
        return RpcConfig.server(config) ? null
                : new Setup(RpcConfig.datacenter(config), RpcConfig.clientSettings(config));
    }

    @Override
    void start(Setup wanted) {
        RpcClient c = new RpcClient(wanted.settings());
        client = c;
        discovery = new ServerDiscovery(c, wanted.datacenter());

        // the listener first, then the full list: a change between the two is seen either way
        MembershipListener listener = new MembershipListener() {
            @Override
            public void memberChanged(String pool, MemberEvent event) {
                ServerDiscovery d = discovery;
                if (Membership.LAN.equals(pool) && d != null) {
                    d.onEvent(event);
                }
            }
        };
        registrations.add(context.registerService(MembershipListener.class, listener, null));
        resync();
        resync = c.every(RESYNC_INTERVAL, this::resync);

        Dictionary<String, Object> props = new Hashtable<>();
        props.put(FORWARDING_PROPERTY, true);
        props.put(Constants.SERVICE_RANKING, RANKING);
        registrations.add(context.registerService(KvEndpoint.class, new ForwardingKv(c), props));
        registrations.add(context.registerService(CatalogEndpoint.class, new ForwardingCatalog(c), props));
        registrations.add(context.registerService(HealthEndpoint.class, new ForwardingHealth(c), props));
        registrations.add(context.registerService(Consensus.class, new ForwardingConsensus(c), props));
        LOG.info("client agent: forwarding KV, catalog, health and status calls to servers in {}",
                wanted.datacenter());
    }

    private void resync() {
        ServerDiscovery d = discovery;
        Membership m = membership;
        if (d == null || m == null) {
            return;
        }
        try {
            d.sync(m.members());
        } catch (RuntimeException e) {
            LOG.warn("could not read the LAN members to find servers: {}", e.toString());
        }
    }

    @Override
    void stop() {
        registrations.forEach(AgentConfigured::unregister);
        registrations.clear();
        if (resync != null) {
            resync.cancel(false);
            resync = null;
        }
        discovery = null;
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
