package io.conclave.dns.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP side: one thread receives datagrams into a fixed pool of workers (never a thread per query);
 * when the pool's queue is full the datagram is dropped, as a busy DNS server does, and the client
 * retries. A datagram never harms the listener: whatever {@link Responder} makes of it is sent or not.
 */
final class UdpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("agent.dns");
    private static final int QUEUE = 1024;

    private final DatagramChannel channel;
    private final Responder responder;
    private final ThreadPoolExecutor workers;
    private final Thread receiver;
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile boolean closed;

    UdpListener(InetSocketAddress bind, Responder responder, int workerCount) throws IOException {
        this.responder = responder;
        this.channel = DatagramChannel.open(IpLiterals.isV4(bind.getAddress()) ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6);
        try {
            channel.bind(bind);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(workerCount, workerCount, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "conclave-dns-udp-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.receiver = new Thread(this::receive, "conclave-dns-udp");
        receiver.setDaemon(true);
        receiver.start();
    }

    int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(65535);
        while (!closed) {
            SocketAddress from;
            try {
                buf.clear();
                from = channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.debug("UDP receive failed: {}", e.toString());
                continue;
            }
            if (from == null) {
                continue;
            }
            buf.flip();
            byte[] packet = new byte[buf.remaining()];
            buf.get(packet);
            try {
                workers.execute(() -> serve(packet, from));
            } catch (RejectedExecutionException e) {
                if (dropped.incrementAndGet() % 1000 == 1) {
                    LOG.warn("DNS UDP workers busy, dropping queries: dropped so far={}", dropped.get());
                }
            }
        }
    }

    private void serve(byte[] packet, SocketAddress from) {
        try {
            byte[] out = responder.handle(packet, false, from);
            if (out != null && !closed) {
                channel.send(ByteBuffer.wrap(out), from);
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("failed to respond: client={} error={}", from, e.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("failed to respond: client={} error={}", from, e.toString(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the UDP channel: {}", e.toString());
        }
        workers.shutdownNow();
        try {
            receiver.join(2000);
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
