package io.conclave.rpc.internal;

import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * What the RPC server and client components share: each runs one setup derived from PID
 * {@value RpcConfig#AGENT_PID}, or none, and a configuration change restarts it only when the setup it
 * derives differs, so an unrelated key (node meta, say) leaves listeners and connections alone.
 *
 * <p>The lifecycle methods are declared here once; bnd reads their annotations for the subclasses
 * ({@code -dsannotations-options: inherit} in this bundle's pom).
 *
 * @param <S> what a running setup was started with; compared with {@code equals}, so a record
 */
abstract class AgentConfigured<S> {

    /** For registering services; set before the first {@link #start}. */
    BundleContext context;
    /** What the running setup was started with; null when nothing runs. */
    private S running;

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> config) {
        this.context = context;
        apply(config);
    }

    @Modified
    synchronized void modified(Map<String, Object> config) {
        apply(config);
    }

    @Deactivate
    synchronized void deactivate() {
        stopRunning();
    }

    /** Starts, restarts or stops as the configuration asks; an unrelated change touches nothing. */
    private void apply(Map<String, Object> config) {
        S wanted = setupFor(config);
        if (Objects.equals(wanted, running)) {
            return;
        }
        stopRunning();
        if (wanted == null) {
            return;
        }
        start(wanted);
        running = wanted;
    }

    private void stopRunning() {
        stop();
        running = null;
    }

    /** The setup this configuration asks for, or null for none; a bad value throws IllegalArgumentException. */
    abstract S setupFor(Map<String, Object> config);

    /** Starts what the setup describes. */
    abstract void start(S setup);

    /** Releases whatever {@link #start} made; harmless when nothing runs. */
    abstract void stop();

    static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
    }
}
