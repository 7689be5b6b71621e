package io.conclave.examples.redis.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisCheckTypeTest {

    private final RedisCheckType type = new RedisCheckType();
    private FakeRedis redis;

    @AfterEach
    void stop() throws Exception {
        type.deactivate();
        if (redis != null) {
            redis.close();
        }
    }

    private static CheckSpec spec(Map<String, Object> params, Duration timeout) {
        return new CheckSpec("redis-ping", "redis", Duration.ofSeconds(10), timeout, params, 0);
    }

    private CheckResult run(Map<String, Object> params) throws Exception {
        return run(spec(params, Duration.ZERO));
    }

    private CheckResult run(CheckSpec spec) throws Exception {
        return type.run(spec).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private String start(FakeRedis.Mode mode, String password) throws Exception {
        redis = new FakeRedis(mode, password);
        return "127.0.0.1:" + redis.port();
    }

    @Test
    void pongIsPassing() throws Exception {
        String addr = start(FakeRedis.Mode.NORMAL, null);
        assertEquals(CheckResult.passing("Redis PING " + addr + ": PONG"), run(Map.of("redis", addr)));
        assertEquals(List.of("PING"), redis.commands.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void authenticatesFirstWhenGivenAPassword() throws Exception {
        String addr = start(FakeRedis.Mode.NORMAL, "s3cret");
        assertEquals(CheckResult.passing("Redis PING " + addr + ": PONG"), run(Map.of("redis", addr, "password", "s3cret")));
        assertEquals(List.of("AUTH", "s3cret"), redis.commands.poll(5, TimeUnit.SECONDS));
        assertEquals(List.of("PING"), redis.commands.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void sendsAnAclUserWithThePassword() throws Exception {
        String addr = start(FakeRedis.Mode.NORMAL, "s3cret");
        assertEquals("passing", run(Map.of("redis", addr, "username", "default", "password", "s3cret")).status());
        assertEquals(List.of("AUTH", "default", "s3cret"), redis.commands.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aWrongPasswordIsCriticalWithRedisWordsAndWithoutThePassword() throws Exception {
        String addr = start(FakeRedis.Mode.NORMAL, "s3cret");
        CheckResult r = run(Map.of("redis", addr, "password", "guess"));
        assertEquals(CheckResult.critical("Redis AUTH " + addr + ": WRONGPASS invalid username-password pair or user is disabled."), r);
        assertTrue(!r.output().contains("guess"));
    }

    @Test
    void aMissingPasswordIsCritical() throws Exception {
        String addr = start(FakeRedis.Mode.NORMAL, "s3cret");
        assertEquals(CheckResult.critical("Redis PING " + addr + ": NOAUTH Authentication required."), run(Map.of("redis", addr)));
    }

    @Test
    void anErrorReplyToPingIsCritical() throws Exception {
        String addr = start(FakeRedis.Mode.LOADING, null);
        assertEquals(CheckResult.critical("Redis PING " + addr + ": LOADING Redis is loading the dataset in memory"),
                run(Map.of("redis", addr)));
    }

    @Test
    void aServerThatHangsUpIsCritical() throws Exception {
        String addr = start(FakeRedis.Mode.HANG_UP, null);
        CheckResult r = run(Map.of("redis", addr));
        assertEquals("critical", r.status());
        assertTrue(r.output().startsWith("Redis PING " + addr + ": "), r.output());
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        String addr = start(FakeRedis.Mode.SILENT, null);
        assertEquals(CheckResult.critical("Redis PING " + addr + ": i/o timeout"), run(spec(Map.of("redis", addr), Duration.ofMillis(300))));
    }

    @Test
    void aClosedPortIsCritical() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(CheckResult.critical("dial tcp 127.0.0.1:" + port + ": connect: connection refused"),
                run(Map.of("redis", "127.0.0.1:" + port)));
    }

    @Test
    void cancellingARunClosesItsConnection() throws Exception {
        String addr = start(FakeRedis.Mode.SILENT, null);
        CompletableFuture<CheckResult> run = type.run(spec(Map.of("redis", addr), Duration.ofSeconds(30))).toCompletableFuture();
        assertEquals(List.of("PING"), redis.commands.poll(5, TimeUnit.SECONDS));
        assertTrue(run.cancel(true));
    }

    @Test
    void commandsAreRespArraysOfBulkStrings() {
        assertArrayEquals("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.UTF_8), RedisCheckType.Ping.resp("PING"));
        assertArrayEquals("*2\r\n$4\r\nAUTH\r\n$6\r\nsécret\r\n".replace("$6", "$7").getBytes(StandardCharsets.UTF_8),
                RedisCheckType.Ping.resp("AUTH", "sécret"));
    }

    @Test
    void addressesDefaultToPort6379() {
        assertEquals(new RedisCheckType.Address("cache.local", 6379), RedisCheckType.Address.parse("cache.local"));
        assertEquals(new RedisCheckType.Address("cache.local", 6380), RedisCheckType.Address.parse("cache.local:6380"));
        assertEquals(new RedisCheckType.Address("::1", 6379), RedisCheckType.Address.parse("[::1]"));
        assertEquals(new RedisCheckType.Address("::1", 7000), RedisCheckType.Address.parse("[::1]:7000"));
        assertEquals("[::1]:7000", RedisCheckType.Address.parse("[::1]:7000").toString());
    }

    @Test
    void validateNeedsAnAddressAndAnInterval() {
        type.validate(spec(Map.of("redis", "127.0.0.1:6379"), Duration.ZERO));
        type.validate(spec(Map.of("redis", "cache.local", "password", "x"), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(Map.of(), Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(Map.of("redis", "::1:6379"), Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(Map.of("redis", "host:99999"), Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(Map.of("redis", "host", "username", "u"), Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(Map.of("redis", "host", "tls", true), Duration.ZERO)));
        Map<String, Object> noInterval = new HashMap<>(Map.of("redis", "host"));
        assertThrows(IllegalArgumentException.class,
                () -> type.validate(new CheckSpec("c", "redis", Duration.ZERO, Duration.ZERO, noInterval, 0)));
    }
}
