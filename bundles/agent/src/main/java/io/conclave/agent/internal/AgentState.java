package io.conclave.agent.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.check.CheckType;
import io.conclave.api.time.GoDuration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local state, Consul's {@code agent/local.State} together with the parts of
 * {@code agent.Agent} that manage it: the services and checks defined on this node, their runners,
 * maintenance mode, the {@code deregister_critical_service_after} reaper, the diff-based application of
 * config-file definitions, and the {@link AntiEntropy} that keeps the catalog in step.
 *
 * <p>One monitor (this object) guards everything; check types and catalog calls are never invoked while
 * it is held. Removed entries stay, marked deleted, until anti-entropy has removed them from the catalog.
 */
final class AgentState {

    private static final Logger LOG = LoggerFactory.getLogger("agent");

    static final String DEFAULT_NODE_MAINT_REASON =
            "Maintenance mode is enabled for this node, but no reason was provided. This is a default message.";
    static final String DEFAULT_SERVICE_MAINT_REASON =
            "Maintenance mode is enabled for this service, but no reason was provided. This is a default message.";
    static final String MAINTENANCE_TYPE = "maintenance";

    static final class ServiceEntry {
        NodeService service;
        Source source;
        boolean inSync;
        boolean deleted;
        long version;

        ServiceEntry(NodeService service, Source source) {
            this.service = service;
            this.source = source;
        }
    }

    static final class CheckEntry {
        HealthCheck check;
        final CheckDef def;
        Source source;
        CheckRunner runner;
        boolean inSync;
        boolean deleted;
        long version;
        boolean critical;
        long criticalSinceNanos;
        Scheduler.Cancellable deferredSync;

        CheckEntry(HealthCheck check, CheckDef def, Source source) {
            this.check = check;
            this.def = def;
            this.source = source;
        }
    }

    private final Scheduler scheduler;
    final AntiEntropy antiEntropy;
    final Map<String, ServiceEntry> services = new TreeMap<>();
    final Map<String, CheckEntry> checks = new TreeMap<>();
    private final Map<String, CheckType> providers = new TreeMap<>();
    private AgentConfig config;
    /** The config-file definitions last applied, for diffing the next ones. */
    private Map<String, ServiceDef> configServices = Map.of();
    private Map<String, CheckDef> configChecks = Map.of();
    private String appliedKey;
    private Scheduler.Cancellable reaper;
    private final long startNanos;
    private boolean graceWarningScheduled;
    private boolean started;
    private boolean stopped;

    AgentState(Scheduler scheduler, AgentConfig config) {
        this.scheduler = scheduler;
        this.config = config;
        this.antiEntropy = new AntiEntropy(this, scheduler);
        this.startNanos = scheduler.nanoTime();
    }

    /** How long after start-up a missing check type is expected (its bundle may start after the agent's). */
    static final Duration PROVIDER_GRACE = Duration.ofSeconds(10);

    private void warnMissingProvidersLocked() {
        if (graceWarningScheduled) {
            return;
        }
        graceWarningScheduled = true;
        long left = PROVIDER_GRACE.toNanos() - (scheduler.nanoTime() - startNanos);
        scheduler.schedule(Duration.ofNanos(Math.max(0, left)), () -> {
            synchronized (this) {
                for (CheckEntry e : checks.values()) {
                    if (!e.deleted && e.runner != null && !e.runner.hasProvider()
                            && !providers.containsKey(e.def.type())) {
                        LOG.warn("No check provider for this check's type: check={} type={}", e.def.id(), e.def.type());
                    }
                }
            }
        });
    }

