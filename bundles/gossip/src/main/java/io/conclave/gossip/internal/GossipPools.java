package io.conclave.gossip.internal;

import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.config.ConfigValues;
import io.conclave.api.gossip.GossipTransport;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.api.time.GoDuration;
import io.conclave.gossip.internal.runtime.KeyringFile;
import io.conclave.gossip.internal.runtime.Listeners;
import io.conclave.gossip.internal.runtime.Pool;
import io.conclave.gossip.internal.runtime.PoolConfig;
import io.conclave.gossip.internal.serf.SerfConfig;
import io.conclave.gossip.internal.swim.SwimConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * The agent's gossip pools, as Consul runs them: a LAN pool on every agent and a WAN pool on servers
 * (member name {@code NODE.DC}), each registered as a {@link Membership} service with
 * {@value Membership#POOL} = {@code lan} or {@code wan} once it has bound its address.
 *
 * <p>Reads PID {@code io.conclave.agent} (node_name, datacenter, server, bind_addr, advertise_addr,
 * advertise_addr_wan, serf_lan_port, serf_wan_port, encrypt, encrypt_verify_incoming/outgoing, data_dir, dev,
 * reconnect_timeout(_wan), start_join(_wan), retry_join(_wan), retry_interval(_wan), retry_max(_wan),
 * rejoin_after_leave). Outside dev mode each pool keeps serf's snapshot in data_dir
 * ({@code serf/local.snapshot}, {@code serf/remote.snapshot}) and rejoins the members it remembers when
 * it starts again after a crash.
 * The transport is a dynamic, greedy reference: when it goes away the pools keep their members and pause;
 * when one comes back they re-open their endpoints on the same addresses and resume.
 */
@Component(service = {}, immediate = true, configurationPid = GossipPools.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class GossipPools {

    static final String PID = "io.conclave.agent";
    private static final Logger LOG = LoggerFactory.getLogger(GossipPools.class);
    private static final Duration BIND_RETRY = Duration.ofSeconds(5);

    /** When and where a pool joins at start: Consul's start_join and retry_join. */
    record JoinPlan(List<String> startJoin, List<String> retryJoin, Duration retryInterval, long retryMax) {
    }

    private static final class Running {
        final Pool pool;
        final JoinPlan plan;
        ServiceRegistration<Membership> registration;
        boolean joinsStarted;
        volatile boolean stopped;

        Running(Pool pool, JoinPlan plan) {
            this.pool = pool;
            this.plan = plan;
        }
    }

    private final Listeners listeners = new Listeners();
    private final Map<String, Running> pools = new LinkedHashMap<>();
    private final Object lock = new Object();
    private BundleContext context;
    private GossipTransport transport;
    private ScheduledExecutorService scheduler;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(GossipTransport t) {
        synchronized (lock) {
            transport = t;
            for (Running r : pools.values()) {
                attach(r, t);
            }
        }
    }

    void unbindTransport(GossipTransport t) {
        synchronized (lock) {
            if (transport != t) {
                return;
            }
            transport = null;
            for (Running r : pools.values()) {
                r.pool.detach(t);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(MembershipListener l) {
        listeners.add(l);
    }

    void removeListener(MembershipListener l) {
        listeners.remove(l);
    }

    @Activate
    void activate(BundleContext ctx, Map<String, Object> config) {
        synchronized (lock) {
            context = ctx;
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gossip-joins");
                t.setDaemon(true);
                return t;
            });
            apply(config);
        }
    }

    @Modified
    void modified(Map<String, Object> config) {
        synchronized (lock) {
            apply(config);
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            for (String name : List.copyOf(pools.keySet())) {
                stop(name);
            }
            scheduler.shutdownNow();
            context = null;
        }
    }

    private void apply(Map<String, Object> config) {
        Map<String, PoolConfig> wanted;
        Map<String, JoinPlan> plans = new LinkedHashMap<>();
        try {
            wanted = poolConfigs(config, plans);
        } catch (IllegalArgumentException | IOException e) {
            LOG.error("gossip: bad configuration, no gossip pool runs: {}", e.getMessage());
            for (String name : List.copyOf(pools.keySet())) {
                stop(name);
            }
            return;
        }
        for (String name : List.copyOf(pools.keySet())) {
            PoolConfig want = wanted.get(name);
            Running have = pools.get(name);
            if (want == null) {
                stop(name);
            } else if (!have.pool.config().fingerprint().equals(want.fingerprint())) {
                LOG.info("gossip: the {} pool's settings changed; restarting it", want.label());
                stop(name);
            }
        }
        for (Map.Entry<String, PoolConfig> e : wanted.entrySet()) {
            if (!pools.containsKey(e.getKey())) {
                Running r = new Running(new Pool(e.getValue(), listeners), plans.get(e.getKey()));
                pools.put(e.getKey(), r);
                if (transport != null) {
                    attach(r, transport);
                }
            }
        }
    }

    private void stop(String name) {
        Running r = pools.remove(name);
        if (r == null) {
            return;
        }
        r.stopped = true;
        if (r.registration != null) {
            try {
                r.registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        r.pool.close();
    }

    private void attach(Running r, GossipTransport t) {
        if (r.stopped) {
            return;
        }
        PoolConfig cfg = r.pool.config();
        try {
            r.pool.attach(t);
        } catch (IOException | RuntimeException e) {
            LOG.error("gossip ({}): cannot bind {}: {}; retrying in {}", cfg.label(),
                    r.pool.boundAddress() != null ? r.pool.boundAddress() : cfg.bind(), e.getMessage(),
                    GoDuration.format(BIND_RETRY));
            schedule(() -> {
                synchronized (lock) {
                    if (transport == t && !r.stopped && !r.pool.attached()) {
                        attach(r, t);
                    }
                }
            }, BIND_RETRY);
            return;
        }
        if (r.registration == null && context != null) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(Membership.POOL, cfg.pool());
            props.put("conclave.gossip.node", cfg.nodeName());
            r.registration = context.registerService(Membership.class, r.pool, props);
        }
        if (!r.joinsStarted) {
            r.joinsStarted = true;
            startJoins(r);
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // deactivated
        }
    }

    // ---- joins ------------------------------------------------------------------------------------

    private void startJoins(Running r) {
        JoinPlan plan = r.plan;
        String label = r.pool.config().label();
        if (!plan.startJoin().isEmpty()) {
            LOG.info("agent: ({}) joining: {}", label, plan.startJoin());
            r.pool.join(plan.startJoin()).whenComplete((n, err) -> {
                if (err == null) {
                    LOG.info("agent: ({}) joined: {}", label, n);
                } else {
                    LOG.error("agent: ({}) couldn't join {}: {} -- this agent is NOT part of a cluster until a "
                            + "join succeeds", label, plan.startJoin(), cause(err).getMessage());
                }
            });
        }
        if (!plan.retryJoin().isEmpty()) {
            retryJoin(r, 1);
        }
    }

    private void retryJoin(Running r, long attempt) {
        if (r.stopped) {
            return;
        }
        JoinPlan plan = r.plan;
        String label = r.pool.config().label();
        LOG.info("agent: Joining {} cluster: {}", label, plan.retryJoin());
        r.pool.join(plan.retryJoin()).whenComplete((n, err) -> {
            if (err == null) {
                LOG.info("agent: Join {} completed. Synced with {} initial agents", label, n);
                return;
            }
            String why = cause(err).getMessage();
            if (plan.retryMax() > 0 && attempt >= plan.retryMax()) {
                LOG.error("agent: Join {} failed: {}; max join retry exhausted after {} attempts -- this agent is "
                        + "NOT part of a cluster", label, why, attempt);
                return;
            }
            LOG.warn("agent: Join {} failed: {}, retrying in {}", label, why, GoDuration.format(plan.retryInterval()));
            schedule(() -> retryJoin(r, attempt + 1), plan.retryInterval());
        });
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    // ---- configuration ------------------------------------------------------------------------------

    /** The pools an agent configuration asks for, by pool name ({@code lan}, and {@code wan} on servers). */
    public static Map<String, PoolConfig> poolConfigs(Map<String, ?> cfg) throws IOException {
        return poolConfigs(cfg, new LinkedHashMap<>());
    }

    static Map<String, PoolConfig> poolConfigs(Map<String, ?> cfg, Map<String, JoinPlan> plans) throws IOException {
        String nodeName = ConfigValues.string(cfg, "node_name", "");
        AgentIdentity id = AgentIdentity.fromConfig(cfg,
                UUID.nameUUIDFromBytes(("conclave-node:" + nodeName).getBytes(StandardCharsets.UTF_8)).toString());
        String bindText = ConfigValues.string(cfg, "bind_addr", "");
        InetAddress bindIp = ip(bindText.isEmpty() ? "0.0.0.0" : bindText, "bind_addr");
        String advText = ConfigValues.string(cfg, "advertise_addr", "");
        InetAddress adv = !advText.isEmpty() ? ip(advText, "advertise_addr")
                : bindIp.isAnyLocalAddress() ? ip(id.advertiseAddr(), "advertise_addr") : bindIp;
        String encrypt = ConfigValues.string(cfg, "encrypt", "");
        String dataDir = ConfigValues.string(cfg, "data_dir", "");
        boolean verifyIn = ConfigValues.bool(cfg, "encrypt_verify_incoming", true);
        boolean verifyOut = ConfigValues.bool(cfg, "encrypt_verify_outgoing", true);
        Duration leavePropagate = Duration.ofSeconds(1);
        // Consul keeps serf snapshots in data_dir except in dev mode (setupSerf: !DevMode).
        boolean snapshots = !dataDir.isEmpty() && !ConfigValues.bool(cfg, "dev", false);
        boolean rejoinAfterLeave = ConfigValues.bool(cfg, "rejoin_after_leave", false);

        Map<String, PoolConfig> out = new LinkedHashMap<>();
        Path lanFile = dataDir.isEmpty() ? null : Path.of(dataDir, "serf", "local.keyring");
        out.put(Membership.LAN, new PoolConfig(Membership.LAN, id.nodeName(), id.datacenter(),
                new InetSocketAddress(bindIp, port(id.serfLanPort(), "serf_lan_port")), adv, 0, id.lanTags(),
                SwimConfig.lan(), serfConfig(cfg, "reconnect_timeout"), keys("LAN", encrypt, lanFile), lanFile,
                verifyIn, verifyOut, Duration.ofSeconds(10), leavePropagate,
                snapshots ? Path.of(dataDir, "serf", "local.snapshot") : null, rejoinAfterLeave));
        plans.put(Membership.LAN, plan(cfg, ""));
        if (id.server()) {
            String advWanText = ConfigValues.string(cfg, "advertise_addr_wan", "");
            InetAddress advWan = advWanText.isEmpty() ? adv : ip(advWanText, "advertise_addr_wan");
            Path wanFile = dataDir.isEmpty() ? null : Path.of(dataDir, "serf", "remote.keyring");
            out.put(Membership.WAN, new PoolConfig(Membership.WAN, id.nodeName() + "." + id.datacenter(),
                    id.datacenter(), new InetSocketAddress(bindIp, port(id.serfWanPort(), "serf_wan_port")), advWan,
                    0, id.wanTags(), SwimConfig.wan(), serfConfig(cfg, "reconnect_timeout_wan"),
                    keys("WAN", encrypt, wanFile), wanFile, verifyIn, verifyOut, Duration.ofSeconds(30),
                    leavePropagate, snapshots ? Path.of(dataDir, "serf", "remote.snapshot") : null,
                    rejoinAfterLeave));
            plans.put(Membership.WAN, plan(cfg, "_wan"));
        }
        return out;
    }

    private static SerfConfig serfConfig(Map<String, ?> cfg, String key) {
        Duration reconnect = ConfigValues.duration(cfg, key, Duration.ofHours(72));
        if (reconnect.isNegative() || reconnect.isZero()) {
            throw new IllegalArgumentException(key + " must be positive");
        }
        return SerfConfig.consul().withReconnectTimeout(reconnect.toMillis());
    }

    private static JoinPlan plan(Map<String, ?> cfg, String suffix) {
        Duration interval = ConfigValues.duration(cfg, "retry_interval" + suffix, Duration.ofSeconds(30));
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("retry_interval" + suffix + " must be positive");
        }
        return new JoinPlan(ConfigValues.strings(cfg, "start_join" + suffix), ConfigValues.strings(cfg,
                "retry_join" + suffix), interval, ConfigValues.number(cfg, "retry_max" + suffix, 0));
    }

    private static int port(int port, String key) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(key + " out of range: " + port);
        }
        return port;
    }

    private static InetAddress ip(String text, String key) {
        if (!text.matches("[0-9a-fA-F:.\\[\\]%]+")) {
            throw new IllegalArgumentException(key + " must be an IP address, not \"" + text + "\"");
        }
        try {
            return InetAddress.getByName(text.replace("[", "").replace("]", ""));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(key + " must be an IP address, not \"" + text + "\"");
        }
    }

    /**
     * Consul's setupKeyrings: a keyring file in data_dir wins over {@code encrypt} (with a warning);
     * otherwise {@code encrypt} becomes the keyring and is written to the file.
     */
    static List<byte[]> keys(String label, String encrypt, Path file) throws IOException {
        if (file != null && Files.exists(file)) {
            List<byte[]> keys = KeyringFile.read(file);
            if (!encrypt.isEmpty()) {
                LOG.warn("WARNING: {} keyring exists but -encrypt given, using keyring", label);
            }
            return keys;
        }
        if (encrypt.isEmpty()) {
            return List.of();
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encrypt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid encryption key: " + e.getMessage());
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("Invalid encryption key: key size must be 16, 24 or 32 bytes");
        }
        if (file != null) {
            KeyringFile.write(file, List.of(key));
        }
        return List.of(key);
    }
}
