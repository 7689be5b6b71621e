package io.conclave.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Consul's {@code limits.http_max_conns_per_client} (hashicorp/go-connlimit): at most {@code limit}
 * open connections per client IP, blocking queries included. A connection over the limit is answered
 * {@code 429 Too Many Requests} with go-connlimit's text and closed, without ever reaching HTTP parsing;
 * the others are handed to the wrapped factory and counted until they close. Jetty's own
 * {@code ConnectionLimit} counts all clients together, which is not what Consul does.
 */
public final class PerClientLimit implements ConnectionFactory {

    static final String TOO_MANY = "Your IP is issuing too many concurrent connections, please rate limit your calls\n";
    private static final byte[] RESPONSE = ("HTTP/1.1 429 Too Many Requests\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: " + TOO_MANY.length() + "\r\n"
            + "Connection: close\r\n\r\n" + TOO_MANY).getBytes(StandardCharsets.US_ASCII);
    /** How long a refused client has to read the 429 before the socket is closed under it. */
    private static final long REFUSED_LINGER_MILLIS = 2_000;

    private final ConnectionFactory next;
    private final int limit;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /** @param limit connections allowed per client IP; 0 or less disables the limit */
    public PerClientLimit(ConnectionFactory next, int limit) {
        this.next = next;
        this.limit = limit;
    }

    @Override
    public String getProtocol() {
        return next.getProtocol();
    }

    @Override
    public List<String> getProtocols() {
        return next.getProtocols();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (limit <= 0) {
            return next.newConnection(connector, endPoint);
        }
        String client = clientKey(endPoint.getRemoteSocketAddress());
        if (!tryAcquire(client)) {
            return new Refused(endPoint, connector.getExecutor());
        }
        Connection connection;
        try {
            connection = next.newConnection(connector, endPoint);
        } catch (RuntimeException | Error e) {
            release(client);
            throw e;
        }
        AtomicBoolean released = new AtomicBoolean();
        connection.addEventListener(new Connection.Listener() {
            @Override
            public void onClosed(Connection c) {
                if (released.compareAndSet(false, true)) {
                    release(client);
                }
            }
        });
        return connection;
    }

    /** Connections currently counted for {@code ip} (for tests and diagnostics). */
    public int openFrom(String ip) {
        return open.getOrDefault(ip, 0);
    }

    private boolean tryAcquire(String client) {
        boolean[] ok = new boolean[1];
        open.compute(client, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= limit) {
                return n;
            }
            ok[0] = true;
            return current + 1;
        });
        return ok[0];
    }

    private void release(String client) {
        open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    static String clientKey(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    /** Writes the 429, half-closes, drains whatever the client still sends, and closes. */
    private static final class Refused extends AbstractConnection {
        private final ByteBuffer drain = BufferUtil.allocate(1024);

        Refused(EndPoint endPoint, java.util.concurrent.Executor executor) {
            super(endPoint, executor);
        }

        @Override
        public void onOpen() {
            super.onOpen();
            getEndPoint().setIdleTimeout(REFUSED_LINGER_MILLIS);
            getEndPoint().write(Callback.from(() -> {
                getEndPoint().shutdownOutput();
                fillInterested();
            }, failure -> close()), ByteBuffer.wrap(RESPONSE));
        }

        @Override
        public void onFillable() {
            try {
                while (true) {
                    BufferUtil.clear(drain);
                    int n = getEndPoint().fill(drain);
                    if (n < 0) {
                        close();
                        return;
                    }
                    if (n == 0) {
                        fillInterested();
                        return;
                    }
                }
            } catch (IOException e) {
                close();
            }
        }

        @Override
        public boolean onIdleExpired(java.util.concurrent.TimeoutException timeout) {
            close();
            return true;
        }
    }
}
