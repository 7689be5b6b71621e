package io.conclave.rpc.internal;

import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.kv.KvEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server RPC port on a server agent ({@code server} true, dev agents included): listens on
 * {@code bind_addr}:{@code server_port} and serves calls from client agents with this server's endpoints.
 *
 * <p>Configuration is required: without PID {@code io.conclave.agent} nothing says whether this agent is a
 * server, and opening port 8300 by default would bind where nobody asked. The endpoint references are
 * dynamic, so an endpoint bundle can be replaced without closing the port; they never bind the client-side
 * forwarding proxies ({@value #LOCAL_ONLY}), which would loop calls back out.
 *
 * <p>Once bound, the port is announced twice: the log line {@code RPC server listening on ADDR:PORT} (logger
 * {@code agent.rpc}) and a service registered under this bundle's {@link RpcServer} class name with
 * properties {@value #PORT_PROPERTY} and {@value #ADDRESS_PROPERTY}, found with the filter
 * {@code (conclave.rpc.port=*)} without loading the class (as the launcher finds {@code HttpListener}).
 * Gossip needs the bound port for the {@code port} tag when {@code server_port} is 0.
 */
@Component(service = {}, immediate = true, configurationPid = RpcConfig.AGENT_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class RpcServerComponent extends AgentConfigured<RpcServerComponent.Setup> {

    /** Target of the endpoint references: anything but this bundle's own forwarding proxies. */
    static final String LOCAL_ONLY = "(!(" + RpcClientComponent.FORWARDING_PROPERTY + "=true))";
    static final String PORT_PROPERTY = "conclave.rpc.port";
    static final String ADDRESS_PROPERTY = "conclave.rpc.address";

    private static final Logger LOG = LoggerFactory.getLogger("agent.rpc");

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = LOCAL_ONLY)
    private volatile KvEndpoint kv;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = LOCAL_ONLY)
    private volatile CatalogEndpoint catalog;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = LOCAL_ONLY)
    private volatile HealthEndpoint health;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = LOCAL_ONLY)
    private volatile Consensus consensus;

    private RpcServer server;
    private ServiceRegistration<RpcServer> registration;

    record Setup(InetSocketAddress bind, RpcServer.Limits limits) {
    }

    private final Endpoints endpoints = new Endpoints() {
        @Override
        public KvEndpoint kv() {
            return present(kv, "KV");
        }

        @Override
        public CatalogEndpoint catalog() {
            return present(catalog, "catalog");
        }

        @Override
        public HealthEndpoint health() {
            return present(health, "health");
        }

        @Override
        public Consensus consensus() {
            return present(consensus, "consensus");
        }
    };

    private static <T> T present(T endpoint, String what) {
        if (endpoint == null) {
            throw new IllegalStateException("The " + what + " endpoint is not available on this server");
        }
        return endpoint;
    }

    @Override
    Setup setupFor(Map<String, Object> config) {
        return RpcConfig.server(config)
                ? new Setup(RpcConfig.bindAddress(config), RpcConfig.serverLimits(config))
                : null;
    }

    @Override
    void start(Setup wanted) {
        RpcServer s = new RpcServer(endpoints, wanted.limits());
        InetSocketAddress bound;
        try {
            bound = s.start(wanted.bind());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for RPC on " + RpcServer.hostPort(wanted.bind()) + ": "
                    + e.getMessage(), e);
        }
        server = s;
        LOG.info("RPC server listening on {}", RpcServer.hostPort(bound));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PORT_PROPERTY, bound.getPort());
        props.put(ADDRESS_PROPERTY, bound.getAddress().getHostAddress());
        registration = context.registerService(RpcServer.class, s, props);
    }

    @Override
    void stop() {
        if (registration != null) {
            unregister(registration);
            registration = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
