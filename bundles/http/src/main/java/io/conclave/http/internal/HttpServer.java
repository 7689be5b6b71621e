package io.conclave.http.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.HttpListener;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API listener. Starts {@link ApiServer} on activation and, once it accepts connections,
 * registers an {@link HttpListener} service carrying the bound {@code address} and {@code port} (the
 * launcher waits for it); withdraws it and stops Jetty on deactivation. A configuration change
 * restarts the listener.
 */
@Component(configurationPid = "io.conclave.http", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class HttpServer {

    private static final Logger LOG = LoggerFactory.getLogger("agent");

    @Reference
    private Agent agent;

    private ApiServer server;
    private ServiceRegistration<HttpListener> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> config) throws Exception {
        Settings settings = Settings.from(config);
        ApiServer started = new ApiServer(agent, settings);
        started.start();
        server = started;
        // Consul's line, with the port actually bound (configured port 0 picks one).
        LOG.info("Starting server: address={}:{} network=tcp protocol=http", settings.address(), started.port());
        HttpListener listener = new HttpListener(settings.address(), started.port());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(HttpListener.PROP_ADDRESS, listener.address());
        props.put(HttpListener.PROP_PORT, listener.port());
        registration = context.registerService(HttpListener.class, listener, props);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping this bundle and withdrew it first
            }
            registration = null;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
