package io.conclave.gossip.internal.runtime;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.GossipEndpoint;
import io.conclave.api.gossip.GossipTransport;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.gossip.internal.serf.ConsulEventCodec;
import io.conclave.gossip.internal.serf.ConsulEvents;
import io.conclave.gossip.internal.serf.MemberStatus;
import io.conclave.gossip.internal.serf.SerfCore;
import io.conclave.gossip.internal.serf.SerfMessages;
import io.conclave.gossip.internal.serf.Tags;
import io.conclave.gossip.internal.serf.UserEvent;
import io.conclave.gossip.internal.swim.MembershipEvent;
import io.conclave.gossip.internal.swim.NodeInfo;
import io.conclave.gossip.internal.swim.Outgoing;
import io.conclave.gossip.internal.swim.SwimConfig;
import io.conclave.gossip.internal.swim.SwimMessage;
import io.conclave.gossip.internal.swim.SwimNode;
import io.conclave.gossip.internal.wire.Keyring;
import io.conclave.gossip.internal.wire.Ping;
import io.conclave.gossip.internal.wire.PushPull;
import io.conclave.gossip.internal.wire.User;
import io.conclave.gossip.internal.wire.WireException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live gossip pool: drives the pure {@link SwimNode} and {@link SerfCore} with real time, real
 * packets and real streams over a {@link GossipTransport}, speaking memberlist's and serf's wire.
 *
 * <p>Threading: every piece of protocol state lives on one event-loop thread ({@code gossip-lan},
 * {@code gossip-wan}); packets, stream results, timers and API calls are posted to it. Blocking stream
 * exchanges (push-pull, TCP fallback pings, joins) run on a small I/O pool and post their results back.
 * Listeners are called on the loop thread, in order.
 *
 * <p>Time is a pool clock that stops while no transport is bound: when the transport goes away the
 * endpoint is closed and nothing ticks; when one comes back the endpoint is re-opened on the same
 * address and every deadline (probes, suspicions, reaping) resumes where it was, shifted forward by the
 * pause, so nobody is declared failed for our own absence.
 *
 * <p>The pool coordinates; the protocol's parts live beside it: {@link PacketWire} (packets on the wire),
 * {@link StreamExchange} (push-pull, fallback pings, serf over streams), {@link SerfQueries} and
 * {@link KeyringQueries} (serf's queries and the keyring), {@link Delivery} (events to the listeners).
 */
public final class Pool implements Membership {

    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);
    private static final int MAX_PENDING_PACKETS = 4096;
    private static final int SERF_QUEUE_DEPTH = 4096;
    private static final int USER_MSG_OVERHEAD = 1;
    private static final long BROADCAST_TIMEOUT_MILLIS = 5_000;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private enum LeavePhase { NONE, INTENT, DEAD, PROPAGATE, DONE }

    private final PoolConfig config;
    private final String name;
    private final ScheduledThreadPoolExecutor loop;
    private final ThreadPoolExecutor ioPool;
    private volatile Thread loopThread;
    private final SplittableRandom random = new SplittableRandom();
    private final AtomicInteger pendingPackets = new AtomicInteger();
    private final RateLimitedLog badPackets = new RateLimitedLog(LOG, 10_000);
    private final long originNanos = System.nanoTime();

    // Loop-thread state.
    private SwimNode swim;
    private SerfCore serf;
    private TransmitQueue intentQueue;
    private TransmitQueue queryQueue;
    private TransmitQueue eventQueue;
    private final SerfQueries queries;
    private final KeyringQueries keyringQueries;
    private PacketWire wire;
    private final StreamExchange streams;
    private final Delivery delivery;
    private final PacketWire.Receiver packetReceiver = new PacketWire.Receiver() {
        @Override
        public void swim(String from, SwimMessage message) {
            swim.receive(from, message, now());
        }

        @Override
        public void serf(byte[] message, InetSocketAddress from) {
            handleSerf(message, from);
        }
    };
    private GossipTransport transport;
    private ScheduledFuture<?> tickFuture;
    private long tickAt = Long.MAX_VALUE;
    private long nextReapAt;
    private boolean paused = true;
    private long pausedAtVirtual;
    private long pausedTotal;
    private LeavePhase leavePhase = LeavePhase.NONE;
    private long leaveDeadline = Long.MAX_VALUE;
    private boolean leaveIntentSent;
    private final CompletableFuture<Void> leaveDone = new CompletableFuture<>();
    private boolean closed;

    // Shared with transport and I/O threads.
    private volatile GossipEndpoint endpoint;
    private volatile InetSocketAddress bound;
    private volatile InetAddress advertiseAddr;
    private volatile int advertisePort;
    /** serf's snapshot when the pool has a data_dir; opened on the first attach. */
    private volatile Snapshotter snapshot;

    public Pool(PoolConfig config, MembershipListener listeners) {
        this.config = config;
        this.name = config.nodeName();
        this.delivery = new Delivery(config, listeners, () -> swim, () -> snapshot);
        Parts parts = new Parts();
        this.queries = new SerfQueries(config, random, parts);
        this.keyringQueries = queries.keyring();
        this.loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gossip-" + config.pool());
            t.setDaemon(true);
            loopThread = t;
            return t;
        });
        this.loop.setRemoveOnCancelPolicy(true);
        this.streams = new StreamExchange(config, parts);
        AtomicInteger ioThreads = new AtomicInteger();
        this.ioPool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "gossip-" + config.pool() + "-io-" + ioThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (r, ex) -> LOG.warn("gossip ({}): too many stream exchanges queued; dropping one", config.label()));
        this.ioPool.allowCoreThreadTimeOut(true);
    }

    public PoolConfig config() {
        return config;
    }

    /** What the pool's parts reach back for: one object serves both, so what they share is said once. */
    private final class Parts implements SerfQueries.Host, StreamExchange.Host {

        @Override
        public SwimNode swim() {
            return swim;
        }

        @Override
        public SerfCore serf() {
            return serf;
        }

        @Override
        public Snapshotter snapshot() {
            return snapshot;
        }

        @Override
        public long now() {
            return Pool.this.now();
        }

        @Override
        public InetSocketAddress resolve(String node) {
            return Pool.this.resolve(node);
        }

        @Override
        public void sendUserPacket(InetSocketAddress to, byte[] serfMessage) {
            Pool.this.sendUserPacket(to, serfMessage);
        }

        @Override
        public void rebroadcast(byte[] rawQuery) {
            queryQueue.add(rawQuery, null);
        }

        @Override
        public byte[] advertiseAddr() {
            return advertiseAddr.getAddress();
        }

        @Override
        public int advertisePort() {
            return advertisePort;
        }

        @Override
        public <T> T call(Callable<T> task) {
            return Pool.this.call(task);
        }

        @Override
        public void post(Runnable task) {
            Pool.this.post(task);
        }

        @Override
        public void runIo(Runnable task) {
            Pool.this.runIo(task);
        }

        @Override
        public GossipEndpoint endpoint() {
            return endpoint;
        }

        @Override
        public Keyring keyring() {
            return keyringQueries.keyring();
        }

        @Override
        public void flush() {
            Pool.this.flush();
        }

        @Override
        public void serfMessage(byte[] message, InetSocketAddress from) {
            handleSerf(message, from);
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /**
     * Binds the pool's endpoint through {@code transport} and starts (or resumes) gossiping. The first
     * time, the node's advertised port becomes the one actually bound.
     */
    public void attach(GossipTransport transport) throws IOException {
        IOException failure = call(() -> {
            try {
                attachOnLoop(transport);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        if (failure != null) {
            throw failure;
        }
    }

    /** The transport went away: keep every member, close the endpoint and stop the clock. */
    public void detach(GossipTransport gone) {
        call(() -> {
            if (transport == gone) {
                pauseOnLoop();
                LOG.info("gossip ({}): transport gone; keeping {} members, probing paused", config.label(),
                        swim == null ? 0 : serf.membership().members().size());
            }
            return null;
        });
    }

    /** Stops without leaving (others will see this member fail). */
    public void close() {
        try {
            call(() -> {
                closed = true;
                if (snapshot != null) {
                    snapshot.clock(serf.membership().clock().time(), true);
                }
                pauseOnLoop();
                failPending(new IOException("gossip pool closed"));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("gossip ({}): close", config.label(), e);
        }
        loop.shutdownNow();
        ioPool.shutdownNow();
        Snapshotter s = snapshot;
        if (s != null) {
            s.close();
        }
    }

    /** The address the pool is bound to (null before the first attach). */
    public InetSocketAddress boundAddress() {
        return bound;
    }

    public boolean attached() {
        return endpoint != null;
    }

    private void attachOnLoop(GossipTransport t) throws IOException {
        if (closed) {
            throw new IOException("gossip pool closed");
        }
        if (transport != null) {
            pauseOnLoop();
        }
        InetSocketAddress addr = bound != null ? bound : config.bind();
        GossipEndpoint ep = t.open(config.pool(), addr, this::onPacket, streams::onStream);
        bound = ep.localAddress();
        endpoint = ep;
        transport = t;
        List<Snapshotter.PreviousNode> rejoin = List.of();
        if (swim == null) {
            rejoin = initialize();
        }
        resumeClock();
        LOG.info("gossip ({}): {} gossiping on {} (advertising {}:{}){}", config.label(), name, bound,
                advertiseAddr.getHostAddress(), advertisePort, keyringQueries.keyring() != null ? ", encrypted" : "");
        flush();
        if (!rejoin.isEmpty()) {
            List<Snapshotter.PreviousNode> previous = rejoin;
            runIo(() -> rejoin(previous));
        }
    }

    private void pauseOnLoop() {
        GossipEndpoint ep = endpoint;
        endpoint = null;
        transport = null;
        if (!paused) {
            pausedAtVirtual = now();
            paused = true;
        }
        if (tickFuture != null) {
            tickFuture.cancel(false);
            tickFuture = null;
            tickAt = Long.MAX_VALUE;
        }
        if (ep != null) {
            ep.close();
        }
    }

    private void resumeClock() {
        if (paused) {
            pausedTotal = realMillis() - pausedAtVirtual;
            paused = false;
        }
    }

    private long realMillis() {
        return (System.nanoTime() - originNanos) / 1_000_000L;
    }

    /** Pool time: real time minus every pause. Frozen while paused. */
    private long now() {
        return paused ? pausedAtVirtual : realMillis() - pausedTotal;
    }

    /** Starts the cores; returns the members to rejoin that the snapshot remembers (serf Create). */
    private List<Snapshotter.PreviousNode> initialize() throws IOException {
        InetAddress adv = config.advertise();
        if (adv == null || adv.isAnyLocalAddress()) {
            adv = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLocalHost() : bound.getAddress();
        }
        advertiseAddr = adv;
        advertisePort = config.advertisePort() > 0 ? config.advertisePort() : bound.getPort();
        byte[] meta = Tags.encode(config.tags());
        if (meta.length > Tags.META_MAX_SIZE) {
            throw new IOException("Node tags " + config.tags() + " exceed length limit of " + Tags.META_MAX_SIZE
                    + " bytes");
        }
        long now = resumeForInit();
        SwimConfig sc = config.swim();
        swim = new SwimNode(name, sc, random, now, new NodeInfo(adv.getAddress(), advertisePort, meta, PoolConfig.VSN));
        swim.userBroadcasts(this::takeSerfBroadcasts);
        wire = new PacketWire(config, swim, keyringQueries::keyring, adv, advertisePort, badPackets);
        serf = new SerfCore(name, config.serf());
        List<Snapshotter.PreviousNode> previous = openSnapshot();
        intentQueue = new TransmitQueue(sc.retransmitMult(), swim::numLive, SERF_QUEUE_DEPTH);
        queryQueue = new TransmitQueue(sc.retransmitMult(), swim::numLive, SERF_QUEUE_DEPTH);
        eventQueue = new TransmitQueue(sc.retransmitMult(), swim::numLive, SERF_QUEUE_DEPTH);
        serf.membership().joinIntentForSelf(now);
        serf.membership().memberlistJoin(name, config.tags(), now);
        nextReapAt = now + config.serf().reapIntervalMillis();
        return previous;
    }

    /**
     * Opens the snapshot, if the pool has one, and restores the clocks it holds. A snapshot that cannot
     * be opened is logged and the pool runs without one (serf would refuse to start; a pool that
     * cannot gossip helps nobody).
     */
    private List<Snapshotter.PreviousNode> openSnapshot() {
        if (config.snapshotPath() == null) {
            return List.of();
        }
        Snapshotter s;
        try {
            s = Snapshotter.open(config.snapshotPath(), config.rejoinAfterLeave(), config.label());
        } catch (IOException | RuntimeException e) {
            LOG.error("serf ({}): Failed to setup snapshot {}: {}; running without one", config.label(),
                    config.snapshotPath(), e.getMessage());
            return List.of();
        }
        snapshot = s;
        Snapshotter.Restored r = s.restored();
        serf.restoreClocks(r.clock(), r.eventClock(), r.queryClock());
        List<Snapshotter.PreviousNode> previous = r.previousNodes(random).stream()
                .filter(p -> !p.name().equals(name)).toList();
        LOG.info("serf ({}): snapshot {}: {} previously known member(s), clock {}, event clock {}, query clock {}",
                config.label(), config.snapshotPath(), previous.size(), r.clock(), r.eventClock(), r.queryClock());
        return previous;
    }

    /** serf {@code handleRejoin}: one previously known member after another until a join works. */
    private void rejoin(List<Snapshotter.PreviousNode> previous) {
        for (Snapshotter.PreviousNode p : previous) {
            if (loop.isShutdown()) {
                return;
            }
            LOG.info("serf ({}): Attempting re-join to previously known node: {}", config.label(), p);
            try {
                joinNow(List.of(p.addr()));
                LOG.info("serf ({}): Re-joined to previously known node: {}", config.label(), p);
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("serf ({}): re-join to {} failed: {}", config.label(), p, e.getMessage());
            }
        }
        if (!loop.isShutdown()) {
            LOG.warn("serf ({}): Failed to re-join any previously known node", config.label());
        }
    }

    private long resumeForInit() {
        resumeClock();
        return now();
    }

    // ---- the loop -------------------------------------------------------------------------------

    private boolean onLoop() {
        return Thread.currentThread() == loopThread;
    }

    /** Runs on the loop and waits (bounded); on the loop itself runs at once. */
    private <T> T call(Callable<T> task) {
        if (onLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return loop.submit(() -> {
                try {
                    return task.call();
                } finally {
                    flushQuietly();
                }
            }).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for gossip pool " + config.pool());
        } catch (TimeoutException e) {
            throw new IllegalStateException("gossip pool " + config.pool() + " did not answer in " + CALL_TIMEOUT);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("gossip pool " + config.pool() + " is closed");
        }
    }

    /** Posts work to the loop; never throws (a closed pool drops it). */
    private void post(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("gossip ({}): unexpected failure", config.label(), e);
                }
                flushQuietly();
            });
        } catch (RejectedExecutionException closedAlready) {
            // shutting down
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.error("gossip ({}): unexpected failure", config.label(), e);
        }
    }

    private void tick() {
        tickFuture = null;
        tickAt = Long.MAX_VALUE;
        if (paused || swim == null) {
            return;
        }
        long now = now();
        swim.tick(now);
        if (now >= nextReapAt) {
            serf.membership().reap(now);
            nextReapAt = now + config.serf().reapIntervalMillis();
        }
    }

    /** Sends what the cores produced, turns their events into serf's and the listeners', re-arms the timer. */
    private void flush() {
        if (swim == null) {
            return;
        }
        long now = now();
        for (int round = 0; round < 8; round++) {
            List<Outgoing> out = swim.drainOutgoing();
            List<MembershipEvent> swimEvents = swim.drainEvents();
            if (out.isEmpty() && swimEvents.isEmpty()) {
                break;
            }
            for (Outgoing o : out) {
                send(o);
            }
            for (MembershipEvent e : swimEvents) {
                logSwimEvent(e);
                serf.membership().apply(e, delivery.tagsOf(e.node()));
            }
        }
        boolean memberEvents = false;
        for (io.conclave.gossip.internal.serf.MemberEvent e : serf.membership().drainEvents()) {
            delivery.deliver(e);
            memberEvents = true;
        }
        for (UserEvent e : serf.userEvents().drainDelivered()) {
            delivery.deliver(e);
        }
        if (snapshot != null) {
            snapshot.clock(serf.membership().clock().time(), memberEvents);
        }
        advanceLeave(now);
        queries.expire(now);
        scheduleTick();
    }

    private void scheduleTick() {
        if (paused || swim == null || loop.isShutdown()) {
            return;
        }
        long next = Math.min(swim.nextDeadlineMillis(), nextReapAt);
        next = Math.min(next, leaveDeadline);
        next = keyringQueries.nextDeadline(next);
        if (tickFuture != null && tickAt <= next) {
            return;
        }
        if (tickFuture != null) {
            tickFuture.cancel(false);
        }
        long delay = Math.max(0, next - now());
        tickAt = next;
        try {
            tickFuture = loop.schedule(() -> {
                try {
                    tick();
                } catch (RuntimeException e) {
                    LOG.error("gossip ({}): unexpected failure", config.label(), e);
                }
                flushQuietly();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            tickFuture = null;
        }
    }

    private void logSwimEvent(MembershipEvent e) {
        switch (e.type()) {
            case SUSPECTED -> LOG.debug("memberlist ({}): suspect {}", config.label(), e.node());
            case FAILED -> LOG.info("memberlist ({}): marking {} as failed, suspect timeout reached",
                    config.label(), e.node());
            case REFUTED -> LOG.warn("memberlist ({}): refuting a suspect message about us (incarnation {})",
                    config.label(), e.incarnation());
            default -> {
            }
        }
    }

    // ---- sending -----------------------------------------------------------------------------

    private void send(Outgoing o) {
        if (o.reliable()) {
            if (o.message() instanceof SwimMessage.PushPull pp && !pp.reply()) {
                InetSocketAddress to = resolve(o.to());
                if (to != null && endpoint != null && leavePhase == LeavePhase.NONE) {
                    streams.pushPullAsync(o.to(), to);
                }
            } else if (o.message() instanceof SwimMessage.Ping ping) {
                tcpPing(o.to(), ping);
            }
            return;
        }
        GossipEndpoint ep = endpoint;
        InetSocketAddress to = resolve(o.to());
        if (ep == null || to == null) {
            return;
        }
        byte[] packet = wire.encode(o.to(), o.message());
        if (packet == null) {
            return;
        }
        try {
            ep.sendPacket(to, packet);
        } catch (IOException e) {
            LOG.debug("memberlist ({}): failed to send to {} {}: {}", config.label(), o.to(), to, e.getMessage());
        }
    }

    /** memberlist SendToAddress: a serf message as one user packet, nothing piggy-backed. */
    private void sendUserPacket(InetSocketAddress to, byte[] serfMessage) {
        GossipEndpoint ep = endpoint;
        if (ep == null || to == null) {
            return;
        }
        try {
            ep.sendPacket(to, wire.userPacket(serfMessage));
        } catch (IOException e) {
            LOG.debug("serf ({}): failed to send to {}: {}", config.label(), to, e.getMessage());
        }
    }

    private List<SwimMessage.User> takeSerfBroadcasts(int overhead, int limit) {
        int cost = overhead + USER_MSG_OVERHEAD;
        List<byte[]> msgs = new ArrayList<>(intentQueue.take(cost, limit));
        int used = msgs.stream().mapToInt(b -> b.length + cost).sum();
        List<byte[]> q = queryQueue.take(cost, limit - used);
        used += q.stream().mapToInt(b -> b.length + cost).sum();
        msgs.addAll(q);
        msgs.addAll(eventQueue.take(cost, limit - used));
        return msgs.stream().map(SwimMessage.User::new).toList();
    }

    private InetSocketAddress resolve(String node) {
        return wire == null ? null : wire.resolve(node);
    }

    // ---- receiving packets -----------------------------------------------------------------------

    private void onPacket(InetSocketAddress from, byte[] payload, long receivedNanos) {
        if (pendingPackets.incrementAndGet() > MAX_PENDING_PACKETS) {
            pendingPackets.decrementAndGet();
            badPackets.warn("memberlist ({}): too many packets queued; dropping one from {}", config.label(), from);
            return;
        }
        try {
            loop.execute(() -> {
                pendingPackets.decrementAndGet();
                try {
                    handlePacket(from, payload);
                } catch (RuntimeException e) {
                    LOG.error("memberlist ({}): failure handling a packet from {}", config.label(), from, e);
                }
                flushQuietly();
            });
        } catch (RejectedExecutionException closing) {
            pendingPackets.decrementAndGet();
        }
    }

    private void handlePacket(InetSocketAddress from, byte[] payload) {
        if (swim == null || paused) {
            return;
        }
        wire.receive(from, payload, packetReceiver);
    }

    // ---- streams ---------------------------------------------------------------------------------

    private void tcpPing(String node, SwimMessage.Ping ping) {
        InetSocketAddress to = resolve(node);
        GossipEndpoint ep = endpoint;
        if (to == null || ep == null) {
            return;
        }
        streams.fallbackPing(node, to, ep, advertiseAddr.getAddress(), advertisePort, ping);
    }

    private void runIo(Runnable task) {
        try {
            ioPool.execute(task);
        } catch (RejectedExecutionException closing) {
            // closed
        }
    }

    // ---- serf ------------------------------------------------------------------------------------

    private void handleSerf(byte[] buf, InetSocketAddress from) {
        if (swim == null || buf.length == 0) {
            return;
        }
        long now = now();
        try {
            switch (buf[0] & 0xff) {
                case SerfMessages.LEAVE -> {
                    SerfMessages.Leave l = SerfMessages.Leave.decode(buf);
                    var result = serf.membership().leaveIntent(l.node(), l.ltime(), l.prune(), now);
                    if (result == io.conclave.gossip.internal.serf.Membership.IntentResult.REFUTE) {
                        LOG.debug("serf ({}): refuting an older leave intent", config.label());
                        broadcastJoin();
                    } else if (result.rebroadcast()) {
                        intentQueue.add(buf, null);
                    }
                }
                case SerfMessages.JOIN -> {
                    SerfMessages.Join j = SerfMessages.Join.decode(buf);
                    if (serf.membership().joinIntent(j.node(), j.ltime(), now)) {
                        intentQueue.add(buf, null);
                    }
                }
                case SerfMessages.USER_EVENT -> {
                    if (serf.userEvents().receive(SerfMessages.decodeUserEvent(buf))) {
                        eventQueue.add(buf, null);
                    }
                }
                case SerfMessages.QUERY -> queries.handleQuery(SerfMessages.QueryMessage.decode(buf), buf);
                case SerfMessages.QUERY_RESPONSE -> queries.handleQueryResponse(SerfMessages.QueryResponse.decode(buf));
                case SerfMessages.RELAY -> {
                    SerfMessages.Relay r = SerfMessages.Relay.decode(buf);
                    sendUserPacket(PacketWire.socketAddress(r.destIp(), r.destPort()), r.inner());
                }
                case SerfMessages.CONFLICT_RESPONSE, SerfMessages.KEY_REQUEST, SerfMessages.KEY_RESPONSE,
                        SerfMessages.PUSH_PULL -> {
                    // only meaningful inside queries and streams
                }
                default -> badPackets.warn("serf ({}): Received message of unknown type {} from {}", config.label(),
                        buf[0] & 0xff, from);
            }
        } catch (WireException e) {
            badPackets.warn("serf ({}): Error decoding message type {} from {}: {}", config.label(), buf[0] & 0xff,
                    from, e.getMessage());
        }
    }

    /** serf broadcastJoin: our join intent at the current time, so others order us after what we saw. */
    private void broadcastJoin() {
        long t = serf.membership().clock().time();
        serf.membership().joinIntent(name, t, now());
        intentQueue.add(new SerfMessages.Join(t, name).encode(), null);
    }

    // ---- leaving ---------------------------------------------------------------------------------

    private boolean othersAlive() {
        return swim.numLive() > 1;
    }

    /** serf Leave then memberlist Leave then LeavePropagateDelay, as a small state machine on the loop. */
    private void advanceLeave(long now) {
        switch (leavePhase) {
            case INTENT -> {
                if (!leaveIntentSent || now >= leaveDeadline || !othersAlive()) {
                    swim.leave(now);
                    leavePhase = LeavePhase.DEAD;
                    leaveDeadline = now + BROADCAST_TIMEOUT_MILLIS;
                    flushOutgoingOnly();
                }
            }
            case DEAD -> {
                if (!swim.broadcastPending(name) || now >= leaveDeadline || !othersAlive()) {
                    leavePhase = LeavePhase.PROPAGATE;
                    leaveDeadline = now + config.leavePropagateDelay().toMillis();
                }
            }
            case PROPAGATE -> {
                if (now >= leaveDeadline) {
                    leavePhase = LeavePhase.DONE;
                    leaveDeadline = Long.MAX_VALUE;
                    LOG.info("serf ({}): {} left the pool", config.label(), name);
                    leaveDone.complete(null);
                }
            }
            default -> {
            }
        }
    }

    private void flushOutgoingOnly() {
        for (Outgoing o : swim.drainOutgoing()) {
            send(o);
        }
    }

    private void failPending(IOException cause) {
        keyringQueries.failAll(cause);
        if (!leaveDone.isDone() && leavePhase != LeavePhase.NONE) {
            leaveDone.completeExceptionally(cause);
        }
    }

    // ---- Membership --------------------------------------------------------------------------------

    @Override
    public String pool() {
        return config.pool();
    }

    @Override
    public Member local() {
        Member m = call(() -> swim == null ? null : serf.membership().member(name).map(delivery::toMember).orElse(null));
        if (m != null) {
            return m;
        }
        InetAddress adv = config.advertise();
        return new Member(name, adv == null ? "" : adv.getHostAddress(), config.advertisePort(), config.tags(),
                MemberStatus.ALIVE.code(), PoolConfig.VSN[0], PoolConfig.VSN[1], PoolConfig.VSN[2], PoolConfig.VSN[3],
                PoolConfig.VSN[4], PoolConfig.VSN[5]);
    }

    @Override
    public List<Member> members() {
        return call(() -> swim == null ? List.of()
                : serf.membership().members().stream().map(delivery::toMember).toList());
    }

    @Override
    public CompletionStage<Integer> join(List<String> addresses) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        if (addresses.isEmpty()) {
            result.completeExceptionally(new IllegalArgumentException("no address to join"));
            return result;
        }
        runIo(() -> {
            try {
                result.complete(joinNow(addresses));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private int joinNow(List<String> addresses) throws IOException {
        Boolean usable = call(() -> swim != null && leavePhase == LeavePhase.NONE);
        if (!usable) {
            throw new IOException(swim == null ? "gossip pool " + config.pool() + " has no transport yet"
                    : "this agent has left the " + config.pool() + " pool");
        }
        int defaultPort = advertisePort;
        int joined = 0;
        List<String> errors = new ArrayList<>();
        for (String address : addresses) {
            List<InetSocketAddress> targets;
            try {
                targets = JoinAddresses.resolveAll(address, defaultPort);
            } catch (IllegalArgumentException | UnknownHostException e) {
                errors.add("Failed to resolve " + address + ": " + e.getMessage());
                continue;
            }
            for (InetSocketAddress t : targets) {
                try {
                    streams.exchange(t, true);
                    joined++;
                    break;
                } catch (IOException | RuntimeException e) {
                    errors.add("Failed to join " + t.getAddress().getHostAddress() + ":" + t.getPort() + ": "
                            + e.getMessage());
                }
            }
        }
        if (joined == 0) {
            throw new IOException(errors.size() + " error(s) occurred:\n\n* " + String.join("\n* ", errors));
        }
        call(() -> {
            broadcastJoin();
            return null;
        });
        return joined;
    }

    @Override
    public CompletionStage<Void> leave() {
        try {
            call(() -> {
                if (swim == null || leavePhase != LeavePhase.NONE) {
                    if (swim == null) {
                        leaveDone.complete(null);
                    }
                    return null;
                }
                long now = now();
                if (snapshot != null) {
                    snapshot.leave();
                }
                long t = serf.membership().leaveIntentForSelf(now);
                leavePhase = LeavePhase.INTENT;
                leaveDeadline = now + BROADCAST_TIMEOUT_MILLIS;
                LOG.info("serf ({}): {} leaving the pool", config.label(), name);
                if (othersAlive()) {
                    leaveIntentSent = true;
                    intentQueue.add(new SerfMessages.Leave(t, name, false).encode(), () -> leaveIntentSent = false);
                } else {
                    leaveIntentSent = false;
                }
                return null;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return leaveDone.copy();
    }

    @Override
    public boolean forceLeave(String node, boolean prune) {
        return call(() -> {
            if (swim == null || serf.membership().member(node).isEmpty()) {
                return false;
            }
            long now = now();
            long t = serf.membership().clock().time();
            serf.membership().clock().increment();
            serf.membership().leaveIntent(node, t, prune, now);
            if (othersAlive()) {
                intentQueue.add(new SerfMessages.Leave(t, node, prune).encode(), null);
            }
            return true;
        });
    }

    @Override
    public void fire(io.conclave.api.gossip.UserEvent event) {
        if (event.name() == null || event.name().isEmpty()) {
            throw new IllegalArgumentException("User event missing name");
        }
        io.conclave.api.gossip.UserEvent withId = new io.conclave.api.gossip.UserEvent(
                event.id() == null || event.id().isEmpty() ? UUID.randomUUID().toString() : event.id(),
                event.name(), event.payload(), event.nodeFilter(), event.serviceFilter(), event.tagFilter(),
                event.version() == 0 ? io.conclave.api.gossip.UserEvent.VERSION : event.version(), 0);
        fireSerfEvent(ConsulEvents.serfName(event.name()), ConsulEventCodec.encode(withId));
    }

    /** A plain serf user event (what {@code serf event NAME PAYLOAD} sends), subject to the same limits. */
    public void fireSerfEvent(String serfName, byte[] payload) {
        call(() -> {
            if (swim == null) {
                throw new IllegalStateException("gossip pool " + config.pool() + " has no transport yet");
            }
            int limit = config.serf().userEventSizeLimit();
            int before = serfName.getBytes(StandardCharsets.UTF_8).length + payload.length;
            if (before > limit) {
                throw new IllegalArgumentException("user event exceeds configured limit of " + limit
                        + " bytes before encoding");
            }
            long t = serf.userEvents().clock().time();
            int after = SerfMessages.encodeUserEvent(new UserEvent(t, serfName, payload, false)).length;
            if (after > limit) {
                throw new IllegalArgumentException("user event exceeds configured limit of " + limit
                        + " bytes after encoding");
            }
            UserEvent e = serf.userEvents().create(serfName, payload, false);
            eventQueue.add(SerfMessages.encodeUserEvent(e), null);
            return null;
        });
    }

    @Override
    public CompletionStage<KeyringResponse> keyring(KeyringOperation operation, String key) {
        CompletableFuture<KeyringResponse> result = new CompletableFuture<>();
        try {
            call(() -> {
                startKeyQuery(operation, key, result);
                return null;
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private void startKeyQuery(KeyringOperation op, String key, CompletableFuture<KeyringResponse> result) {
        if (swim == null) {
            throw new IllegalStateException("gossip pool " + config.pool() + " has no transport yet");
        }
        queries.startKeyQuery(op, key, result);
    }

    @Override
    public String toString() {
        return "Pool[" + config.pool() + " " + name + "]";
    }
}
