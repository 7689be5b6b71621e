package io.conclave.check.ttl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TtlCheckTypeTest {

    private final TtlCheckType type = new TtlCheckType();

    private static CheckSpec spec(Object ttl) {
        return new CheckSpec("c1", "ttl", Duration.ZERO, Duration.ZERO, ttl == null ? Map.of() : Map.of("ttl", ttl), 0);
    }

    private static String rejection(TtlCheckType type, CheckSpec spec) {
        return assertThrows(IllegalArgumentException.class, () -> type.validate(spec)).getMessage();
    }

    @Test
    void anExpiredTtlIsCriticalWithConsulsOutput() throws Exception {
        CheckResult r = type.run(spec("15s")).toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertEquals(CheckResult.critical("TTL expired"), r);
    }

    @Test
    void acceptsGoDurations() {
        type.validate(spec("15s"));
        type.validate(spec("15.0s"));
        type.validate(spec("1m30s"));
        type.validate(spec("300000ms"));
        type.validate(spec(Duration.ofSeconds(5)));
    }

    @Test
    void rejectsAMissingZeroNegativeOrMalformedTtlInConsulsWords() {
        assertEquals("TTL must be > 0 for TTL checks", rejection(type, spec(null)));
        assertEquals("TTL must be > 0 for TTL checks", rejection(type, spec("")));
        assertEquals("TTL must be > 0 for TTL checks", rejection(type, spec("0")));
        assertEquals("TTL must be > 0 for TTL checks", rejection(type, spec("-5s")));
        assertEquals("ttl: time: missing unit in duration \"15\"", rejection(type, spec("15")));
        assertEquals("ttl: time: unknown unit \"d\" in duration \"1d\"", rejection(type, spec("1d")));
        rejection(type, spec(15));
    }

    @Test
    void rejectsAnIntervalBesideTheTtl() {
        CheckSpec both = new CheckSpec("c1", "ttl", Duration.ofSeconds(10), Duration.ZERO, Map.of("ttl", "30s"), 0);
        assertEquals("Interval and TTL cannot both be specified", rejection(type, both));
    }
}
