package io.conclave.agent.internal;

import io.conclave.api.catalog.Health;
import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import io.conclave.api.check.CheckType;
import io.conclave.api.time.GoDuration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one check: schedules its type's {@code run} every interval (the first after a random stagger,
 * as Consul's runners do), times a run out, and applies Consul's flap damping
 * ({@code checks.StatusHandler}); or, for a TTL check, runs the type once the TTL has passed since the
 * last update.
 *
 * <p>The runner never owns the check's status: it hands results to {@link AgentState}. Losing its type
 * (a bundle update or uninstall) only pauses it: the last status stays, a run in flight is forgotten
 * rather than reported, and when a type for the name returns the runner resumes within one interval.
 *
 * <p>Every field is guarded by the {@link AgentState}'s monitor; a type's {@code run} is called
 * without it.
 */
final class CheckRunner {

    private static final Logger LOG = LoggerFactory.getLogger("agent");

    /** One call of the type's {@code run}: whichever of its result and its timeout comes first wins. */
    private static final class Run {
        boolean done;
        Scheduler.Cancellable timeout;
        volatile CompletionStage<CheckResult> stage;
    }

    /**
     * How long past its {@code timeout} the agent waits before it times a run out itself: a type that keeps
     * its own timeout (the script type answers with the output so far) gets to answer first.
     */
    static Duration timeoutGrace(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
    }

    private final AgentState state;
    private final Scheduler scheduler;
    final CheckDef def;
    private final CheckSpec spec;

    private CheckType type;
    private Scheduler.Cancellable timer;
    private long nextRunNanos = -1;
    private Run current;
    private int successes;
    private int failures;
    private boolean stopped;
    private boolean reported;
    /** The output of the last TTL update, which Consul repeats in the expiry's output. */
    private String lastTtlOutput = "";

    CheckRunner(AgentState state, Scheduler scheduler, CheckDef def) {
        this.state = state;
        this.scheduler = scheduler;
        this.def = def;
        this.spec = def.spec();
        // Consul starts the counters at their thresholds, so the first result counts at once.
        this.successes = def.successBeforePassing();
        this.failures = def.failuresBeforeCritical();
    }

    String checkId() {
        return def.id();
    }

    CheckSpec spec() {
        return spec;
    }

    boolean hasProvider() {
        return type != null;
    }

    /** When the next run (or TTL expiry) is due on the scheduler's clock, or -1 when none is scheduled. */
    long nextRunNanos() {
        return nextRunNanos;
    }

    void start(CheckType provider) {
        type = provider;
        if (def.ttlScheduled()) {
            arm(def.ttl());
        } else if (provider != null && validates()) {
            arm(scheduler.stagger(def.effectiveInterval()));
        }
    }

    void providerChanged(CheckType provider) {
        if (stopped || provider == type) {
            return;
        }
        type = provider;
        if (def.ttlScheduled()) {
            // The TTL clock keeps running: an expiry uses whichever provider is present then.
            return;
        }
        abandonRun();
        cancelTimer();
        if (provider != null && validates()) {
            arm(scheduler.stagger(def.effectiveInterval()));
        }
    }

    /** A TTL check was updated: forget any expiry in flight and start the TTL afresh. */
    void ttlUpdated(String output) {
        if (stopped) {
            return;
        }
        lastTtlOutput = output;
        abandonRun();
        cancelTimer();
        arm(def.ttl());
    }

    void stop() {
        stopped = true;
        abandonRun();
        cancelTimer();
    }

    private boolean validates() {
        try {
            type.validate(spec);
            return true;
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("Check definition is not valid for its type: check={} type={} error={}", def.id(), def.type(), message);
            state.runnerResultLocked(this, Health.CRITICAL, "Invalid check: " + message, false, false);
            return false;
        }
    }

    private void arm(Duration delay) {
        nextRunNanos = scheduler.nanoTime() + delay.toNanos();
        timer = scheduler.schedule(delay, this::fire);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        nextRunNanos = -1;
    }

    private void abandonRun() {
        if (current != null) {
            if (current.timeout != null) {
                current.timeout.cancel();
            }
            current = null;
        }
    }

