package io.conclave.check.script.internal;

import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import io.conclave.api.check.CheckType;
import io.conclave.api.time.GoDuration;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consul's script check ({@code CheckMonitor} in {@code agent/checks/check.go}): runs {@code args}
 * (or the legacy {@code script} string through {@code $SHELL -c}, {@code /bin/sh} when unset), with
 * stdout and stderr merged and stdin at end-of-file. Exit 0 is passing, 1 warning, anything else
 * critical. The output is the tail of what the script wrote, prefixed {@code Captured N of M bytes\n...\n}
 * when more was written, all within {@code outputMaxSize} bytes.
 *
 * <p>The run completes on {@link Process#onExit()}; no thread waits for the process. One thread per
 * running process drains its output pipe (Java has no non-blocking pipe read), so a chatty script
 * never blocks on a full pipe. After {@code timeout} (Consul's default 30s) the process and its
 * descendants are killed and the answer is Consul's {@code Timed out (30s) running check} followed by
 * the output so far. Cancelling the returned stage (the agent's own timeout) kills them as well.
 */
@Component(service = CheckType.class, property = CheckType.TYPE + "=" + ScriptCheckType.TYPE)
@Capability(namespace = "osgi.service", uses = CheckType.class,
        attribute = {"objectClass:List<String>=io.conclave.api.check.CheckType", CheckType.TYPE + "=" + ScriptCheckType.TYPE})
public final class ScriptCheckType implements CheckType {

    static final String TYPE = "script";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final String INTERVAL_REQUIRED = "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks";

    /** How long to wait for the end of the output after the process exited (a child may still hold the pipe). */
    static final long EOF_GRACE_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(ScriptCheckType.class);

    private final ExecutorService drains;
    private final Set<CompletableFuture<CheckResult>> running = ConcurrentHashMap.newKeySet();

    @Activate
    public ScriptCheckType() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "conclave-check-script-output-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.drains = Executors.newCachedThreadPool(threads);
    }

    /** Stopping the bundle cancels the runs in flight, which kills their processes. */
    @Deactivate
    public void deactivate() {
        for (CompletableFuture<CheckResult> run : List.copyOf(running)) {
            run.cancel(true);
        }
        drains.shutdownNow();
    }

    @Override
    public void validate(CheckSpec spec) {
        command(spec);
        if (spec.interval().compareTo(Duration.ZERO) <= 0) {
            throw new IllegalArgumentException(INTERVAL_REQUIRED);
        }
    }

    @Override
    public CompletionStage<CheckResult> run(CheckSpec spec) {
        List<String> command;
        try {
            command = command(spec);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CheckResult.critical(e.getMessage()));
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(CheckResult.critical(String.valueOf(e.getMessage())));
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the script reads end-of-file either way
        }

        CompletableFuture<CheckResult> answer = new CompletableFuture<>();
        TailBuffer output = new TailBuffer(spec.outputMaxSize());
        CompletableFuture<Void> drained = new CompletableFuture<>();
        try {
            drains.execute(() -> drain(process.getInputStream(), output, drained));
        } catch (RejectedExecutionException e) {
            killTree(process);
            return CompletableFuture.completedFuture(CheckResult.critical("script check type is stopping"));
        }

        Duration timeout = spec.timeout().compareTo(Duration.ZERO) > 0 ? spec.timeout() : DEFAULT_TIMEOUT;
        process.onExit()
                .thenCompose(p -> drained.completeOnTimeout(null, EOF_GRACE_MILLIS, TimeUnit.MILLISECONDS))
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((v, err) -> {
                    if (err == null) {
                        answer.complete(verdict(process.exitValue(), output.render()));
                    } else if (unwrap(err) instanceof TimeoutException) {
                        killTree(process);
                        answer.complete(CheckResult.critical(timedOut(timeout, output, spec.outputMaxSize())));
                    } else {
                        answer.complete(CheckResult.critical(String.valueOf(unwrap(err).getMessage())));
                    }
                });

        running.add(answer);
        answer.whenComplete((r, e) -> {
            running.remove(answer);
            if (answer.isCancelled()) {
                killTree(process);
            }
        });
        return answer;
    }

    static CheckResult verdict(int exitCode, String output) {
        return switch (exitCode) {
            case 0 -> CheckResult.passing(output);
            case 1 -> CheckResult.warning(output);
            default -> CheckResult.critical(output);
        };
    }

    /** Consul's words, then as much of the output as fits within {@code max} bytes. */
    static String timedOut(Duration timeout, TailBuffer output, int max) {
        String msg = "Timed out (" + GoDuration.format(timeout) + ") running check";
        String out = output.total() == 0 ? "" : output.render(max - msg.length() - 2);
        return out.isEmpty() ? msg : msg + "\n\n" + out;
    }

    /** {@code args} as given, else {@code $SHELL -c <script>} (Consul's {@code exec.Script}). */
    static List<String> command(CheckSpec spec) {
        Object args = spec.params().get("args");
        if (args != null && !(args instanceof List<?>)) {
            throw new IllegalArgumentException("args must be a list of strings, the command and its arguments");
        }
        List<String> list = new ArrayList<>();
        if (args != null) {
            for (Object a : (List<?>) args) {
                if (a == null) {
                    throw new IllegalArgumentException("args must not contain null");
                }
                list.add(a.toString());
            }
        }
        if (!list.isEmpty()) {
            if (list.get(0).isEmpty()) {
                throw new IllegalArgumentException("args: the command (first element) is empty");
            }
            return List.copyOf(list);
        }
        Object script = spec.params().get("script");
        if (script != null && !script.toString().isBlank()) {
            return List.of(shell(System.getenv()), "-c", script.toString());
        }
        throw new IllegalArgumentException("a script check needs args (the command and its arguments) or script");
    }

    static String shell(Map<String, String> env) {
        String shell = env.get("SHELL");
        return shell == null || shell.isEmpty() ? "/bin/sh" : shell;
    }

    private static void drain(InputStream in, TailBuffer output, CompletableFuture<Void> drained) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                output.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the stream is closed when the process is gone: keep what was read
        } finally {
            drained.complete(null);
        }
    }

    /**
     * Kills the process and every descendant, as Consul kills the process group. Descendants are listed
     * first, while the parent still holds them (a killed parent's children are re-parented out of reach).
     */
    static void killTree(Process process) {
        try {
            List<ProcessHandle> descendants = process.descendants().toList();
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } catch (RuntimeException e) {
            LOG.warn("could not kill script check process {}: {}", process.pid(), e.toString());
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
