package io.conclave.examples.redis.internal;

import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import io.conclave.api.check.CheckType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * An example custom check type, {@code redis}: sends Redis {@code PING} and is passing on {@code +PONG}.
 *
 * <h2>Using it</h2>
 * A check definition selects it with {@code "type": "redis"}; its other keys are this type's parameters:
 * <pre>
 * "check": {
 *   "name": "Redis answers PING",
 *   "type": "redis",
 *   "redis": "127.0.0.1:6379",      host:port, [v6]:port, or host alone (port 6379)
 *   "password": "s3cret",           optional: AUTH before PING
 *   "username": "monitor",          optional: Redis 6 ACL user (needs password)
 *   "interval": "10s",
 *   "timeout": "2s"                 optional, default 10s
 * }
 * </pre>
 * Outputs: passing {@code Redis PING 127.0.0.1:6379: PONG}; critical with Redis's own error
 * ({@code Redis PING 127.0.0.1:6379: NOAUTH Authentication required.}, {@code Redis AUTH ...: WRONGPASS ...},
 * {@code ... LOADING Redis is loading the dataset in memory}) or the connection's
 * ({@code dial tcp 127.0.0.1:6379: connect: connection refused}, {@code Redis PING ...: i/o timeout}).
 * The password never appears in an output.
 *
 * <h2>How a check type is written (the rules of {@link CheckType})</h2>
 * <ul>
 *   <li>One Declarative Services component providing {@link CheckType} with the service property
 *       {@code conclave.check.type=<name>}; the agent finds types by that property.</li>
 *   <li>{@link #validate} throws {@link IllegalArgumentException} with an operator-readable message;
 *       the agent refuses the definition with it.</li>
 *   <li>{@link #run} does one check and returns at once; the work is asynchronous (here an
 *       {@link AsynchronousSocketChannel}), the stage completes with the verdict. The agent schedules
 *       runs, applies {@code success_before_passing}/{@code failures_before_critical}, and may cancel
 *       the stage when {@code timeout} passes: release what the run holds when it is cancelled.</li>
 *   <li>Keep no state between runs beyond shared clients; release everything in {@code @Deactivate},
 *       which runs when the bundle is stopped, updated or removed.</li>
 * </ul>
 */
@Component(service = CheckType.class, property = CheckType.TYPE + "=" + RedisCheckType.TYPE)
@Capability(namespace = "osgi.service", uses = CheckType.class,
        attribute = {"objectClass:List<String>=io.conclave.api.check.CheckType", CheckType.TYPE + "=" + RedisCheckType.TYPE})
public final class RedisCheckType implements CheckType {

    static final String TYPE = "redis";
    static final int DEFAULT_PORT = 6379;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Replies to AUTH and PING are one short line each; anything longer is not a Redis we understand. */
    static final int MAX_REPLY = 64 * 1024;

    /** Java resolves host names with a blocking call, so names are looked up on these few threads. */
    private final ExecutorService resolver;

    @Activate
    public RedisCheckType() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "conclave-check-redis-resolver");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        resolver = pool;
    }

    @Deactivate
    public void deactivate() {
        resolver.shutdownNow();
    }

    @Override
    public void validate(CheckSpec spec) {
        String redis = spec.string("redis", "");
        if (redis.isEmpty()) {
            throw new IllegalArgumentException("a redis check needs redis, the server's address as host:port");
        }
        Address.parse(redis);
        if (!spec.string("username", "").isEmpty() && spec.string("password", "").isEmpty()) {
            throw new IllegalArgumentException("a redis check with username needs password too");
        }
        if (spec.bool("tls")) {
            throw new IllegalArgumentException("tls is not supported by the redis check type");
        }
        if (spec.interval().compareTo(Duration.ZERO) <= 0) {
            throw new IllegalArgumentException("interval must be > 0 for redis checks");
        }
    }

    @Override
    public CompletionStage<CheckResult> run(CheckSpec spec) {
        Address address;
        try {
            address = Address.parse(spec.string("redis", ""));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CheckResult.critical(e.getMessage()));
        }
        Duration timeout = spec.timeout().compareTo(Duration.ZERO) > 0 ? spec.timeout() : DEFAULT_TIMEOUT;
        Ping ping = new Ping(address, spec.string("username", ""), spec.string("password", ""));
        // our own deadline; the agent may also cancel the stage, which closes the socket all the same
        CompletableFuture<Void> timer = new CompletableFuture<>();
        timer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        ping.answer.complete(CheckResult.critical(ping.step + " " + address + ": i/o timeout"));
                    }
                });
        ping.answer.whenComplete((r, e) -> {
            timer.complete(null);
            ping.close();
        });
        resolve(address.host()).whenComplete((addresses, err) -> {
            if (err != null) {
                ping.answer.complete(CheckResult.critical("dial tcp: lookup " + address.host() + ": no such host"));
            } else {
                ping.connect(addresses, 0);
            }
        });
        return ping.answer;
    }

    private CompletableFuture<List<InetAddress>> resolve(String host) {
        CompletableFuture<List<InetAddress>> out = new CompletableFuture<>();
        if (host.isEmpty()) {
            out.complete(List.of(InetAddress.getLoopbackAddress()));
            return out;
        }
        try {
            resolver.execute(() -> {
                try {
                    out.complete(List.of(InetAddress.getAllByName(host)));
                } catch (UnknownHostException | RuntimeException e) {
                    out.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(e);
        }
        return out;
    }

    /** A Redis address: {@code host:port}, {@code [::1]:port}, or a host alone meaning port 6379. */
    record Address(String host, int port) {
        static Address parse(String s) {
            String host;
            String port;
            if (s.startsWith("[")) {
                int end = s.indexOf(']');
                if (end < 0 || (end + 1 < s.length() && s.charAt(end + 1) != ':')) {
                    throw new IllegalArgumentException("redis: \"" + s + "\" is not host:port");
                }
                host = s.substring(1, end);
                port = end + 1 < s.length() ? s.substring(end + 2) : "";
            } else {
                int colon = s.lastIndexOf(':');
                if (colon >= 0 && s.indexOf(':') != colon) {
                    throw new IllegalArgumentException("redis: \"" + s + "\" is not host:port (put an IPv6 address in brackets)");
                }
                host = colon < 0 ? s : s.substring(0, colon);
                port = colon < 0 ? "" : s.substring(colon + 1);
            }
            if (port.isEmpty()) {
                return new Address(host, DEFAULT_PORT);
            }
            try {
                int p = Integer.parseInt(port);
                if (p < 1 || p > 65535) {
                    throw new NumberFormatException();
                }
                return new Address(host, p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("redis: \"" + s + "\" has no valid port (1 to 65535)");
            }
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** One run: connect, send AUTH (if any) and PING in one write, read one reply line per command. */
    static final class Ping {
        final CompletableFuture<CheckResult> answer = new CompletableFuture<>();
        volatile String step;
        private final Address address;
        private final List<byte[]> commands = new ArrayList<>();
        private final boolean auth;
        private final ByteBuffer in = ByteBuffer.allocate(MAX_REPLY);
        private volatile AsynchronousSocketChannel channel;
        private List<InetAddress> addresses = List.of();
        private String firstError;

        Ping(Address address, String username, String password) {
            this.address = address;
            this.auth = !password.isEmpty();
            this.step = auth ? "Redis AUTH" : "Redis PING";
            if (auth) {
                commands.add(username.isEmpty() ? resp("AUTH", password) : resp("AUTH", username, password));
            }
            commands.add(resp("PING"));
        }

        /** A command as a RESP array of bulk strings. */
        static byte[] resp(String... args) {
            StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        void connect(List<InetAddress> addresses, int i) {
            this.addresses = addresses;
            if (answer.isDone()) {
                return;
            }
            InetSocketAddress to = new InetSocketAddress(addresses.get(i), address.port());
            try {
                channel = AsynchronousSocketChannel.open();
            } catch (IOException e) {
                answer.complete(CheckResult.critical("dial tcp " + address + ": " + e.getMessage()));
                return;
            }
            if (answer.isDone()) {
                close();
                return;
            }
            channel.connect(to, null, handler(v -> send(), e -> {
                close();
                if (firstError == null) {
                    String ip = to.getAddress().getHostAddress();
                    firstError = "dial tcp " + (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + address.port()
                            + ": connect: " + lowerFirst(e.getMessage());
                }
                if (i + 1 < addresses.size()) {
                    connect(addresses, i + 1);
                } else {
                    answer.complete(CheckResult.critical(firstError));
                }
            }));
        }

        private void send() {
            int size = commands.stream().mapToInt(c -> c.length).sum();
            ByteBuffer out = ByteBuffer.allocate(size);
            commands.forEach(out::put);
            out.flip();
            write(out);
        }

        private void write(ByteBuffer out) {
            channel.write(out, null, handler(n -> {
                if (out.hasRemaining()) {
                    write(out);
                } else {
                    read();
                }
            }, this::failed));
        }

        private void read() {
            if (!in.hasRemaining()) {
                answer.complete(CheckResult.critical(step + " " + address + ": reply too long"));
                return;
            }
            channel.read(in, null, handler(n -> {
                if (n < 0) {
                    answer.complete(CheckResult.critical(step + " " + address + ": connection closed by the server"));
                } else if (!judge()) {
                    read();
                }
            }, this::failed));
        }

        /** Judges the reply lines read so far; false when more are needed. */
        private boolean judge() {
            List<String> lines = lines();
            int next = 0;
            if (auth) {
                if (lines.isEmpty()) {
                    return false;
                }
                String reply = lines.get(next++);
                if (!reply.equals("+OK")) {
                    answer.complete(CheckResult.critical(step + " " + address + ": " + describe(reply)));
                    return true;
                }
                step = "Redis PING";
            }
            if (lines.size() <= next) {
                return false;
            }
            String reply = lines.get(next);
            answer.complete(reply.equals("+PONG")
                    ? CheckResult.passing(step + " " + address + ": PONG")
                    : CheckResult.critical(step + " " + address + ": " + describe(reply)));
            return true;
        }

        /** Complete CRLF-terminated lines in the input buffer. */
        private List<String> lines() {
            String text = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            int start = 0;
            for (int end = text.indexOf("\r\n"); end >= 0; end = text.indexOf("\r\n", start)) {
                lines.add(text.substring(start, end));
                start = end + 2;
            }
            return lines;
        }

        /** A RESP error ({@code -ERR ...}) is shown without its marker; anything else as received. */
        private static String describe(String reply) {
            if (reply.startsWith("-")) {
                return reply.substring(1);
            }
            return "unexpected reply " + (reply.length() > 200 ? reply.substring(0, 200) + "..." : reply);
        }

        private void failed(Throwable e) {
            answer.complete(CheckResult.critical(step + " " + address + ": " + lowerFirst(e.getMessage())));
        }

        void close() {
            AsynchronousSocketChannel ch = channel;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
        }

        private static String lowerFirst(String m) {
            if (m == null || m.isEmpty()) {
                return "connection failed";
            }
            return m.length() > 1 && Character.isUpperCase(m.charAt(1)) ? m : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
        }

        private static <V> CompletionHandler<V, Void> handler(java.util.function.Consumer<V> ok,
                                                              java.util.function.Consumer<Throwable> fail) {
            return new CompletionHandler<>() {
                @Override
                public void completed(V result, Void attachment) {
                    ok.accept(result);
                }

                @Override
                public void failed(Throwable e, Void attachment) {
                    fail.accept(e);
                }
            };
        }
    }
}
