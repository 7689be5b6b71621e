package io.conclave.gossip.internal.runtime;

import java.util.function.BooleanSupplier;

/** Bounded polling: a condition, a deadline, a short sleep between checks. */
final class Await {
    private Await() {
    }

    static boolean until(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
