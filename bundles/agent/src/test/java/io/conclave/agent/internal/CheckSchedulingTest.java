package io.conclave.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.Health;
import io.conclave.api.check.CheckResult;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class CheckSchedulingTest {

    private static TestAgent agentWith(String type, FakeType provider) {
        TestAgent a = new TestAgent(Map.of("check_update_interval", "0s"));
        a.state.setProvider(type, provider);
        return a;
    }

    @Test
    void firstRunAfterTheStaggerThenEveryInterval() {
        FakeType http = FakeType.answering(Health.PASSING, "HTTP GET http://x: 200 OK");
        TestAgent a = agentWith("http", http);
        a.clock.stagger = bound -> Duration.ofSeconds(3);
        a.registerService("{\"name\": \"web\", \"check\": {\"http\": \"http://x\", \"interval\": \"10s\"}}");
        assertEquals(Health.CRITICAL, a.status("service:web"), "new checks start critical");

        a.advance(Duration.ofMillis(2999));
        assertEquals(0, http.runs());
        a.advance(Duration.ofMillis(1));
        assertEquals(1, http.runs());
        assertEquals(Health.PASSING, a.status("service:web"));
        assertEquals("HTTP GET http://x: 200 OK", a.check("service:web").output());
        a.seconds(9);
        assertEquals(1, http.runs());
        a.seconds(1);
        assertEquals(2, http.runs());
        assertEquals(Duration.ofSeconds(10), http.specs.get(0).interval());
        assertEquals(Duration.ofSeconds(10), http.specs.get(0).timeout(), "Consul's default HTTP timeout");
        assertEquals("http://x", http.specs.get(0).string("http", ""));
    }

    @Test
    void aRunPastItsTimeoutIsCriticalAndItsLateResultIsIgnored() {
        FakeType http = new FakeType();
        TestAgent a = agentWith("http", http);
        a.registerService("{\"name\": \"web\", \"status\": \"passing\", \"check\": {\"http\": \"http://x\", \"interval\": \"10s\", \"timeout\": \"2s\", \"status\": \"passing\"}}");
        a.clock.runDue();
        assertEquals(1, http.runs());
        a.seconds(2);
        assertEquals(Health.PASSING, a.status("service:web"), "the type gets a grace to answer its own timeout");
        a.advance(Duration.ofMillis(500));
        assertEquals(Health.CRITICAL, a.status("service:web"));
        assertEquals("Timed out (2s) running check", a.check("service:web").output());
        assertTrue(http.pending.get(0).isCancelled(), "the type is asked to stop the run");
        http.pending.remove(0);
        a.advance(Duration.ofMillis(9999));
        assertEquals(1, http.runs(), "the next run is an interval after the timed-out one ended");
        a.advance(Duration.ofMillis(1));
        assertEquals(2, http.runs());
        http.complete(CheckResult.passing("fine again"));
        assertEquals(Health.PASSING, a.status("service:web"));
    }

    @Test
    void aFailedStageIsCriticalWithItsMessage() {
        FakeType tcp = new FakeType();
        TestAgent a = agentWith("tcp", tcp);
        a.registerCheck("{\"name\": \"db\", \"tcp\": \"localhost:5432\", \"interval\": \"5s\", \"status\": \"passing\"}");
        a.clock.runDue();
        tcp.pending.remove(0).completeExceptionally(new java.io.IOException("dial tcp 127.0.0.1:5432: connect: connection refused"));
        assertEquals(Health.CRITICAL, a.status("db"));
        assertEquals("dial tcp 127.0.0.1:5432: connect: connection refused", a.check("db").output());
    }

    @Test
    void flapDampingCountsConsecutiveResults() {
        FakeType tcp = new FakeType();
        TestAgent a = agentWith("tcp", tcp);
        a.registerCheck("""
                {"name": "db", "tcp": "localhost:5432", "interval": "1s", "success_before_passing": 2, "failures_before_critical": 3}
                """);
        a.clock.runDue();
        tcp.complete(CheckResult.passing("ok"));
        assertEquals(Health.PASSING, a.status("db"), "counters start at their thresholds: the first result counts");
        String[] expected = {Health.PASSING, Health.PASSING, Health.CRITICAL};
        for (String e : expected) {
            a.seconds(1);
            tcp.complete(CheckResult.critical("refused"));
            assertEquals(e, a.status("db"));
        }
        a.seconds(1);
        tcp.complete(CheckResult.passing("ok"));
        assertEquals(Health.CRITICAL, a.status("db"), "one success is not enough");
        a.seconds(1);
        tcp.complete(CheckResult.passing("ok"));
        assertEquals(Health.PASSING, a.status("db"));
    }

    @Test
    void failuresBeforeWarningGoesWarningFirst() {
        FakeType tcp = new FakeType();
        TestAgent a = agentWith("tcp", tcp);
        a.registerCheck("""
                {"name": "db", "tcp": "h:1", "interval": "1s", "status": "passing", "failures_before_warning": 1, "failures_before_critical": 3}
                """);
        a.clock.runDue();
        tcp.complete(CheckResult.passing("ok"));
        String[] expected = {Health.WARNING, Health.WARNING, Health.CRITICAL};
        for (String e : expected) {
            a.seconds(1);
            tcp.complete(CheckResult.critical("refused"));
            assertEquals(e, a.status("db"));
        }
    }

    @Test
    void ttlChecksStartCriticalAndExpireWithoutUpdates() {
        FakeType ttl = FakeType.answering(Health.CRITICAL, "TTL expired");
        TestAgent a = agentWith("ttl", ttl);
        a.registerService("{\"name\": \"web\", \"check\": {\"ttl\": \"10s\"}}");
        assertEquals(Health.CRITICAL, a.status("service:web"));
        a.state.updateTtl("service:web", Health.PASSING, "fine");
        assertEquals(Health.PASSING, a.status("service:web"));
        a.seconds(9);
        a.state.updateTtl("service:web", Health.PASSING, "still fine");
        a.seconds(9);
        assertEquals(Health.PASSING, a.status("service:web"), "each update restarts the TTL");
        assertEquals(0, ttl.runs());
        a.seconds(1);
        assertEquals(1, ttl.runs());
        assertEquals(Health.CRITICAL, a.status("service:web"));
        assertEquals("TTL expired (last output before timeout follows): still fine", a.check("service:web").output());
        a.seconds(60);
        assertEquals(1, ttl.runs(), "an expired TTL stays expired until the next update");
        a.state.updateTtl("service:web", Health.PASSING, "");
        a.seconds(10);
        assertEquals("TTL expired", a.check("service:web").output(), "no last output, nothing appended");
        a.state.updateTtl("service:web", Health.WARNING, "");
        assertEquals(Health.WARNING, a.status("service:web"));
    }

    @Test
    void ttlUpdatesAreCheckedLikeConsuls() {
        TestAgent a = agentWith("ttl", FakeType.answering(Health.CRITICAL, "TTL expired"));
        a.state.setProvider("tcp", new FakeType());
        a.registerCheck("{\"name\": \"beat\", \"ttl\": \"30s\", \"output_max_size\": 10}");
        a.registerCheck("{\"name\": \"port\", \"tcp\": \"h:1\", \"interval\": \"10s\"}");
        assertEquals("Unknown check ID \"nope\". Ensure that the check ID is passed, not the check name.",
                assertThrows(NoSuchElementException.class, () -> a.state.updateTtl("nope", Health.PASSING, "")).getMessage());
        assertEquals("CheckID \"port\" does not have associated TTL",
                assertThrows(IllegalStateException.class, () -> a.state.updateTtl("port", Health.PASSING, "")).getMessage());
        assertEquals("Invalid check status: 'ok'",
                assertThrows(IllegalArgumentException.class, () -> a.state.updateTtl("beat", "ok", "")).getMessage());
        a.state.updateTtl("beat", Health.PASSING, "0123456789abcdef");
        assertEquals("0123456789 ... (captured 10 of 16 bytes)", a.check("beat").output());
    }

    @Test
    void aTtlWithoutItsTypeStillTakesUpdatesAndExpiresCritical() {
        TestAgent a = new TestAgent(Map.of("check_update_interval", "0s"));
        a.registerCheck("{\"name\": \"beat\", \"ttl\": \"30s\"}");
        a.state.updateTtl("beat", Health.PASSING, "ok");
        a.seconds(31);
        assertEquals(Health.CRITICAL, a.status("beat"));
        assertEquals(AgentState.noProvider("ttl"), a.check("beat").output());
    }

    @Test
    void aCheckWithoutAProviderIsCriticalUntilOneAppears() {
        TestAgent a = new TestAgent(Map.of("check_update_interval", "0s"));
        a.registerService("{\"name\": \"cache\", \"check\": {\"type\": \"redis\", \"interval\": \"10s\", \"status\": \"passing\"}}");
        assertEquals(Health.CRITICAL, a.status("service:cache"));
        assertEquals("No check provider for type \"redis\": install a bundle that provides it", a.check("service:cache").output());
        a.seconds(60);

        FakeType redis = FakeType.answering(Health.PASSING, "PONG");
        a.clock.stagger = bound -> bound.minusSeconds(1);
        a.state.setProvider("redis", redis);
        assertEquals("", a.check("service:cache").output(), "no longer waiting for a provider");
        assertEquals(Health.CRITICAL, a.status("service:cache"));
        a.seconds(9);
        assertEquals(1, redis.runs(), "runs within one interval of the provider's arrival");
        assertEquals(Health.PASSING, a.status("service:cache"));
        assertEquals(java.util.List.of("redis"), a.state.checkTypes());
    }

    @Test
    void aProviderLeavingAndReturningKeepsTheStatusWithoutAFlap() {
        FakeType before = new FakeType();
        TestAgent a = agentWith("http", before);
        a.registerService("{\"name\": \"web\", \"check\": {\"http\": \"http://x\", \"interval\": \"10s\"}}");
        a.clock.runDue();
        before.complete(CheckResult.passing("200 OK"));
        assertEquals(Health.PASSING, a.status("service:web"));
        a.seconds(10);
        assertEquals(2, before.runs());

        a.state.setProvider("http", null);
        // the departing bundle fails its run in flight: that must not count
        before.pending.remove(0).completeExceptionally(new IllegalStateException("bundle stopping"));
        a.seconds(120);
        assertEquals(Health.PASSING, a.status("service:web"));
        assertEquals("200 OK", a.check("service:web").output());
        assertEquals(2, before.runs(), "no runs while the type is away");
        assertEquals(-1, a.state.nextRunNanos("service:web"));

        FakeType after = FakeType.answering(Health.PASSING, "200 OK");
        a.clock.stagger = bound -> bound.minusNanos(1);
        a.state.setProvider("http", after);
        a.seconds(10);
        assertEquals(1, after.runs(), "resumes within one interval");
        assertEquals(Health.PASSING, a.status("service:web"));
    }

    @Test
    void scriptChecksNeedTheirSwitches() {
        TestAgent off = new TestAgent();
        assertEquals("Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true",
                assertThrows(IllegalStateException.class, () -> off.registerService(
                        "{\"name\": \"baidu\", \"check\": {\"args\": [\"ping\", \"-c1\", \"baidu.com\"], \"interval\": \"30s\"}}")).getMessage());
        assertTrue(off.state.services().isEmpty(), "a refused registration leaves nothing behind");

        TestAgent local = new TestAgent(Map.of("enable_local_script_checks", true));
        assertThrows(IllegalStateException.class, () -> local.registerCheck(
                "{\"name\": \"a\", \"args\": [\"true\"], \"interval\": \"30s\"}"));
        local.definitions("{\"checks\": [{\"name\": \"a\", \"args\": [\"true\"], \"interval\": \"30s\"}]}");
        assertEquals("script", local.check("a").type());

        TestAgent on = new TestAgent(Map.of("enable_script_checks", true));
        on.registerCheck("{\"name\": \"a\", \"args\": [\"true\"], \"interval\": \"30s\"}");
        assertEquals("script", on.check("a").type());
    }

    @Test
    void aTypeRefusingTheDefinitionIsA400OrACriticalCheck() {
        FakeType http = FakeType.answering(Health.PASSING, "");
        http.invalid = "http: must be an absolute URL";
        TestAgent a = agentWith("http", http);
        assertEquals("Invalid check: http: must be an absolute URL",
                assertThrows(IllegalArgumentException.class, () -> a.registerCheck(
                        "{\"name\": \"h\", \"http\": \"x\", \"interval\": \"5s\"}")).getMessage());

        TestAgent later = new TestAgent(Map.of("check_update_interval", "0s"));
        later.registerCheck("{\"name\": \"h\", \"http\": \"x\", \"interval\": \"5s\"}");
        later.state.setProvider("http", http);
        assertEquals(Health.CRITICAL, later.status("h"));
        assertEquals("Invalid check: http: must be an absolute URL", later.check("h").output());
        later.seconds(60);
        assertEquals(0, http.runs());
    }

    @Test
    void reRegisteringAnUnchangedCheckKeepsItsScheduleAndAChangedOneItsStatus() {
        FakeType http = FakeType.answering(Health.PASSING, "ok");
        TestAgent a = agentWith("http", http);
        a.clock.stagger = bound -> Duration.ofSeconds(4);
        String def = "{\"name\": \"web\", \"tags\": [\"a\"], \"check\": {\"http\": \"http://x\", \"interval\": \"10s\"}}";
        a.registerService(def);
        a.seconds(4);
        assertEquals(Health.PASSING, a.status("service:web"));
        long next = a.state.nextRunNanos("service:web");
        a.seconds(3);
        a.registerService(def.replace("[\"a\"]", "[\"b\"]"));
        assertEquals(next, a.state.nextRunNanos("service:web"), "same check definition: same runner");
        assertEquals(java.util.List.of("b"), a.check("service:web").serviceTags());

        a.registerService(def.replace("10s", "20s"));
        assertEquals(Health.PASSING, a.status("service:web"), "a changed check keeps its status");
        assertTrue(a.state.nextRunNanos("service:web") != next);
    }

    @Test
    void replaceExistingChecksDropsChecksTheNewDefinitionDoesNotName() {
        TestAgent a = agentWith("ttl", FakeType.answering(Health.CRITICAL, "TTL expired"));
        a.registerService("{\"name\": \"web\", \"checks\": [{\"id\": \"a\", \"ttl\": \"10s\"}, {\"id\": \"b\", \"ttl\": \"10s\"}]}");
        a.state.setServiceMaintenance("web", true, "");
        a.state.registerService(TestAgent.json("{\"name\": \"web\", \"checks\": [{\"id\": \"a\", \"ttl\": \"10s\"}]}"), Source.REMOTE, false);
        assertTrue(a.state.checks().containsKey("b"), "without the flag, other checks stay");
        a.state.registerService(TestAgent.json("{\"name\": \"web\", \"checks\": [{\"id\": \"a\", \"ttl\": \"10s\"}]}"), Source.REMOTE, true);
        assertEquals(java.util.Set.of("a", "_service_maintenance:web"), a.state.checks().keySet());
    }

    @Test
    void twoThousandChecksAtOneSecondAreCheap() {
        FakeType tcp = FakeType.answering(Health.PASSING, "TCP connect h:1: Success");
        TestAgent a = agentWith("tcp", tcp);
        a.clock.stagger = bound -> Duration.ofNanos(Math.abs((long) bound.hashCode() % bound.toNanos()));
        for (int i = 0; i < 2000; i++) {
            a.registerCheck("{\"name\": \"c" + i + "\", \"tcp\": \"h:1\", \"interval\": \"1s\"}");
        }
        long start = System.nanoTime();
        a.seconds(30);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tcp.runs() >= 2000 * 29, "runs: " + tcp.runs());
        assertTrue(ms < 10_000, "60,000 check runs took " + ms + " ms");
        assertTrue(a.state.checks().values().stream().allMatch(c -> c.status().equals(Health.PASSING)));
    }
}
