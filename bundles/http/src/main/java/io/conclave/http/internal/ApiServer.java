package io.conclave.http.internal;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import io.conclave.api.agent.Agent;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jetty 12 (ee10 servlet) + Jersey + Jackson serving Consul's {@code /v1} API for one {@link Agent}.
 * Everything about the listener lives here so that the same class starts in Felix and in a plain
 * JUnit test: the DS component only reads configuration and registers the result.
 *
 * <p>Threads: a bounded {@link QueuedThreadPool}; a parked blocking query holds no thread (the
 * resource suspends its {@code AsyncResponse} and the endpoint's stage resumes it). Bounds: a
 * per-client-IP connection limit, a request-header limit, a keep-alive idle timeout, and bodies read
 * only up to their limit.
 */
public final class ApiServer {

    /** Jetty's own URI checks, relaxed to what Consul's clients send: KV keys and IDs hold {@code %2F}, {@code %25}, {@code //}, {@code ;}. */
    static final UriCompliance URI_COMPLIANCE = UriCompliance.LEGACY
            .with("CONCLAVE", UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER);

    private final Server server;
    private final ServerConnector connector;
    private final Settings settings;

    public ApiServer(Agent agent, Settings settings) {
        this(agent, settings, bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    /** @param stagger the blocking-query jitter source: given a bound in nanoseconds, a value in [0, bound) */
    public ApiServer(Agent agent, Settings settings, LongUnaryOperator stagger) {
        this.settings = settings;
        QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads(), 8);
        threads.setName("conclave-http");
        server = new Server(threads);
        server.setErrorHandler(new PlainErrors.Server());

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(settings.maxHeaderBytes());
        http.setUriCompliance(URI_COMPLIANCE);
        // The connection's idle timeout also bounds each read of a request body; a parked blocking
        // query stretches it to its own deadline while it waits (see Parking).

        connector = new ServerConnector(server, -1, -1,
                new PerClientLimit(new HttpConnectionFactory(http), settings.maxConnsPerClient()));
        connector.setHost(settings.address());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        connector.setAcceptQueueSize(4096);
        connector.setReuseAddress(true);
        server.addConnector(connector);

        ApiContext api = new ApiContext(agent, settings, threads, stagger);
        ResourceConfig app = new ResourceConfig()
                .register(ServletAsync.binder())
                .register(new JacksonJsonProvider(Json.mapper()))
                .register(new ErrorMapper())
                .register(new RoutingFilter())
                .register(new KvResource(api))
                .register(new StatusResource(api))
                .register(new CatalogResource(api))
                .register(new HealthResource(api))
                .register(new AgentResource(api))
                .register(new EventResource(api))
                .register(new OperatorResource(api))
                .registerInstances(AgentServicesResource.all(api))
                .registerInstances(AgentChecksResource.all(api))
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                // Jersey's optional XML/activation/image providers: unused, and their packages may be absent in Felix.
                .property(org.glassfish.jersey.CommonProperties.PROVIDER_DEFAULT_DISABLE, "ALL")
                .property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true)
                .property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true)
                .property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true)
                .property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true)
                .property(ServerProperties.BV_FEATURE_DISABLE, true)
                .property(ServerProperties.JSON_PROCESSING_FEATURE_DISABLE, true)
                .property(ServerProperties.MOXY_JSON_FEATURE_DISABLE, true);

        ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        // Trap 3: Jetty gives the context its own class loader; Jersey finds its RuntimeDelegate and
        // injection manager through the thread context class loader, which must be Jersey's.
        context.setClassLoader(ResourceConfig.class.getClassLoader());
        context.setErrorHandler(new PlainErrors.Context());
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder jersey = new ServletHolder("jersey", new ServletContainer(app));
        jersey.setAsyncSupported(true);
        jersey.setInitOrder(0);
        context.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(new RawRequest()), "/*",
                java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        context.addServlet(jersey, "/*");
        server.setHandler(context);
    }

    public void start() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(ResourceConfig.class.getClassLoader());
        try {
            server.start();
        } catch (Exception e) {
            stop();
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP server failed: " + e.getMessage(), e);
        }
    }

    /** The bound port (the real one when 0 was configured); valid after {@link #start}. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The bound host. */
    public String host() {
        return settings.address();
    }
}