    /** Starts anti-entropy and the reaper; definitions are applied by {@link #applyConfig}. */
    synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        antiEntropy.start();
        scheduleReaper();
    }

    synchronized void stop() {
        stopped = true;
        antiEntropy.stop();
        if (reaper != null) {
            reaper.cancel();
        }
        for (CheckEntry e : checks.values()) {
            discardLocked(e);
        }
    }

    synchronized AgentConfig config() {
        return config;
    }

    synchronized AgentIdentity identity() {
        return config.identity();
    }

    // ---- reads ----

    synchronized Map<String, NodeService> services() {
        Map<String, NodeService> out = new LinkedHashMap<>();
        for (ServiceEntry s : services.values()) {
            if (!s.deleted) {
                out.put(s.service.id(), s.service);
            }
        }
        return out;
    }

    synchronized Optional<NodeService> service(String id) {
        ServiceEntry s = liveService(id);
        return s == null ? Optional.empty() : Optional.of(s.service);
    }

    synchronized Map<String, HealthCheck> checks() {
        Map<String, HealthCheck> out = new LinkedHashMap<>();
        for (CheckEntry c : checks.values()) {
            if (!c.deleted) {
                out.put(c.check.checkId(), c.check);
            }
        }
        return out;
    }

    synchronized List<String> checkTypes() {
        return List.copyOf(providers.keySet());
    }

    /** When the check's next run (or TTL expiry) is due on the scheduler's clock; -1 when none is scheduled. */
    synchronized long nextRunNanos(String checkId) {
        CheckEntry e = liveCheck(checkId);
        return e == null || e.runner == null ? -1 : e.runner.nextRunNanos();
    }

    // ---- writes ----

    void registerService(Map<String, ?> definition, Source source, boolean replaceExistingChecks) {
        ServiceDef def = Definitions.service(definition, source);
        synchronized (this) {
            registerServiceLocked(def, source, replaceExistingChecks);
        }
    }

    void registerCheck(Map<String, ?> definition, Source source) {
        CheckDef def = Definitions.check(definition);
        synchronized (this) {
            registerCheckLocked(def, source);
        }
    }

    synchronized void deregisterService(String id) {
        if (liveService(id) == null) {
            throw new NoSuchElementException(unknownService(id));
        }
        removeServiceLocked(id);
    }

    synchronized void deregisterCheck(String id) {
        if (liveCheck(id) == null) {
            throw new NoSuchElementException(unknownCheck(id));
        }
        removeCheckLocked(id);
    }

    /** A TTL check's update ({@code /v1/agent/check/pass|warn|fail|update}): sets the status and restarts the TTL. */
    synchronized void updateTtl(String id, String status, String output) {
        if (!Health.isStatus(status)) {
            throw new IllegalArgumentException("Invalid check status: '" + status + "'");
        }
        CheckEntry e = liveCheck(id);
        if (e == null) {
            throw new NoSuchElementException(unknownCheck(id));
        }
        if (e.runner == null || !e.def.ttlScheduled()) {
            throw new IllegalStateException("CheckID \"" + id + "\" does not have associated TTL");
        }
        String out = output == null ? "" : output;
        int max = e.def.effectiveOutputMaxSize();
        int total = out.getBytes(StandardCharsets.UTF_8).length;
        if (total > max) {
            out = CheckRunner.truncate(out, max) + " ... (captured " + max + " of " + total + " bytes)";
        }
        LOG.debug("Check status updated: check={} status={}", id, status);
        updateCheckLocked(e, status, out);
        e.runner.ttlUpdated(out);
    }

    synchronized void setNodeMaintenance(boolean enable, String reason) {
        String id = Health.NODE_MAINTENANCE_CHECK_ID;
        if (enable) {
            if (liveCheck(id) != null) {
                return;
            }
            String notes = reason == null || reason.isEmpty() ? DEFAULT_NODE_MAINT_REASON : reason;
            addFixedCheckLocked(new HealthCheck(nodeName(), id, "Node Maintenance Mode", Health.CRITICAL, notes, "",
                    "", "", List.of(), MAINTENANCE_TYPE, CheckDefinition.EMPTY, 0, 0));
            LOG.info("Node entered maintenance mode");
        } else if (liveCheck(id) != null) {
            removeCheckLocked(id);
            LOG.info("Node left maintenance mode");
        }
    }

    synchronized void setServiceMaintenance(String serviceId, boolean enable, String reason) {
        ServiceEntry s = liveService(serviceId);
        if (s == null) {
            throw new NoSuchElementException(unknownService(serviceId));
        }
        String id = Health.SERVICE_MAINTENANCE_CHECK_PREFIX + serviceId;
        if (enable) {
            if (liveCheck(id) != null) {
                return;
            }
            String notes = reason == null || reason.isEmpty() ? DEFAULT_SERVICE_MAINT_REASON : reason;
            addFixedCheckLocked(new HealthCheck(nodeName(), id, "Service Maintenance Mode", Health.CRITICAL, notes, "",
                    serviceId, s.service.service(), s.service.tags(), MAINTENANCE_TYPE, CheckDefinition.EMPTY, 0, 0));
            LOG.info("Service entered maintenance mode: service={}", serviceId);
        } else if (liveCheck(id) != null) {
            removeCheckLocked(id);
            LOG.info("Service left maintenance mode: service={}", serviceId);
        }
    }

    /** A check type appeared, changed or (with {@code null}) went away. */
    synchronized void setProvider(String type, CheckType provider) {
        CheckType old = provider == null ? providers.remove(type) : providers.put(type, provider);
        if (old == provider || stopped) {
            return;
        }
        for (CheckEntry e : checks.values()) {
            if (!e.deleted && e.runner != null && e.def.type().equals(type)) {
                if (provider != null && !e.runner.hasProvider()
                        && e.check.output().equals(noProvider(type))) {
                    // The type has arrived: the check is no longer waiting for it (synced at once).
                    e.check = e.check.withStatus(e.check.status(), "");
                    markDirty(e);
                    antiEntropy.triggerPartial();
                }
                e.runner.providerChanged(provider);
            }
        }
    }

    // ---- configuration ----

    /**
     * Applies a configuration: identity, switches, and only the differences in the config-file
     * definitions. Unchanged definitions keep their checks' status and schedule; removed ones go;
     * new and changed ones are (re)registered. A bad definition is logged and skipped.
     */
    void applyConfig(AgentConfig next) {
        ParsedDefinitions parsed = parse(next.definitions());
        synchronized (this) {
            AgentConfig previous = config;
            config = next;
            if (!sameIdentity(previous.identity(), next.identity())) {
                identityChangedLocked();
            } else if (!previous.nodeMeta().equals(next.nodeMeta())) {
                antiEntropy.nodeInfoInSync = false;
                antiEntropy.triggerPartial();
            }
            String key = next.definitions() + "\u0000" + next.enableScriptChecks() + next.enableLocalScriptChecks();
            if (key.equals(appliedKey)) {
                return;
            }
            appliedKey = key;
            applyServicesLocked(parsed.services);
            applyChecksLocked(parsed.checks);
        }
    }

    private record ParsedDefinitions(Map<String, ServiceDef> services, Map<String, CheckDef> checks) {
    }

    private static ParsedDefinitions parse(String json) {
        Map<String, ServiceDef> services = new LinkedHashMap<>();
        Map<String, CheckDef> checks = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return new ParsedDefinitions(services, checks);
        }
        Map<?, ?> root;
        try {
            root = new ObjectMapper().readValue(json, Map.class);
        } catch (Exception e) {
            LOG.error("Failed to read the service and check definitions: error={}", e.getMessage());
            return new ParsedDefinitions(services, checks);
        }
        for (Object raw : list(root.get("services"))) {
            try {
                ServiceDef def = Definitions.service(asMap(raw), Source.LOCAL);
                services.put(def.id(), def);
            } catch (RuntimeException e) {
                LOG.error("Failed to register service: service={} error={}", nameOf(raw), e.getMessage());
            }
        }
        for (Object raw : list(root.get("checks"))) {
            try {
                CheckDef def = Definitions.check(asMap(raw));
                checks.put(def.id(), def);
            } catch (RuntimeException e) {
                LOG.error("Failed to register check: check={} error={}", nameOf(raw), e.getMessage());
            }
        }
        return new ParsedDefinitions(services, checks);
    }

    private void applyServicesLocked(Map<String, ServiceDef> next) {
        Map<String, ServiceDef> applied = new LinkedHashMap<>();
        for (String id : configServices.keySet()) {
            ServiceEntry live = liveService(id);
            if (!next.containsKey(id) && live != null && live.source == Source.LOCAL) {
                removeServiceLocked(id);
            }
        }
        for (ServiceDef def : next.values()) {
            ServiceDef previous = configServices.get(def.id());
            ServiceEntry live = liveService(def.id());
            if (def.equals(previous) && live != null && live.source == Source.LOCAL && allLive(def.checks())) {
                applied.put(def.id(), def);
                continue;
            }
            try {
                registerServiceLocked(def, Source.LOCAL, false);
                if (previous != null) {
                    Set<String> kept = new HashSet<>();
                    def.checks().forEach(c -> kept.add(c.id()));
                    for (CheckDef old : previous.checks()) {
                        if (!kept.contains(old.id()) && liveCheck(old.id()) != null) {
                            removeCheckLocked(old.id());
                        }
                    }
                }
                applied.put(def.id(), def);
            } catch (RuntimeException e) {
                LOG.error("Failed to register service: service={} error={}", def.service().service(), e.getMessage());
            }
        }
        configServices = applied;
    }

    private void applyChecksLocked(Map<String, CheckDef> next) {
        Map<String, CheckDef> applied = new LinkedHashMap<>();
        for (String id : configChecks.keySet()) {
            CheckEntry live = liveCheck(id);
            if (!next.containsKey(id) && live != null && live.source == Source.LOCAL) {
                removeCheckLocked(id);
            }
        }
        for (CheckDef def : next.values()) {
            CheckEntry live = liveCheck(def.id());
            if (def.equals(configChecks.get(def.id())) && live != null && def.equals(live.def)) {
                applied.put(def.id(), def);
                continue;
            }
            try {
                registerCheckLocked(def, Source.LOCAL);
                applied.put(def.id(), def);
            } catch (RuntimeException e) {
                LOG.error("Failed to register check: check={} error={}", def.name(), e.getMessage());
            }
        }
        configChecks = applied;
    }

    private boolean allLive(List<CheckDef> defs) {
        for (CheckDef c : defs) {
            CheckEntry e = liveCheck(c.id());
            if (e == null || !c.equals(e.def)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameIdentity(AgentIdentity a, AgentIdentity b) {
        return a.nodeName().equals(b.nodeName()) && a.nodeId().equals(b.nodeId())
                && a.datacenter().equals(b.datacenter()) && a.advertiseAddr().equals(b.advertiseAddr());
    }

    private void identityChangedLocked() {
        String node = nodeName();
        for (ServiceEntry s : services.values()) {
            if (!s.deleted) {
                markDirty(s);
            }
        }
        for (CheckEntry c : checks.values()) {
            if (!c.deleted) {
                c.check = withNode(c.check, node);
                markDirty(c);
            }
        }
        antiEntropy.nodeInfoInSync = false;
        antiEntropy.triggerPartial();
    }

    // ---- internals (monitor held) ----

    String nodeName() {
        return config.identity().nodeName();
    }

    ServiceEntry liveService(String id) {
        ServiceEntry s = services.get(id);
        return s == null || s.deleted ? null : s;
    }

    CheckEntry liveCheck(String id) {
        CheckEntry c = checks.get(id);
        return c == null || c.deleted ? null : c;
    }

    void registerServiceLocked(ServiceDef def, Source source, boolean replaceExistingChecks) {
        for (CheckDef c : def.checks()) {
            vetLocked(c, source);
        }
        NodeService service = def.service();
        ServiceEntry entry = new ServiceEntry(service, source);
        services.put(service.id(), entry);
        markDirty(entry);

        Set<String> named = new HashSet<>();
        for (CheckDef c : def.checks()) {
            addCheckLocked(c, source, service);
            named.add(c.id());
        }
        for (CheckEntry c : new ArrayList<>(checks.values())) {
            if (c.deleted || !c.check.serviceId().equals(service.id()) || named.contains(c.check.checkId())) {
                continue;
            }
            if (replaceExistingChecks && !c.check.checkId().startsWith(Health.SERVICE_MAINTENANCE_CHECK_PREFIX)) {
                removeCheckLocked(c.check.checkId());
            } else {
                HealthCheck refreshed = withService(c.check, service);
                if (!refreshed.equals(c.check)) {
                    c.check = refreshed;
                    markDirty(c);
                }
            }
        }
        antiEntropy.triggerPartial();
    }

    void registerCheckLocked(CheckDef def, Source source) {
        NodeService service = null;
        if (!def.serviceId().isEmpty()) {
            ServiceEntry s = liveService(def.serviceId());
            if (s == null) {
                throw new NoSuchElementException("ServiceID \"" + def.serviceId() + "\" does not exist");
            }
            service = s.service;
        }
        vetLocked(def, source);
        addCheckLocked(def, source, service);
        antiEntropy.triggerPartial();
    }

    /** Consul's {@code addCheck} refusals, made before anything changes. */
    private void vetLocked(CheckDef def, Source source) {
        if (def.isScript()) {
            if (source == Source.LOCAL && !config.enableLocalScriptChecks()) {
                throw new IllegalStateException("Scripts are disabled on this agent; to enable, configure "
                        + "'enable_script_checks' or 'enable_local_script_checks' to true");
            }
            if (source == Source.REMOTE && !config.enableScriptChecks()) {
                throw new IllegalStateException("Scripts are disabled on this agent from remote calls; to enable, "
                        + "configure 'enable_script_checks' to true");
            }
        }
        CheckType type = providers.get(def.type());
        if (type != null) {
            try {
                type.validate(def.spec());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid check: " + e.getMessage());
            }
        }
    }

    private void addCheckLocked(CheckDef def, Source source, NodeService service) {
        CheckEntry existing = liveCheck(def.id());
        String status = def.status().isEmpty() ? Health.CRITICAL : def.status();
        HealthCheck check = new HealthCheck(nodeName(), def.id(), def.name(), status, def.notes(), "", "", "",
                List.of(), def.type(), def.definition(), 0, 0);
        check = withService(check, service);
        if (existing != null) {
            // Consul re-registers with the check's current status and output, so nothing flaps.
            check = check.withStatus(existing.check.status(), existing.check.output());
            if (def.equals(existing.def) && existing.runner != null) {
                existing.source = source;
                if (!check.equals(existing.check)) {
                    existing.check = check;
                    markDirty(existing);
                }
                return;
            }
            discardLocked(existing);
        }
        if (def.interval().compareTo(Duration.ZERO) > 0 && def.interval().compareTo(CheckDef.MIN_INTERVAL) < 0) {
            LOG.warn("check has interval below minimum: check={} minimum_interval={}", def.id(),
                    GoDuration.format(CheckDef.MIN_INTERVAL));
        }
        Duration deregisterAfter = def.deregisterCriticalServiceAfter();
        if (deregisterAfter.compareTo(Duration.ZERO) > 0
                && deregisterAfter.compareTo(config.checkDeregisterIntervalMin()) < 0) {
            LOG.warn("check has deregister interval below minimum: check={} minimum_interval={}", def.id(),
                    GoDuration.format(config.checkDeregisterIntervalMin()));
        }
        CheckEntry entry = new CheckEntry(check, def, source);
        if (existing != null) {
            entry.critical = existing.critical;
            entry.criticalSinceNanos = existing.criticalSinceNanos;
        } else if (Health.CRITICAL.equals(status)) {
            entry.critical = true;
            entry.criticalSinceNanos = scheduler.nanoTime();
        }
        checks.put(def.id(), entry);
        markDirty(entry);
        CheckType type = providers.get(def.type());
        if (type == null && existing == null) {
            if (scheduler.nanoTime() - startNanos < PROVIDER_GRACE.toNanos()) {
                // At start-up the check-type bundles may simply not be active yet: warn only if they stay away.
                LOG.debug("No check provider for this check's type yet: check={} type={}", def.id(), def.type());
                warnMissingProvidersLocked();
            } else {
                LOG.warn("No check provider for this check's type: check={} type={}", def.id(), def.type());
            }
            entry.check = entry.check.withStatus(Health.CRITICAL, noProvider(def.type()));
            if (!entry.critical) {
                entry.critical = true;
                entry.criticalSinceNanos = scheduler.nanoTime();
            }
        }
        entry.runner = new CheckRunner(this, scheduler, def);
        entry.runner.start(type);
    }

    private void addFixedCheckLocked(HealthCheck check) {
        CheckEntry entry = new CheckEntry(check, null, Source.LOCAL);
        entry.critical = Health.CRITICAL.equals(check.status());
        entry.criticalSinceNanos = scheduler.nanoTime();
        CheckEntry old = checks.put(check.checkId(), entry);
        if (old != null) {
            discardLocked(old);
        }
        markDirty(entry);
        antiEntropy.triggerPartial();
    }

    void removeCheckLocked(String id) {
        CheckEntry e = liveCheck(id);
        if (e == null) {
            return;
        }
        discardLocked(e);
        e.deleted = true;
        markDirty(e);
        antiEntropy.triggerPartial();
    }

    void removeServiceLocked(String id) {
        ServiceEntry s = liveService(id);
        if (s == null) {
            return;
        }
        s.deleted = true;
        markDirty(s);
        for (CheckEntry c : new ArrayList<>(checks.values())) {
            if (!c.deleted && c.check.serviceId().equals(id)) {
                removeCheckLocked(c.check.checkId());
            }
        }
        antiEntropy.triggerPartial();
    }

    private void discardLocked(CheckEntry e) {
        if (e.runner != null) {
            e.runner.stop();
        }
        if (e.deferredSync != null) {
            e.deferredSync.cancel();
            e.deferredSync = null;
        }
    }

    void markDirty(ServiceEntry s) {
        s.inSync = false;
        s.version++;
    }

    void markDirty(CheckEntry c) {
        c.inSync = false;
        c.version++;
    }

    /**
     * A result from a runner, after flap damping (or a TTL expiry). Ignored if the runner was replaced.
     *
     * @param announce log Consul's {@code Check is now critical|warning} when the status changes, or when this
     *                 is the runner's first result (a check that starts critical and stays so still says so once)
     */
    void runnerResultLocked(CheckRunner runner, String status, String output, boolean announce, boolean first) {
        CheckEntry e = checks.get(runner.checkId());
        if (e == null || e.deleted || e.runner != runner) {
            return;
        }
        boolean changed = !e.check.status().equals(status);
        if (announce && (changed || first)) {
            if (Health.CRITICAL.equals(status)) {
                LOG.warn("Check is now critical: check={}", runner.checkId());
            } else if (Health.WARNING.equals(status)) {
                LOG.warn("Check is now warning: check={}", runner.checkId());
            } else {
                LOG.debug("Check status updated: check={} status={}", runner.checkId(), status);
            }
        }
        updateCheckLocked(e, status, output);
    }

    /**
     * Consul's {@code State.UpdateCheck}: tracks how long the check has been critical, and syncs a status
     * change at once but an output-only change at most every {@code check_update_interval}.
     */
    void updateCheckLocked(CheckEntry e, String status, String output) {
        if (Health.CRITICAL.equals(status)) {
            if (!e.critical) {
                e.critical = true;
                e.criticalSinceNanos = scheduler.nanoTime();
            }
        } else {
            e.critical = false;
        }
        HealthCheck current = e.check;
        if (current.status().equals(status) && current.output().equals(output)) {
            return;
        }
        Duration interval = config.checkUpdateInterval();
        if (interval.compareTo(Duration.ZERO) > 0 && current.status().equals(status)) {
            e.check = current.withStatus(status, output);
            if (e.deferredSync == null) {
                Duration delay = interval.dividedBy(2).plus(scheduler.stagger(interval));
                String id = current.checkId();
                e.deferredSync = scheduler.schedule(delay, () -> deferredSyncDue(id, e));
            }
            return;
        }
        e.check = current.withStatus(status, output);
        markDirty(e);
        antiEntropy.triggerPartial();
    }

    private synchronized void deferredSyncDue(String id, CheckEntry e) {
        e.deferredSync = null;
        if (e.deleted || checks.get(id) != e) {
            return;
        }
        markDirty(e);
        antiEntropy.triggerPartial();
    }

    // ---- reaper ----

    private void scheduleReaper() {
        reaper = scheduler.schedule(config.checkReapInterval(), this::reap);
    }

    /** Consul's {@code reapServicesInternal}: services whose check stayed critical past its limit go. */
    synchronized void reap() {
        if (stopped) {
            return;
        }
        long now = scheduler.nanoTime();
        Set<String> reaped = new HashSet<>();
        for (CheckEntry e : new ArrayList<>(checks.values())) {
            if (e.deleted || e.def == null || !e.critical || e.check.serviceId().isEmpty()) {
                continue;
            }
            Duration after = e.def.deregisterCriticalServiceAfter();
            if (after.compareTo(Duration.ZERO) <= 0) {
                continue;
            }
            Duration min = config.checkDeregisterIntervalMin();
            Duration timeout = after.compareTo(min) < 0 ? min : after;
            String serviceId = e.check.serviceId();
            if (!reaped.contains(serviceId) && now - e.criticalSinceNanos > timeout.toNanos()) {
                reaped.add(serviceId);
                removeServiceLocked(serviceId);
                LOG.info("deregistered service with critical health due to exceeding health check's "
                                + "'deregister_critical_service_after' timeout: service={} check={} timeout={}",
                        serviceId, e.check.checkId(), GoDuration.format(timeout));
            }
        }
        scheduleReaper();
    }

    // ---- helpers ----

    static String noProvider(String type) {
        return "No check provider for type \"" + type + "\": install a bundle that provides it";
    }

    static String unknownService(String id) {
        return "Unknown service ID \"" + id + "\". Ensure that the service ID is passed, not the service name.";
    }

    static String unknownCheck(String id) {
        return "Unknown check ID \"" + id + "\". Ensure that the check ID is passed, not the check name.";
    }

    private static HealthCheck withService(HealthCheck c, NodeService service) {
        if (service == null) {
            return c;
        }
        return new HealthCheck(c.node(), c.checkId(), c.name(), c.status(), c.notes(), c.output(), service.id(),
                service.service(), service.tags(), c.type(), c.definition(), c.createIndex(), c.modifyIndex());
    }

    private static HealthCheck withNode(HealthCheck c, String node) {
        return new HealthCheck(node, c.checkId(), c.name(), c.status(), c.notes(), c.output(), c.serviceId(),
                c.serviceName(), c.serviceTags(), c.type(), c.definition(), c.createIndex(), c.modifyIndex());
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : o == null ? List.of() : List.of(o);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> asMap(Object o) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, ?>) m;
        }
        throw new IllegalArgumentException("a definition must be a JSON object");
    }

    private static String nameOf(Object raw) {
        if (raw instanceof Map<?, ?> m) {
            Fields f = new Fields(asMap(m));
            Object name = f.get("name");
            return Objects.toString(name, Objects.toString(f.get("id"), "?"));
        }
        return "?";
    }
}
