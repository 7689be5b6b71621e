package io.conclave.gossip.internal.runtime;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One log line per interval for a condition a peer can trigger at packet rate (undecryptable or
 * malformed packets), with a count of what was suppressed, so hostile or misconfigured peers cannot
 * flood the log.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    void warn(String format, Object... args) {
        long now = System.nanoTime();
        long next = nextAt.get();
        if (next != Long.MIN_VALUE && now - next < 0) {
            suppressed.incrementAndGet();
            return;
        }
        if (!nextAt.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long n = suppressed.getAndSet(0);
        log.warn(n == 0 ? format : format + " (" + n + " similar suppressed)", args);
    }
}
