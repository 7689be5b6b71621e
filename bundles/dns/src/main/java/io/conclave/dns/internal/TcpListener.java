package io.conclave.dns.internal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP side (RFC 1035 §4.2.2, RFC 7766): messages framed by a two-byte length, any number per
 * connection, answered in order. One thread accepts; each connection is served by a bounded pool, so
 * at most {@code tcp_max_connections} are open (more are closed at once). A connection quiet for the
 * idle timeout, one that sends a frame shorter than a DNS header, or one that stalls mid-frame is
 * closed; nothing a client sends stops the listener.
 */
final class TcpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("agent.dns");

    private final ServerSocket server;
    private final Responder responder;
    private final ThreadPoolExecutor handlers;
    private final Thread acceptor;
    private final int idleMillis;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    TcpListener(InetSocketAddress bind, Responder responder, int maxConnections, Duration idleTimeout)
            throws IOException {
        this.responder = responder;
        this.idleMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, idleTimeout.toMillis()));
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(bind, 128);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        this.handlers = new ThreadPoolExecutor(0, maxConnections, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "conclave-dns-tcp-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.acceptor = new Thread(this::accept, "conclave-dns-tcp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.debug("TCP accept failed: {}", e.toString());
                continue;
            }
            try {
                handlers.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                LOG.debug("too many DNS TCP connections, closing: client={}", s.getRemoteSocketAddress());
                quietly(s);
            }
        }
    }

    private void serve(Socket s) {
        open.add(s);
        Object client = s.getRemoteSocketAddress();
        try {
            s.setSoTimeout(idleMillis);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            while (!closed) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return;
                }
                if (len < 12) {
                    LOG.debug("closing a DNS TCP connection after a frame shorter than a header: client={}", client);
                    return;
                }
                byte[] packet = new byte[len];
                in.readFully(packet);
                byte[] answer = responder.handle(packet, true, client);
                if (answer == null) {
                    continue;
                }
                out.write(answer.length >> 8);
                out.write(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (SocketException | EOFException | SocketTimeoutException e) {
            LOG.debug("DNS TCP connection ended: client={} reason={}", client, e.toString());
        } catch (IOException | RuntimeException e) {
            LOG.debug("DNS TCP connection failed: client={} error={}", client, e.toString());
        } finally {
            open.remove(s);
            quietly(s);
        }
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the TCP listener: {}", e.toString());
        }
        for (Socket s : open) {
            quietly(s);
        }
        handlers.shutdownNow();
        try {
            acceptor.join(2000);
            handlers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
