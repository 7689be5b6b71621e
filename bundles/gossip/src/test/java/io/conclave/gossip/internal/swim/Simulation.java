package io.conclave.gossip.internal.swim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A deterministic network of {@link SwimNode}s: virtual clock, one event queue, seeded packet
 * loss, fixed per-link delays plus jitter, partitions, paused nodes and crashes. The same seed gives
 * the same run. Best-effort packets may be lost; reliable (stream) messages are not, but like
 * everything else they vanish across a partition or into a crashed node.
 *
 * <p>A paused node (a GC pause) processes nothing: its timers do not fire and what arrives is kept
 * in its socket buffer, to be read when it resumes. A crashed node is gone for good.
 */
final class Simulation {

    record Logged(String observer, MembershipEvent event) {
    }

    private record Event(long at, long seq, Runnable action) {
    }

    private static final class Host {
        final SwimNode node;
        boolean crashed;
        boolean paused;
        long scheduledTick = Long.MAX_VALUE;
        final List<Runnable> buffered = new ArrayList<>();

        Host(SwimNode node) {
            this.node = node;
        }
    }

    private final SwimConfig config;
    private final long seed;
    private final SplittableRandom net;
    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, Long> linkDelay = new HashMap<>();
    private final Map<String, Integer> side = new HashMap<>();
    private final List<Logged> log = new ArrayList<>();
    private long now;
    private long seq;
    private double loss;
    private long baseDelayMillis = 1;
    private long maxExtraDelayMillis = 4;
    private long messages;

    Simulation(SwimConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.net = new SplittableRandom(seed);
    }

    long now() {
        return now;
    }

    long messages() {
        return messages;
    }

    List<Logged> log() {
        return log;
    }

    Simulation packetLoss(double fraction) {
        this.loss = fraction;
        return this;
    }

    /** Each link gets a fixed delay in [base, base + extra] ms, plus up to 1 ms of jitter per packet. */
    Simulation delays(long baseMillis, long extraMillis) {
        this.baseDelayMillis = baseMillis;
        this.maxExtraDelayMillis = extraMillis;
        return this;
    }

    SwimNode add(String name) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + name.hashCode());
        Host h = new Host(new SwimNode(name, config, r, now));
        hosts.put(name, h);
        flush(h);
        return h.node;
    }

    SwimNode node(String name) {
        return hosts.get(name).node;
    }

    List<String> names() {
        return new ArrayList<>(hosts.keySet());
    }

    boolean isUp(String name) {
        Host h = hosts.get(name);
        return !h.crashed;
    }

    void join(String name, List<String> seeds) {
        Host h = hosts.get(name);
        h.node.join(seeds, now);
        flush(h);
    }

    void leave(String name) {
        Host h = hosts.get(name);
        h.node.leave(now);
        flush(h);
    }

    void crash(String name) {
        hosts.get(name).crashed = true;
    }

    void pause(String name) {
        hosts.get(name).paused = true;
    }

    void resume(String name) {
        Host h = hosts.get(name);
        h.paused = false;
        List<Runnable> pending = new ArrayList<>(h.buffered);
        h.buffered.clear();
        pending.forEach(Runnable::run);
        h.node.tick(now);
        flush(h);
    }

    /** Puts each listed group on its own side; nodes not listed stay on side 0. */
    @SafeVarargs
    final void partition(List<String>... groups) {
        side.clear();
        for (int i = 0; i < groups.length; i++) {
            for (String n : groups[i]) {
                side.put(n, i + 1);
            }
        }
    }

    void heal() {
        side.clear();
    }

    private boolean cut(String a, String b) {
        return !side.getOrDefault(a, 0).equals(side.getOrDefault(b, 0));
    }

    void at(long time, Runnable action) {
        queue.add(new Event(Math.max(time, now), seq++, action));
    }

    void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().at <= time) {
            Event e = queue.poll();
            now = e.at;
            e.action.run();
        }
        now = Math.max(now, time);
    }

    void runFor(long millis) {
        runUntil(now + millis);
    }

    /** Runs until the condition holds (checked every 50 virtual ms); false if the limit came first. */
    boolean runUntil(BooleanSupplier condition, long limitMillis) {
        long end = now + limitMillis;
        while (now < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            runUntil(Math.min(end, now + 50));
        }
        return condition.getAsBoolean();
    }

    private void flush(Host h) {
        for (MembershipEvent e : h.node.drainEvents()) {
            log.add(new Logged(h.node.name(), e));
        }
        for (Outgoing o : h.node.drainOutgoing()) {
            send(h.node.name(), o);
        }
        long d = Math.max(now, h.node.nextDeadlineMillis());
        if (d < h.scheduledTick) {
            h.scheduledTick = d;
            at(d, () -> fireTick(h, d));
        }
    }

    private void fireTick(Host h, long due) {
        if (h.scheduledTick != due) {
            return;
        }
        h.scheduledTick = Long.MAX_VALUE;
        if (h.crashed || h.paused) {
            return;
        }
        h.node.tick(now);
        flush(h);
    }

    private void send(String from, Outgoing o) {
        messages++;
        Host to = hosts.get(o.to());
        if (to == null || cut(from, o.to())) {
            return;
        }
        if (!o.reliable() && loss > 0 && net.nextDouble() < loss) {
            return;
        }
        long delay = linkDelay.computeIfAbsent(from + "->" + o.to(),
                k -> baseDelayMillis + (maxExtraDelayMillis > 0 ? net.nextLong(maxExtraDelayMillis + 1) : 0));
        delay += net.nextLong(2);
        at(now + delay, () -> deliver(from, to, o));
    }

    private void deliver(String from, Host to, Outgoing o) {
        if (to.crashed || cut(from, to.node.name())) {
            return;
        }
        Runnable r = () -> {
            if (o.reliable()) {
                to.node.receiveReliable(from, o.message(), now);
            } else {
                to.node.receive(from, o.message(), now);
            }
            flush(to);
        };
        if (to.paused) {
            to.buffered.add(r);
        } else {
            r.run();
        }
    }
}
