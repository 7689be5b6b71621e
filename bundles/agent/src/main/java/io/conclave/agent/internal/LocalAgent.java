package io.conclave.agent.internal;

import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.check.CheckType;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.api.gossip.UserEvent;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's identity and local state as a long-lived component. Everything it uses is bound
 * dynamically (STACK.md trap 12), so no provider coming or going restarts it and loses the local state:
 * check types are a whiteboard ({@code conclave.check.type}), the catalog and health endpoints may
 * come and go (anti-entropy waits for them), and configuration changes arrive through {@code @Modified}.
 * {@link AgentImpl}, the {@code Agent} service, is a thin facade over this.
 *
 * <p>It also hears the LAN pool ({@link MembershipListener}): the user events it keeps for {@code /v1/event/list}
 * live here so that they outlive the facade, and a server joining prompts anti-entropy (Consul's {@code ServerUp}).
 */
@Component(service = {LocalAgent.class, MembershipListener.class}, configurationPid = LocalAgent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public class LocalAgent implements MembershipListener {

    static final String PID = "io.conclave.agent";
    private static final Logger LOG = LoggerFactory.getLogger("agent");

    private final String fallbackNodeId = UUID.randomUUID().toString();
    private final ExecutorScheduler scheduler = new ExecutorScheduler(2);
    private final AgentState state = new AgentState(scheduler, AgentConfig.from(Map.of(), fallbackNodeId));
    private final EventLog events = new EventLog(scheduler);

    /** type name → its providers by service reference (the highest ranked serves) */
    private final Map<String, TreeMap<ServiceReference<?>, CheckType>> types = new HashMap<>();

    private volatile CatalogEndpoint catalog;
    private volatile HealthEndpoint health;

    @Reference(target = "(conclave.launcher=reload)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Runnable launcherReload;

    @Reference(target = "(conclave.config=republish)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Runnable republish;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configAdmin;

    @Activate
    void activate(Map<String, Object> config) {
        state.applyConfig(AgentConfig.from(config, fallbackNodeId));
        state.start();
    }

    @Modified
    void modified(Map<String, Object> config) {
        state.applyConfig(AgentConfig.from(config, fallbackNodeId));
    }

    @Deactivate
    void deactivate() {
        events.close();
        state.stop();
        scheduler.shutdown();
    }

    AgentState state() {
        return state;
    }

    EventLog events() {
        return events;
    }

    // ---- the LAN pool (whiteboard listener) ----

    @Override
    public void userEvent(String pool, UserEvent event) {
        if (Membership.LAN.equals(pool)) {
            ingest(state, events, event);
        }
    }

    @Override
    public void memberChanged(String pool, MemberEvent event) {
        if (Membership.LAN.equals(pool)) {
            serverUp(state, event);
        }
    }

    /** Keeps a LAN user event that passes this agent's filters (its node name and services as they are now). */
    static boolean ingest(AgentState state, EventLog events, UserEvent event) {
        String node;
        java.util.Collection<io.conclave.api.catalog.NodeService> services;
        synchronized (state) {
            node = state.identity().nodeName();
            services = state.services().values();
        }
        return events.ingest(event, node, services);
    }

    /** A server of this datacenter joining (or coming back) is Consul's {@code ServerUp}: anti-entropy retries soon. */
    static void serverUp(AgentState state, MemberEvent event) {
        if (event.type() != MemberEvent.Type.JOIN) {
            return;
        }
        Map<String, String> tags = event.member().tags();
        synchronized (state) {
            if ("consul".equals(tags.get("role")) && state.identity().datacenter().equals(tags.get("dc"))) {
                state.antiEntropy.serverUp();
            }
        }
    }

    CatalogEndpoint catalog() {
        return catalog;
    }

    HealthEndpoint health() {
        return health;
    }

    // ---- check types (whiteboard) ----

    @Reference(service = CheckType.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeCheckType", updated = "updatedCheckType")
    void addCheckType(ServiceReference<CheckType> ref, CheckType type) {
        String name = typeName(ref);
        if (name == null) {
            LOG.warn("Ignoring a check type service without the {} property: service.id={}", CheckType.TYPE,
                    ref.getProperty("service.id"));
            return;
        }
        CheckType best;
        synchronized (types) {
            TreeMap<ServiceReference<?>, CheckType> providers = types.computeIfAbsent(name, k -> new TreeMap<>());
            providers.put(ref, type);
            best = providers.lastEntry().getValue();
        }
        LOG.info("Check type available: type={}", name);
        state.setProvider(name, best);
    }

    void removeCheckType(ServiceReference<CheckType> ref, CheckType type) {
        String name = null;
        CheckType best = null;
        synchronized (types) {
            for (Map.Entry<String, TreeMap<ServiceReference<?>, CheckType>> e : types.entrySet()) {
                if (e.getValue().remove(ref) != null) {
                    name = e.getKey();
                    best = e.getValue().isEmpty() ? null : e.getValue().lastEntry().getValue();
                    if (e.getValue().isEmpty()) {
                        types.remove(name);
                    }
                    break;
                }
            }
        }
        if (name != null) {
            if (best == null) {
                LOG.info("Check type gone; its checks keep their last status until it returns: type={}", name);
            }
            state.setProvider(name, best);
        }
    }

    void updatedCheckType(ServiceReference<CheckType> ref, CheckType type) {
        removeCheckType(ref, type);
        addCheckType(ref, type);
    }

    private static String typeName(ServiceReference<?> ref) {
        Object v = ref.getProperty(CheckType.TYPE);
        if (v instanceof String[] a && a.length > 0) {
            v = a[0];
        }
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    // ---- catalog and health endpoints ----

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetCatalog")
    void setCatalog(CatalogEndpoint endpoint) {
        catalog = endpoint;
        endpointsChanged();
    }

    void unsetCatalog(CatalogEndpoint endpoint) {
        if (catalog == endpoint) {
            catalog = null;
            endpointsChanged();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetHealth")
    void setHealth(HealthEndpoint endpoint) {
        health = endpoint;
        endpointsChanged();
    }

    void unsetHealth(HealthEndpoint endpoint) {
        if (health == endpoint) {
            health = null;
            endpointsChanged();
        }
    }

    private void endpointsChanged() {
        synchronized (state) {
            state.antiEntropy.setEndpoints(catalog, health);
        }
    }

    // ---- reload ----

    /**
     * Consul's {@code reload}: the launcher re-reads the config files (refusing an invalid set), the hand-off
     * file is republished into ConfigAdmin, and the agent's new configuration is applied before this returns
     * (ConfigAdmin's own, asynchronous, delivery then finds nothing left to change).
     */
    void reload() {
        ConfigurationAdmin admin = configAdmin;
        reload(launcherReload, republish, () -> current(admin),
                config -> state.applyConfig(AgentConfig.from(config, fallbackNodeId)));
    }

    /**
     * The reload sequence: the launcher's step (an {@link IllegalStateException} with its reason when the files
     * are invalid, and nothing changes), the republish step, then the agent PID as ConfigAdmin now holds it,
     * applied at once.
     */
    static void reload(Runnable launcher, Runnable republish, java.util.function.Supplier<Map<String, Object>> current,
                       java.util.function.Consumer<Map<String, Object>> apply) {
        runReloadStep(launcher);
        runReloadStep(republish);
        Map<String, Object> config = current.get();
        if (config != null) {
            apply.accept(config);
        }
    }

    private static Map<String, Object> current(ConfigurationAdmin admin) {
        if (admin == null) {
            return null;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + PID + ")");
            if (found != null && found.length > 0 && found[0].getProperties() != null) {
                return toMap(found[0].getProperties());
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("reading the reloaded configuration failed: " + e.getMessage(), e);
        }
    }

    private static void runReloadStep(Runnable step) {
        if (step == null) {
            return;
        }
        try {
            step.run();
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> dictionary) {
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(dictionary.keys())) {
            map.put(key, dictionary.get(key));
        }
        return map;
    }
}
