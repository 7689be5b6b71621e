package io.conclave.gossip.internal.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * serf's snapshot ({@code serf/snapshot.go} 0.9.4; Consul's {@code data_dir/serf/local.snapshot} and
 * {@code remote.snapshot}). It exists so an agent that crashes and restarts finds its cluster again
 * without a {@code -join}, and does not replay user events it already delivered: the pool appends the
 * members it saw come and go and its three Lamport clocks, and at start reads them back to rejoin the
 * members that were alive and to restore the clocks.
 *
 * <p>The file is serf's, line for line, so a data_dir moved between Consul and Conclave keeps working:
 * <pre>
 * alive: NAME IP:PORT      a member joined (IPv6 as [IP]:PORT)
 * not-alive: NAME          a member left or failed
 * clock: N                 membership clock, the last time seen (clock - 1)
 * event-clock: N           LTime of the latest user event delivered
 * query-clock: N           LTime of the latest query processed
 * leave                    this agent left gracefully: forget the members (unless rejoin_after_leave)
 * # ...                    comment; "coordinate: ..." lines of old serf versions are skipped too
 * </pre>
 * Replay applies the lines in order; an unknown or malformed line is logged and skipped, and a last
 * line without its newline (a write cut short by a crash) is ignored and cut off before appending.
 *
 * <p>Durability: lines go through a buffered writer on a dedicated thread (never the gossip loop, so
 * a slow disk cannot delay probes); whenever something was appended, at most {@value #FLUSH_INTERVAL_MILLIS}
 * ms later it is written out and fsync'd, so a kill -9 (or a power loss) loses at most that window.
 * A leave is written and fsync'd at once; closing drains, flushes and fsyncs. When the file grows past
 * serf's bound (twice 128 bytes per live member, at least {@value #SNAPSHOT_SIZE_LIMIT} bytes) it is
 * compacted: the live state is written to {@code PATH.compact}, fsync'd, renamed over the snapshot and
 * the directory fsync'd, so a crash at any point leaves either the old file or the new one.
 *
 * <p>Threading: {@link #alive}, {@link #notAlive}, {@link #clock}, {@link #userEvent}, {@link #query}
 * and {@link #leave} are called on the pool's loop thread and only queue (bounded, dropping with a
 * warning when full, like serf's non-blocking channel); {@link #close} may be called from any thread.
 */
public final class Snapshotter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    /** serf flushInterval: how long an appended line may stay in the buffer. */
    static final long FLUSH_INTERVAL_MILLIS = 500;
    /** serf clockUpdateInterval: how often an advancing membership clock is recorded. */
    static final long CLOCK_UPDATE_INTERVAL_MILLIS = 500;
    /** serf snapshotSizeLimit (serf.go): the least size past which the file is compacted. */
    public static final int SNAPSHOT_SIZE_LIMIT = 128 * 1024;
    private static final int BYTES_PER_NODE = 128;
    private static final int COMPACTION_THRESHOLD = 2;
    private static final String TMP_EXT = ".compact";
    private static final long ERROR_RECOVERY_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int QUEUE_DEPTH = 2048;
    /** Longer lines cannot be serf's (node names are short); they are skipped on read. */
    static final int MAX_LINE_BYTES = 2048;
    /** A compacted snapshot of a very large cluster is a few MB; more than this is not read. */
    static final long MAX_READ_BYTES = 16L << 20;
    /** Members remembered from one file, at most. */
    static final int MAX_NODES = 100_000;
    private static final long STOP_TIMEOUT_MILLIS = 2_000;

    /** A member alive when the snapshot was last written (serf's {@code PreviousNode}). */
    public record PreviousNode(String name, String addr) {
        @Override
        public String toString() {
            return name + ": " + addr;
        }
    }

    /**
     * What replaying a snapshot left: the members alive at its end (in file order) and the three
     * clocks. {@code readBytes} is where the last complete line ends; {@code truncated} says the
     * file was longer than {@link #MAX_READ_BYTES} and only its start was read.
     */
    public record Restored(Map<String, String> alive, long clock, long eventClock, long queryClock,
                           int skippedLines, long readBytes, boolean truncated) {
        public Restored {
            alive = Collections.unmodifiableMap(new LinkedHashMap<>(alive));
        }

        /** serf {@code AliveNodes}: the previously alive members, shuffled so restarts spread their joins. */
        public List<PreviousNode> previousNodes(RandomGenerator random) {
            List<PreviousNode> out = new ArrayList<>();
            alive.forEach((n, a) -> out.add(new PreviousNode(n, a)));
            for (int i = out.size() - 1; i > 0; i--) {
                Collections.swap(out, i, random.nextInt(i + 1));
            }
            return out;
        }
    }

    private sealed interface Entry permits Alive, NotAlive, Clock, EventClock, QueryClock, Leave, Wake {
    }

    private record Alive(String name, String addr) implements Entry {
    }

    private record NotAlive(String name) implements Entry {
    }

    private record Clock(long lastSeen) implements Entry {
    }

    private record EventClock(long ltime) implements Entry {
    }

    private record QueryClock(long ltime) implements Entry {
    }

    private record Leave() implements Entry {
    }

    private record Wake() implements Entry {
    }

    private static final Leave LEAVE = new Leave();
    private static final Wake WAKE = new Wake();

    private final Path path;
    private final String label;
    private final boolean rejoinAfterLeave;
    private final long minCompactSize;
    private final Restored restored;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE_DEPTH);
    private final RateLimitedLog dropped = new RateLimitedLog(LOG, 10_000);
    private final RateLimitedLog writeFailures = new RateLimitedLog(LOG, 10_000);
    private final Thread writer;
    /** Set on the loop at a leave: nothing but the clock is queued afterwards. */
    private volatile boolean leaveRequested;
    /** The leave could not be queued (queue full): the writer records it as soon as it sees this. */
    private volatile boolean leaveOverflowed;
    private volatile boolean stopRequested;

    // Loop-thread side: what was queued already, so unchanged clocks are not queued again.
    private long queuedClock;
    private long queuedClockAtNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(CLOCK_UPDATE_INTERVAL_MILLIS);
    private long queuedEventClock;
    private long queuedQueryClock;

    // Writer-thread side.
    private final Map<String, String> aliveNodes;
    private long lastClock;
    private long lastEventClock;
    private long lastQueryClock;
    private boolean leaving;
    private FileChannel channel;
    private Writer out;
    private long offset;
    private boolean dirty;
    private long lastFlushNanos = System.nanoTime();
    private long lastRecoveryNanos = System.nanoTime() - ERROR_RECOVERY_INTERVAL_NANOS - 1;

    private Snapshotter(Path path, String label, boolean rejoinAfterLeave, long minCompactSize, Restored restored) {
        this.path = path;
        this.label = label;
        this.rejoinAfterLeave = rejoinAfterLeave;
        this.minCompactSize = minCompactSize;
        this.restored = restored;
        this.aliveNodes = new LinkedHashMap<>(restored.alive());
        this.lastClock = restored.clock();
        this.lastEventClock = restored.eventClock();
        this.lastQueryClock = restored.queryClock();
        this.queuedClock = restored.clock();
        this.queuedEventClock = restored.eventClock();
        this.queuedQueryClock = restored.queryClock();
        this.writer = new Thread(this::run, "gossip-" + label.toLowerCase(java.util.Locale.ROOT) + "-snapshot");
        this.writer.setDaemon(true);
    }

    /** Opens (creating it and its directory if needed) and replays the snapshot at {@code path}. */
    public static Snapshotter open(Path path, boolean rejoinAfterLeave, String label) throws IOException {
        return open(path, rejoinAfterLeave, SNAPSHOT_SIZE_LIMIT, label);
    }

    static Snapshotter open(Path path, boolean rejoinAfterLeave, long minCompactSize, String label)
            throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Restored restored;
        long size;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE)) {
            restored = replay(new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024), rejoinAfterLeave,
                    label);
            size = ch.size();
            if (!restored.truncated() && restored.readBytes() < size) {
                // A line cut short by a crash: drop it so the next line does not run into it.
                LOG.warn("serf ({}): ignoring a partial last line in snapshot {} ({} bytes)", label, path,
                        size - restored.readBytes());
                ch.truncate(restored.readBytes());
                ch.force(true);
                size = restored.readBytes();
            }
        }
        Snapshotter s = new Snapshotter(path, label, rejoinAfterLeave, minCompactSize, restored);
        if (restored.truncated()) {
            LOG.warn("serf ({}): snapshot {} is larger than {} bytes; only its start was read, rewriting it", label,
                    path, MAX_READ_BYTES);
            s.compact();
        } else {
            s.openForAppend();
            s.offset = size;
        }
        s.writer.start();
        return s;
    }

    /** What the file held when it was opened. */
    public Restored restored() {
        return restored;
    }

    public Path path() {
        return path;
    }

    // ---- reading -------------------------------------------------------------------------------------

    /** serf {@code replay}: applies each complete line in order; see the class comment for the format. */
    static Restored replay(InputStream in, boolean rejoinAfterLeave, String label) throws IOException {
        Map<String, String> alive = new LinkedHashMap<>();
        long clock = 0;
        long eventClock = 0;
        long queryClock = 0;
        int skipped = 0;
        long consumed = 0;
        long complete = 0;
        boolean truncated = false;
        boolean tooMany = false;
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        boolean overlong = false;
        while (true) {
            if (consumed >= MAX_READ_BYTES) {
                truncated = in.read() >= 0;
                break;
            }
            int b = in.read();
            if (b < 0) {
                break;
            }
            consumed++;
            if (b != '\n') {
                if (line.size() < MAX_LINE_BYTES) {
                    line.write(b);
                } else {
                    overlong = true;
                }
                continue;
            }
            complete = consumed;
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (overlong) {
                overlong = false;
                skipped++;
                LOG.warn("serf ({}): Skipping a snapshot line longer than {} bytes", label, MAX_LINE_BYTES);
                continue;
            }
            if (text.startsWith("alive: ")) {
                String info = text.substring("alive: ".length());
                int idx = info.lastIndexOf(' ');
                if (idx <= 0 || idx == info.length() - 1) {
                    LOG.warn("serf ({}): Failed to parse address: {}", label, text);
                    skipped++;
                    continue;
                }
                String name = info.substring(0, idx);
                if (!alive.containsKey(name) && alive.size() >= MAX_NODES) {
                    if (!tooMany) {
                        LOG.warn("serf ({}): snapshot names more than {} members; ignoring the rest", label,
                                MAX_NODES);
                        tooMany = true;
                    }
                    skipped++;
                    continue;
                }
                alive.put(name, info.substring(idx + 1));
            } else if (text.startsWith("not-alive: ")) {
                alive.remove(text.substring("not-alive: ".length()));
            } else if (text.startsWith("clock: ")) {
                Long t = parseTime(text, "clock: ", label);
                if (t == null) {
                    skipped++;
                } else {
                    clock = t;
                }
            } else if (text.startsWith("event-clock: ")) {
                Long t = parseTime(text, "event-clock: ", label);
                if (t == null) {
                    skipped++;
                } else {
                    eventClock = t;
                }
            } else if (text.startsWith("query-clock: ")) {
                Long t = parseTime(text, "query-clock: ", label);
                if (t == null) {
                    skipped++;
                } else {
                    queryClock = t;
                }
            } else if (text.startsWith("coordinate: ") || text.startsWith("#")) {
                // old serf versions persisted coordinates; serf re-converges instead
            } else if (text.equals("leave")) {
                if (rejoinAfterLeave) {
                    LOG.info("serf ({}): Ignoring previous leave in snapshot", label);
                    continue;
                }
                alive.clear();
                clock = 0;
                eventClock = 0;
                queryClock = 0;
            } else {
                LOG.warn("serf ({}): Unrecognized snapshot line: {}", label, printable(text));
                skipped++;
            }
        }
        return new Restored(alive, clock, eventClock, queryClock, skipped, complete, truncated);
    }

    private static Long parseTime(String line, String prefix, String label) {
        try {
            return Long.parseUnsignedLong(line.substring(prefix.length()));
        } catch (NumberFormatException e) {
            LOG.warn("serf ({}): Failed to convert {} time: {}", label, prefix.substring(0, prefix.length() - 2),
                    printable(line));
            return null;
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    // ---- recording (pool loop thread) --------------------------------------------------------------------

    /** serf records {@code alive: NAME ADDR} on a member-join event, this node's own included. */
    public void alive(String name, String hostAddress, int port) {
        if (leaveRequested || !representable(name) || hostAddress == null || hostAddress.isEmpty()) {
            return;
        }
        offer(new Alive(name, hostPort(hostAddress, port)));
    }

    /** serf records {@code not-alive: NAME} on a member-leave or member-failed event. */
    public void notAlive(String name) {
        if (leaveRequested || !representable(name)) {
            return;
        }
        offer(new NotAlive(name));
    }

    /**
     * The membership clock's current time: recorded (as the last time seen, {@code time - 1}) when it
     * advanced, at most every {@value #CLOCK_UPDATE_INTERVAL_MILLIS} ms unless {@code now} (serf records
     * it right after each member event).
     */
    public void clock(long time, boolean now) {
        long lastSeen = time - 1;
        if (time == 0 || Long.compareUnsigned(lastSeen, queuedClock) <= 0) {
            return;
        }
        long t = System.nanoTime();
        if (!now && t - queuedClockAtNanos < TimeUnit.MILLISECONDS.toNanos(CLOCK_UPDATE_INTERVAL_MILLIS)) {
            return;
        }
        if (offer(new Clock(lastSeen))) {
            queuedClock = lastSeen;
            queuedClockAtNanos = t;
        }
    }

    /** A user event was delivered at {@code ltime}. */
    public void userEvent(long ltime) {
        if (!leaveRequested && Long.compareUnsigned(ltime, queuedEventClock) > 0 && offer(new EventClock(ltime))) {
            queuedEventClock = ltime;
        }
    }

    /** A query was processed at {@code ltime}. */
    public void query(long ltime) {
        if (!leaveRequested && Long.compareUnsigned(ltime, queuedQueryClock) > 0 && offer(new QueryClock(ltime))) {
            queuedQueryClock = ltime;
        }
    }

    /**
     * serf {@code Snapshotter.Leave}: appends {@code leave} and fsyncs at once; member and event
     * records stop (clock records go on, as in serf). Unless rejoin_after_leave, the members are
     * forgotten, so the next start does not rejoin.
     */
    public void leave() {
        leaveRequested = true;
        if (!queue.offer(LEAVE)) {
            leaveOverflowed = true;
        }
    }

    /** Drains what is queued, records it, fsyncs and closes the file; waits a bounded time. */
    @Override
    public void close() {
        stopRequested = true;
        queue.offer(WAKE);
        if (Thread.currentThread() == writer) {
            return;
        }
        try {
            writer.join(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.error("serf ({}): the snapshot writer did not finish in {} ms; {} may miss its last updates", label,
                    STOP_TIMEOUT_MILLIS, path);
        }
    }

    private boolean offer(Entry e) {
        if (stopRequested) {
            return false;
        }
        if (queue.offer(e)) {
            return true;
        }
        dropped.warn("serf ({}): snapshot writer is behind; dropping an update to {}", label, path);
        return false;
    }

    private static boolean representable(String name) {
        return name != null && !name.isEmpty() && name.indexOf('\n') < 0 && name.indexOf('\r') < 0;
    }

    /** Go's {@code net.TCPAddr.String()}: IPv6 in brackets. */
    static String hostPort(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    // ---- writing (writer thread) -----------------------------------------------------------------------

    private void run() {
        try {
            while (true) {
                long waitMillis = FLUSH_INTERVAL_MILLIS;
                if (dirty) {
                    long since = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFlushNanos);
                    waitMillis = Math.max(1, FLUSH_INTERVAL_MILLIS - since);
                }
                Entry e;
                try {
                    e = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    stopRequested = true;
                    e = null;
                }
                if (e != null) {
                    apply(e);
                }
                if (leaveOverflowed && !leaving) {
                    recordLeave();
                }
                if (stopRequested) {
                    for (int i = 0; i < QUEUE_DEPTH && (e = queue.poll()) != null; i++) {
                        apply(e);
                    }
                    if (leaveOverflowed && !leaving) {
                        recordLeave();
                    }
                    flushAndSync();
                    return;
                }
                if (dirty && System.nanoTime() - lastFlushNanos >= TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MILLIS)) {
                    flushAndSync();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("serf ({}): snapshot writer failed", label, e);
        } finally {
            closeFile();
        }
    }

    private void apply(Entry e) {
        if (e instanceof Alive a) {
            if (!leaving) {
                if (aliveNodes.size() < MAX_NODES || aliveNodes.containsKey(a.name())) {
                    aliveNodes.put(a.name(), a.addr());
                }
                append("alive: " + a.name() + " " + a.addr());
            }
        } else if (e instanceof NotAlive n) {
            if (!leaving) {
                aliveNodes.remove(n.name());
                append("not-alive: " + n.name());
            }
        } else if (e instanceof Clock c) {
            // As in serf, the clock is recorded after a leave too.
            if (Long.compareUnsigned(c.lastSeen(), lastClock) > 0) {
                lastClock = c.lastSeen();
                append("clock: " + Long.toUnsignedString(lastClock));
            }
        } else if (e instanceof EventClock ec) {
            if (!leaving && Long.compareUnsigned(ec.ltime(), lastEventClock) > 0) {
                lastEventClock = ec.ltime();
                append("event-clock: " + Long.toUnsignedString(lastEventClock));
            }
        } else if (e instanceof QueryClock qc) {
            if (!leaving && Long.compareUnsigned(qc.ltime(), lastQueryClock) > 0) {
                lastQueryClock = qc.ltime();
                append("query-clock: " + Long.toUnsignedString(lastQueryClock));
            }
        } else if (e instanceof Leave && !leaving) {
            recordLeave();
        }
    }

    private void recordLeave() {
        leaving = true;
        if (!rejoinAfterLeave) {
            aliveNodes.clear();
        }
        append("leave");
        flushAndSync();
    }

    /** serf {@code tryAppend}: a failure is logged, and a compaction is tried at most every 30 s to recover. */
    private void append(String line) {
        try {
            if (out == null) {
                throw new IOException("snapshot " + path + " is not open");
            }
            out.write(line);
            out.write('\n');
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
            dirty = true;
            if (offset > maxSize()) {
                compact();
            }
        } catch (IOException e) {
            LOG.error("serf ({}): Failed to update snapshot: {}", label, e.getMessage());
            long now = System.nanoTime();
            if (now - lastRecoveryNanos > ERROR_RECOVERY_INTERVAL_NANOS) {
                lastRecoveryNanos = now;
                LOG.info("serf ({}): Attempting compaction to recover from error...", label);
                try {
                    compact();
                    LOG.info("serf ({}): Finished compaction, successfully recovered from error state", label);
                } catch (IOException again) {
                    LOG.error("serf ({}): Compaction failed, will reattempt after 30s: {}", label, again.getMessage());
                }
            }
        }
    }

    /** serf {@code snapshotMaxSize}: 2 × 128 bytes per live member, at least the minimum. */
    long maxSize() {
        long threshold = (long) aliveNodes.size() * BYTES_PER_NODE * COMPACTION_THRESHOLD;
        return Math.max(threshold, minCompactSize);
    }

    private void flushAndSync() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
            channel.force(false);
            dirty = false;
            lastFlushNanos = System.nanoTime();
        } catch (IOException e) {
            // Kept dirty: the next round tries again.
            lastFlushNanos = System.nanoTime();
            writeFailures.warn("serf ({}): failed to flush snapshot {}: {}", label, path, e.getMessage());
        }
    }

    /**
     * serf {@code compact}: the live state into {@code PATH.compact}, fsync'd, renamed over the snapshot,
     * the directory fsync'd; then appending resumes on the new file.
     */
    void compact() throws IOException {
        StringBuilder sb = new StringBuilder();
        aliveNodes.forEach((n, a) -> sb.append("alive: ").append(n).append(' ').append(a).append('\n'));
        if (leaving) {
            // After the members (so they are forgotten on replay) and before the clocks (so those are kept).
            sb.append("leave\n");
        }
        sb.append("clock: ").append(Long.toUnsignedString(lastClock)).append('\n');
        sb.append("event-clock: ").append(Long.toUnsignedString(lastEventClock)).append('\n');
        sb.append("query-clock: ").append(Long.toUnsignedString(lastQueryClock)).append('\n');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        Path tmp = path.resolveSibling(path.getFileName() + TMP_EXT);
        try (FileChannel t = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                t.write(buf);
            }
            t.force(true);
        } catch (IOException e) {
            throw new IOException("failed to write new snapshot " + tmp + ": " + e.getMessage(), e);
        }
        // What is still buffered for the old file is in the new one already.
        closeFile();
        try {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(path.toAbsolutePath().getParent());
        } finally {
            openForAppend();
        }
        offset = bytes.length;
        dirty = false;
        lastFlushNanos = System.nanoTime();
    }

    private void openForAppend() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                StandardOpenOption.CREATE);
        out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
                8192);
    }

    private void closeFile() {
        Writer w = out;
        FileChannel ch = channel;
        out = null;
        channel = null;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.debug("serf ({}): closing snapshot {}: {}", label, path, e.getMessage());
            }
        }
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("serf ({}): closing snapshot {}: {}", label, path, e.getMessage());
            }
        }
    }

    /** Makes a rename durable; not every platform can open a directory, which is fine there. */
    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.getMessage());
        }
    }
}
