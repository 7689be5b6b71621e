package io.conclave.transport.udp.internal;

import io.conclave.api.gossip.GossipEndpoint;
import io.conclave.api.gossip.GossipStream;
import io.conclave.api.gossip.PacketHandler;
import io.conclave.api.gossip.StreamHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One pool's UDP socket and TCP listener on the same port, with a receive thread and an accept thread. */
final class NetEndpoint implements GossipEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(NetEndpoint.class);

    /** Larger than any UDP payload (65,507 over IPv4), so no datagram is cut short. */
    static final int RECEIVE_BUFFER = 65_536;
    /** How often a free port is drawn when UDP finds TCP's free port already taken. */
    static final int BIND_ATTEMPTS = 10;
    static final Duration THREAD_STOP_BOUND = Duration.ofSeconds(2);
    private static final int BACKLOG = 128;

    private final String pool;
    private final InetSocketAddress local;
    private final DatagramChannel udp;
    private final Selector udpSelector;
    private final ServerSocketChannel tcp;
    private final PacketHandler packets;
    private final StreamHandler streams;
    private final ScheduledExecutorService watchdogs;
    private final Semaphore inboundPermits;
    private final ThreadPoolExecutor inboundPool;
    private final Set<NetStream> openStreams = ConcurrentHashMap.newKeySet();
    private final Consumer<NetEndpoint> onClose;
    private final Thread receiver;
    private final Thread acceptor;
    private volatile boolean closed;

    private NetEndpoint(String pool, InetSocketAddress local, DatagramChannel udp, Selector udpSelector,
            ServerSocketChannel tcp, PacketHandler packets, StreamHandler streams,
            ScheduledExecutorService watchdogs, int maxInbound, Consumer<NetEndpoint> onClose) {
        this.pool = pool;
        this.local = local;
        this.udp = udp;
        this.udpSelector = udpSelector;
        this.tcp = tcp;
        this.packets = packets;
        this.streams = streams;
        this.watchdogs = watchdogs;
        this.onClose = onClose;
        this.inboundPermits = new Semaphore(maxInbound);
        AtomicInteger n = new AtomicInteger();
        this.inboundPool = new ThreadPoolExecutor(maxInbound, maxInbound, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "gossip-stream-" + pool + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.inboundPool.allowCoreThreadTimeOut(true);
        this.receiver = new Thread(this::receiveLoop, "gossip-udp-" + pool);
        this.receiver.setDaemon(true);
        this.acceptor = new Thread(this::acceptLoop, "gossip-accept-" + pool);
        this.acceptor.setDaemon(true);
    }

    static NetEndpoint bind(String pool, InetSocketAddress bind, PacketHandler packets, StreamHandler streams,
            ScheduledExecutorService watchdogs, int maxInbound, int udpReceiveBuffer,
            Consumer<NetEndpoint> onClose) throws IOException {
        if (bind.isUnresolved()) {
            throw new IOException("cannot bind gossip to unresolved address " + bind);
        }
        int attempts = bind.getPort() == 0 ? BIND_ATTEMPTS : 1;
        IOException last = null;
        for (int i = 0; i < attempts; i++) {
            ServerSocketChannel tcp = null;
            DatagramChannel udp = null;
            Selector selector = null;
            try {
                tcp = ServerSocketChannel.open();
                tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                tcp.bind(bind, BACKLOG);
                int port = ((InetSocketAddress) tcp.getLocalAddress()).getPort();
                InetSocketAddress actual = new InetSocketAddress(bind.getAddress(), port);
                // No SO_REUSEADDR on UDP: on Linux it would let two endpoints share one port.
                udp = DatagramChannel.open(bind.getAddress() instanceof java.net.Inet6Address
                        ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
                setReceiveBuffer(udp, udpReceiveBuffer);
                udp.bind(actual);
                udp.configureBlocking(false);
                selector = Selector.open();
                udp.register(selector, SelectionKey.OP_READ);
                NetEndpoint endpoint = new NetEndpoint(pool, actual, udp, selector, tcp, packets, streams,
                        watchdogs, maxInbound, onClose);
                endpoint.receiver.start();
                endpoint.acceptor.start();
                return endpoint;
            } catch (IOException e) {
                closeQuietly(selector);
                closeQuietly(udp);
                closeQuietly(tcp);
                last = e;
                if (!(e instanceof BindException) || attempts == 1) {
                    break;
                }
                LOG.debug("gossip pool {}: UDP port taken after TCP bind, retrying: {}", pool, e.toString());
            }
        }
        IOException failure = new IOException("cannot bind gossip pool " + pool + " to " + bind + ": " + last.getMessage());
        failure.initCause(last);
        throw failure;
    }

    /** memberlist's setUDPRecvBuf: ask for the size, halving until the OS accepts it. */
    private static void setReceiveBuffer(DatagramChannel udp, int size) {
        for (int s = size; s >= RECEIVE_BUFFER; s /= 2) {
            try {
                udp.setOption(StandardSocketOptions.SO_RCVBUF, s);
                return;
            } catch (IOException | IllegalArgumentException e) {
                LOG.debug("UDP receive buffer of {} bytes refused: {}", s, e.toString());
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void sendPacket(InetSocketAddress to, byte[] payload) throws IOException {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        if (payload.length > MAX_PACKET) {
            throw new IOException("packet of " + payload.length + " bytes exceeds the limit of " + MAX_PACKET);
        }
        if (closed) {
            throw new ClosedChannelException();
        }
        if (to.isUnresolved()) {
            throw new IOException("cannot send to unresolved address " + to);
        }
        // Non-blocking: a full socket buffer drops the packet, as UDP may anyway.
        int sent = udp.send(ByteBuffer.wrap(payload), to);
        if (sent == 0 && payload.length > 0) {
            LOG.debug("gossip pool {}: UDP send buffer full, dropped {} bytes to {}", pool, payload.length, to);
        }
    }

    @Override
    public GossipStream openStream(InetSocketAddress to, Duration timeout) throws IOException {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(timeout, "timeout");
        if (closed) {
            throw new ClosedChannelException();
        }
        long millis = Math.max(1, timeout.toMillis());
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(to, (int) Math.min(Integer.MAX_VALUE, millis));
        } catch (SocketTimeoutException e) {
            closeQuietly(channel);
            throw new SocketTimeoutException("connect to " + to + " timed out after " + timeout);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        NetStream stream = new NetStream(channel, to, watchdogs, openStreams::remove);
        openStreams.add(stream);
        if (closed) {
            stream.close();
            throw new ClosedChannelException();
        }
        return stream;
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
        try {
            while (!closed) {
                udpSelector.select();
                udpSelector.selectedKeys().clear();
                SocketAddress from;
                while (!closed && (from = receive(buffer)) != null) {
                    buffer.flip();
                    byte[] payload = Arrays.copyOf(buffer.array(), buffer.limit());
                    long now = System.nanoTime();
                    try {
                        packets.onPacket((InetSocketAddress) from, payload, now);
                    } catch (RuntimeException e) {
                        // Hostile input must not flood the log with stack traces: those go to debug.
                        LOG.warn("gossip pool {}: packet handler failed on {} bytes from {}: {}", pool,
                                payload.length, from, e.toString());
                        LOG.debug("packet handler failure", e);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("gossip pool {}: UDP receiver stopped", pool, e);
            }
        } finally {
            closeQuietly(udpSelector);
        }
    }

    private SocketAddress receive(ByteBuffer buffer) throws IOException {
        buffer.clear();
        try {
            return udp.receive(buffer);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            // e.g. ICMP port unreachable surfaced on some platforms: one bad datagram, not a dead socket.
            LOG.debug("gossip pool {}: UDP receive failed: {}", pool, e.toString());
            return null;
        }
    }

    private void acceptLoop() {
        long backoffMillis = 0;
        while (!closed) {
            SocketChannel channel;
            try {
                channel = tcp.accept();
                backoffMillis = 0;
            } catch (ClosedChannelException e) {
                if (!closed) {
                    LOG.error("gossip pool {}: TCP listener closed under us; accept stopped", pool);
                }
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                // memberlist's tcpListen: a failing accept (e.g. out of file descriptors) backs off, up to 1 s.
                backoffMillis = backoffMillis == 0 ? 5 : Math.min(1000, backoffMillis * 2);
                LOG.warn("gossip pool {}: TCP accept failed, retrying in {} ms: {}", pool, backoffMillis,
                        e.toString());
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            try {
                accepted(channel);
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                LOG.warn("gossip pool {}: dropped inbound stream: {}", pool, e.toString());
            }
        }
    }

    private void accepted(SocketChannel channel) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        if (closed) {
            closeQuietly(channel);
            return;
        }
        if (!inboundPermits.tryAcquire()) {
            LOG.warn("gossip pool {}: refused stream from {}: {} inbound streams open", pool, remote,
                    inboundPool.getMaximumPoolSize());
            closeQuietly(channel);
            return;
        }
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        NetStream stream = new NetStream(channel, remote, watchdogs, s -> {
            openStreams.remove(s);
            inboundPermits.release();
        });
        openStreams.add(stream);
        try {
            inboundPool.execute(() -> {
                try {
                    streams.onStream(stream);
                } catch (RuntimeException e) {
                    LOG.warn("gossip pool {}: stream handler failed for {}", pool, remote, e);
                    stream.close();
                }
            });
        } catch (RejectedExecutionException e) {
            stream.close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(tcp);
        closeQuietly(udp);
        udpSelector.wakeup();
        if (acceptor != Thread.currentThread()) {
            acceptor.interrupt();
        }
        for (NetStream stream : List.copyOf(openStreams)) {
            stream.close();
        }
        inboundPool.shutdownNow();
        join(receiver);
        join(acceptor);
        try {
            inboundPool.awaitTermination(THREAD_STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.accept(this);
        LOG.info("Closed gossip pool {} on {}", pool, local);
    }

    private static void join(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(THREAD_STOP_BOUND.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {}", thread.getName(), THREAD_STOP_BOUND);
        }
    }

    int openStreamCount() {
        return openStreams.size();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "gossip endpoint " + pool + " on " + local;
    }
}
