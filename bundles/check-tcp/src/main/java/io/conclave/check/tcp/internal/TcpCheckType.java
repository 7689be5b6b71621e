package io.conclave.check.tcp.internal;

import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import io.conclave.api.check.CheckType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Consul's TCP check ({@code CheckTCP} in {@code agent/checks/check.go}): connect to {@code tcp}
 * ({@code host:port}, {@code [::1]:80}) and close at once. Passing output is
 * {@code TCP connect <tcp>: Success}; a failure is critical with Go's dial error wording
 * ({@code dial tcp 127.0.0.1:9: connect: connection refused}, {@code ...: i/o timeout}). A name
 * resolving to several addresses is tried address by address within one {@code timeout} (default 10s),
 * reporting the first error, as Go's dialer does.
 *
 * <p>Connections use {@link AsynchronousSocketChannel}, so no thread waits on them; only a host name
 * needs a thread, because Java's resolver blocks (a few shared, idle-expiring threads).
 */
@Component(service = CheckType.class, property = CheckType.TYPE + "=" + TcpCheckType.TYPE)
@Capability(namespace = "osgi.service", uses = CheckType.class,
        attribute = {"objectClass:List<String>=io.conclave.api.check.CheckType", CheckType.TYPE + "=" + TcpCheckType.TYPE})
public final class TcpCheckType implements CheckType {

    static final String TYPE = "tcp";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String INTERVAL_REQUIRED = "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks";

    private final ThreadPoolExecutor resolver;
    private final Set<Dial> running = ConcurrentHashMap.newKeySet();

    @Activate
    public TcpCheckType() {
        AtomicInteger n = new AtomicInteger();
        resolver = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "conclave-check-tcp-resolver-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        resolver.allowCoreThreadTimeOut(true);
    }

    @Deactivate
    public void deactivate() {
        for (Dial d : List.copyOf(running)) {
            d.answer.cancel(true);
        }
        resolver.shutdownNow();
    }

    @Override
    public void validate(CheckSpec spec) {
        String tcp = spec.string("tcp", "");
        if (tcp.isEmpty()) {
            throw new IllegalArgumentException("a tcp check needs tcp, the address to connect to as host:port");
        }
        try {
            HostPort.parse(tcp);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tcp: " + e.getMessage(), e);
        }
        if (spec.interval().compareTo(Duration.ZERO) <= 0) {
            throw new IllegalArgumentException(INTERVAL_REQUIRED);
        }
    }

    @Override
    public CompletionStage<CheckResult> run(CheckSpec spec) {
        String address = spec.string("tcp", "");
        HostPort target;
        try {
            target = HostPort.parse(address);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CheckResult.critical("dial tcp: " + e.getMessage()));
        }
        Duration timeout = spec.timeout().compareTo(Duration.ZERO) > 0 ? spec.timeout() : DEFAULT_TIMEOUT;
        Dial dial = new Dial(address, target);
        running.add(dial);
        dial.answer.whenComplete((r, e) -> {
            running.remove(dial);
            dial.close();
        });
        onTimeout(dial.answer, timeout, dial::timedOut);
        resolve(target).whenComplete((addresses, err) -> {
            if (err != null) {
                dial.answer.complete(CheckResult.critical("dial tcp: lookup " + target.host() + ": no such host"));
            } else {
                dial.connect(addresses, 0);
            }
        });
        return dial.answer;
    }

    private CompletableFuture<List<InetAddress>> resolve(HostPort target) {
        if (target.host().isEmpty()) {
            return CompletableFuture.completedFuture(List.of(InetAddress.getLoopbackAddress()));
        }
        if (target.literal()) {
            try {
                return CompletableFuture.completedFuture(List.of(InetAddress.getByName(target.host())));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<List<InetAddress>> out = new CompletableFuture<>();
        try {
            resolver.execute(() -> {
                try {
                    out.complete(List.of(InetAddress.getAllByName(target.host())));
                } catch (UnknownHostException | RuntimeException e) {
                    out.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(e);
        }
        return out;
    }

    /** Runs {@code action} if {@code f} is still pending after {@code d}; the timer is dropped once {@code f} completes. */
    static void onTimeout(CompletableFuture<?> f, Duration d, Runnable action) {
        CompletableFuture<Void> timer = new CompletableFuture<>();
        timer.orTimeout(d.toNanos(), TimeUnit.NANOSECONDS).whenComplete((v, e) -> {
            if (e != null && !f.isDone()) {
                action.run();
            }
        });
        f.whenComplete((v, e) -> timer.complete(null));
    }

    /** One run: its addresses are tried in turn; the first error is the one reported. */
    static final class Dial implements CompletionHandler<Void, Integer> {
        final CompletableFuture<CheckResult> answer = new CompletableFuture<>();
        private final String address;
        private final HostPort target;
        private List<InetAddress> addresses = List.of();
        private volatile String dialing;
        private volatile AsynchronousSocketChannel channel;
        private String firstError;

        Dial(String address, HostPort target) {
            this.address = address;
            this.target = target;
            this.dialing = HostPort.join(target.host(), target.port());
        }

        void connect(List<InetAddress> addresses, int i) {
            this.addresses = addresses;
            if (answer.isDone()) {
                return;
            }
            InetSocketAddress to = new InetSocketAddress(addresses.get(i), target.port());
            dialing = HostPort.join(to.getAddress().getHostAddress(), target.port());
            AsynchronousSocketChannel ch;
            try {
                ch = AsynchronousSocketChannel.open();
            } catch (IOException e) {
                answer.complete(CheckResult.critical("dial tcp " + dialing + ": socket: " + goText(e)));
                return;
            }
            channel = ch;
            if (answer.isDone()) {
                close();
                return;
            }
            try {
                ch.connect(to, i, this);
            } catch (RuntimeException e) {
                failed(e, i);
            }
        }

        @Override
        public void completed(Void result, Integer i) {
            close();
            answer.complete(CheckResult.passing("TCP connect " + address + ": Success"));
        }

        @Override
        public void failed(Throwable e, Integer i) {
            close();
            if (firstError == null) {
                firstError = "dial tcp " + dialing + ": connect: " + goText(e);
            }
            if (i + 1 < addresses.size()) {
                connect(addresses, i + 1);
            } else {
                answer.complete(CheckResult.critical(firstError));
            }
        }

        void timedOut() {
            answer.complete(CheckResult.critical("dial tcp " + dialing + ": i/o timeout"));
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
    }

    /** Java's "Connection refused" as Go's "connection refused". */
    static String goText(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        return m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
    }
}