    private void fire() {
        CheckType t;
        Run run;
        synchronized (state) {
            timer = null;
            nextRunNanos = -1;
            if (stopped || current != null) {
                return;
            }
            t = type;
            if (t == null) {
                if (def.ttlScheduled()) {
                    state.runnerResultLocked(this, Health.CRITICAL, AgentState.noProvider(def.type()), false, false);
                }
                return;
            }
            run = new Run();
            current = run;
            Duration timeout = def.effectiveTimeout();
            run.timeout = scheduler.schedule(timeout.plus(timeoutGrace(timeout)), () -> {
                if (complete(run, CheckResult.critical("Timed out (" + GoDuration.format(timeout) + ") running check"),
                        null)) {
                    cancel(run.stage);
                }
            });
        }
        CompletionStage<CheckResult> stage;
        try {
            stage = t.run(spec);
        } catch (RuntimeException | LinkageError e) {
            stage = CompletableFuture.failedFuture(e);
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new IllegalStateException("the check type returned no result"));
        }
        run.stage = stage;
        stage.whenComplete((result, failure) -> complete(run, result, failure));
    }

    /** Asks a timed-out run's type to stop it (the script type kills the process); types may ignore it. */
    private static void cancel(CompletionStage<CheckResult> stage) {
        if (stage == null) {
            return;
        }
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (RuntimeException e) {
            // a stage that cannot be cancelled runs to its end; its result is ignored
        }
    }

    /** @return whether this completion decided the run */
    private boolean complete(Run run, CheckResult result, Throwable failure) {
        synchronized (state) {
            if (run.done) {
                return false;
            }
            run.done = true;
            if (run.timeout != null) {
                run.timeout.cancel();
            }
            if (run != current) {
                return false;
            }
            current = null;
            if (stopped) {
                return false;
            }
            CheckResult r = failure != null ? CheckResult.critical(message(failure))
                    : result != null ? result : CheckResult.critical("the check type returned no result");
            String output = truncate(r.output(), spec.outputMaxSize());
            if (def.ttlScheduled()) {
                LOG.warn("Check missed TTL, is now critical: check={}", def.id());
                if (!lastTtlOutput.isEmpty()) {
                    output = output + " (last output before timeout follows): " + lastTtlOutput;
                }
                state.runnerResultLocked(this, r.status(), output, false, false);
            } else {
                damp(r.status(), output);
                arm(def.effectiveInterval());
            }
            return true;
        }
    }

    /** Consul's {@code StatusHandler.updateCheck}: consecutive results before a status changes. */
    private void damp(String status, String output) {
        boolean first = !reported;
        reported = true;
        if (Health.PASSING.equals(status) || Health.WARNING.equals(status)) {
            successes = saturatedIncrement(successes);
            failures = 0;
            if (successes >= def.successBeforePassing()) {
                state.runnerResultLocked(this, status, output, true, first);
                return;
            }
            LOG.warn("Check passed but has not reached success threshold: check={} status={} success_count={} success_threshold={}",
                    def.id(), status, successes, def.successBeforePassing());
        } else {
            failures = saturatedIncrement(failures);
            successes = 0;
            if (failures >= def.failuresBeforeCritical()) {
                state.runnerResultLocked(this, Health.CRITICAL, output, true, first);
                return;
            }
            if (failures >= def.failuresBeforeWarning()) {
                state.runnerResultLocked(this, Health.WARNING, output, true, first);
                return;
            }
            LOG.warn("Check failed but has not reached warning/failure threshold: check={} status={} failure_count={} warning_threshold={} critical_threshold={}",
                    def.id(), status, failures, def.failuresBeforeWarning(), def.failuresBeforeCritical());
        }
    }

    private static int saturatedIncrement(int n) {
        return n == Integer.MAX_VALUE ? n : n + 1;
    }

    static String message(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null || t.getMessage().isBlank() ? t.toString() : t.getMessage();
    }

    /** At most {@code max} bytes of UTF-8, cut on a character boundary. */
    static String truncate(String s, int max) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return s;
        }
        int end = max;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
