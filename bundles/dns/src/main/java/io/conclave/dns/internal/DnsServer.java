package io.conclave.dns.internal;

import io.conclave.api.agent.Agent;
import java.io.IOException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Consul's DNS interface as a component (PID {@code io.conclave.dns}, keys in {@link DnsSettings}).
 * The agent reference is dynamic and a configuration change that keeps the address and port is
 * applied in place, so neither an agent bundle update nor {@code conclave reload} drops a packet;
 * a new address or port rebinds the listeners.
 *
 * <p>It creates no dnsjava resolver (they register a JVM shutdown hook, STACK.md trap 9) and closes its
 * sockets and threads on deactivation.
 */
@Component(configurationPid = DnsServer.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class DnsServer {

    static final String PID = "io.conclave.dns";

    @Reference(policy = ReferencePolicy.DYNAMIC)
    private volatile Agent agent;

    private DnsEngine engine;

    @Activate
    synchronized void activate(Map<String, Object> config) throws IOException {
        engine = new DnsEngine(() -> agent, DnsSettings.from(config)).start();
    }

    @Modified
    synchronized void modified(Map<String, Object> config) throws IOException {
        DnsSettings next = DnsSettings.from(config);
        if (engine != null && engine.settings().sameListeners(next)) {
            engine.update(next);
            return;
        }
        deactivate();
        engine = new DnsEngine(() -> agent, next).start();
    }

    @Deactivate
    synchronized void deactivate() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    /** The bound port, -1 when disabled or inactive; for tests. */
    synchronized int port() {
        return engine == null ? -1 : engine.port();
    }
}
