package io.conclave.check.script.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.Health;
import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptCheckTypeTest {

    private final ScriptCheckType type = new ScriptCheckType();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        type.deactivate();
    }

    private static CheckSpec spec(Map<String, Object> params, Duration timeout, int outputMaxSize) {
        return new CheckSpec("c1", "script", Duration.ofSeconds(10), timeout, params, outputMaxSize);
    }

    private static CheckSpec sh(String script) {
        return spec(Map.of("args", List.of("/bin/sh", "-c", script)), Duration.ZERO, 0);
    }

    private CheckResult run(CheckSpec spec) throws Exception {
        return type.run(spec).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void exitZeroIsPassingOneIsWarningOtherIsCritical() throws Exception {
        assertEquals(CheckResult.passing("ok\n"), run(sh("echo ok; exit 0")));
        assertEquals(CheckResult.warning("meh\n"), run(sh("echo meh; exit 1")));
        assertEquals(CheckResult.critical("bad\n"), run(sh("echo bad; exit 2")));
        assertEquals(Health.CRITICAL, run(sh("exit 127")).status());
    }

    @Test
    void stdoutAndStderrAreMergedIntoTheOutput() throws Exception {
        CheckResult r = run(sh("echo out; echo err >&2"));
        assertEquals(Health.PASSING, r.status());
        assertTrue(r.output().contains("out\n") && r.output().contains("err\n"), r.output());
    }

    @Test
    void legacyScriptRunsThroughTheShell() throws Exception {
        CheckResult r = run(spec(Map.of("script", "echo legacy && exit 1"), Duration.ZERO, 0));
        assertEquals(CheckResult.warning("legacy\n"), r);
    }

    @Test
    void argsArePassedVerbatimWithoutAShell() throws Exception {
        CheckResult r = run(spec(Map.of("args", List.of("/bin/echo", "$HOME", "a b")), Duration.ZERO, 0));
        assertEquals(CheckResult.passing("$HOME a b\n"), r);
    }

    @Test
    void shellIsTakenFromTheEnvironmentAsConsulDoes() {
        assertEquals("/bin/sh", ScriptCheckType.shell(Map.of()));
        assertEquals("/bin/sh", ScriptCheckType.shell(Map.of("SHELL", "")));
        assertEquals("/bin/bash", ScriptCheckType.shell(Map.of("SHELL", "/bin/bash")));
    }

    @Test
    void outputIsCappedToItsTailWithConsulsCapturedPrefix() throws Exception {
        // 10 * 1000 digits, then END: 10003 bytes
        String script = "i=0; while [ $i -lt 1000 ]; do printf 0123456789; i=$((i+1)); done; printf END";
        CheckResult r = run(spec(Map.of("args", List.of("/bin/sh", "-c", script)), Duration.ZERO, 100));
        // the prefix takes 31 of the 100 bytes, the tail the other 69
        String tail = "0123456789".repeat(10).substring(34) + "END";
        assertEquals("Captured 69 of 10003 bytes\n...\n" + tail, r.output());
        assertEquals(100, r.output().length());
        assertEquals(Health.PASSING, r.status());
    }

    @Test
    void aChattyScriptIsDrainedAndDoesNotBlock() throws Exception {
        CheckResult r = run(sh("head -c 5000000 /dev/zero | tr '\\000' x; exit 1"));
        assertEquals(Health.WARNING, r.status());
        String prefix = "Captured 4061 of 5000000 bytes\n...\n";
        assertEquals(prefix + "x".repeat(4096 - prefix.length()), r.output());
    }

    @Test
    void stdinIsAtEndOfFile() throws Exception {
        CheckResult r = run(spec(Map.of("args", List.of("cat")), Duration.ofSeconds(5), 0));
        assertEquals(CheckResult.passing(""), r);
    }

    @Test
    void aMissingProgramIsCriticalWithTheReason() throws Exception {
        CheckResult r = run(spec(Map.of("args", List.of("/nonexistent/check")), Duration.ZERO, 0));
        assertEquals(Health.CRITICAL, r.status());
        assertTrue(r.output().contains("/nonexistent/check"), r.output());
    }

    @Test
    void timeoutKillsTheProcessTreeAndSaysSoWithTheOutputSoFar() throws Exception {
        Path pids = dir.resolve("pids");
        CheckSpec spec = spec(Map.of("args", List.of("/bin/sh", "-c",
                "echo started; echo $$ > " + pids + "; sleep 300 & echo $! >> " + pids + "; wait")),
                Duration.ofMillis(1500), 0);
        CheckResult r = run(spec);
        assertEquals(CheckResult.critical("Timed out (1.5s) running check\n\nstarted\n"), r);
        for (long pid : readPids(pids)) {
            awaitTrue(() -> gone(pid), "process " + pid + " still alive after the timeout");
        }
    }

    @Test
    void theTimeoutMessageAndOutputKeepWithinOutputMaxSize() throws Exception {
        CheckSpec spec = spec(Map.of("args", List.of("/bin/sh", "-c", "printf '%0200d' 0 | tr 0 x; exec sleep 300")),
                Duration.ofSeconds(1), 64);
        CheckResult r = run(spec);
        assertEquals("critical", r.status());
        assertTrue(r.output().startsWith("Timed out (1s) running check\n\n"), r.output());
        assertTrue(r.output().endsWith("xxxx"), r.output());
        assertTrue(r.output().length() <= 64, r.output());
    }

    @Test
    void cancellingTheRunKillsTheProcessAndItsChildren() throws Exception {
        Path pids = dir.resolve("pids");
        CompletableFuture<CheckResult> run = type.run(sh(
                "echo $$ > " + pids + ".tmp; sleep 300 & echo $! >> " + pids + ".tmp; mv " + pids + ".tmp " + pids + "; wait"))
                .toCompletableFuture();
        awaitTrue(() -> Files.exists(pids), "script did not start");
        List<Long> started = readPids(pids);
        assertEquals(2, started.size());
        for (long pid : started) {
            assertFalse(gone(pid), "process " + pid + " should be running");
        }
        assertTrue(run.cancel(true));
        for (long pid : started) {
            awaitTrue(() -> gone(pid), "process " + pid + " still alive after cancel");
        }
    }

    @Test
    void deactivatingKillsRunsInFlight() throws Exception {
        Path pids = dir.resolve("pids");
        CompletableFuture<CheckResult> run = type.run(sh("echo $$ > " + pids + ".tmp; mv " + pids + ".tmp " + pids + "; sleep 300"))
                .toCompletableFuture();
        awaitTrue(() -> Files.exists(pids), "script did not start");
        long pid = readPids(pids).get(0);
        type.deactivate();
        assertTrue(run.isCancelled());
        awaitTrue(() -> gone(pid), "process " + pid + " still alive after deactivate");
    }

    @Test
    void validateNeedsArgsOrScriptAndAnInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> type.validate(spec(Map.of(), Duration.ZERO, 0)));
        assertTrue(e.getMessage().contains("args"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(Map.of("args", List.of()), Duration.ZERO, 0)));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(Map.of("args", "echo hi"), Duration.ZERO, 0)));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(Map.of("script", " "), Duration.ZERO, 0)));
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("args", java.util.Arrays.asList("echo", null));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(withNull, Duration.ZERO, 0)));

        type.validate(sh("true"));
        type.validate(spec(Map.of("script", "true"), Duration.ZERO, 0));
        CheckSpec noInterval = new CheckSpec("c1", "script", Duration.ZERO, Duration.ZERO, Map.of("args", List.of("true")), 0);
        assertEquals(ScriptCheckType.INTERVAL_REQUIRED,
                assertThrows(IllegalArgumentException.class, () -> type.validate(noInterval)).getMessage());
    }

    @Test
    void runWithoutACommandIsCriticalRatherThanThrowing() throws Exception {
        assertEquals(Health.CRITICAL, run(spec(Map.of(), Duration.ZERO, 0)).status());
    }

    private static List<Long> readPids(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }

    /** Gone, or a zombie waiting for a parent (the container's init may not reap re-parented children). */
    static boolean gone(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
            } catch (IOException e) {
                return true;
            }
        }
        return true;
    }

    static void awaitTrue(BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            Thread.sleep(20);
        }
    }
}
