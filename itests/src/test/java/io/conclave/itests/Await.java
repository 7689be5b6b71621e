package io.conclave.itests;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a bound, never a guessed sleep. */
final class Await {

    private Await() {
    }

    static void until(Duration bound, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + bound + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
