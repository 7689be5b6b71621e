package io.conclave.gossip.internal.swim;

/**
 * Lifeguard's local health score (memberlist {@code awareness.go}).
 *
 * <p>Why it exists: a node that is itself slow (GC pause, overloaded CPU, lossy NIC) misses acks
 * and would wrongly accuse healthy peers. Each missed probe (or missing nack) raises the score,
 * each successful probe lowers it, and having to refute an accusation about ourselves raises it.
 * The probe interval and probe deadline are multiplied by {@code score + 1}, so an unhealthy node
 * slows down and gives peers more time before suspecting them. The score stays in
 * {@code [0, max - 1]}.
 */
final class Awareness {
    private final int max;
    private int score;

    Awareness(int max) {
        this.max = max;
    }

    void applyDelta(int delta) {
        score = Math.max(0, Math.min(max - 1, score + delta));
    }

    int score() {
        return score;
    }

    long scale(long timeoutMillis) {
        return timeoutMillis * (score + 1);
    }
}
