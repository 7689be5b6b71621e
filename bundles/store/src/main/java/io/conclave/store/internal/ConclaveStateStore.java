package io.conclave.store.internal;

import io.conclave.api.catalog.CatalogCommands;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StateMachine;
import io.conclave.api.state.StateStore;
import io.conclave.api.state.StoreView;
import io.conclave.api.state.UnknownCommandException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory MVCC state store (Consul's {@code agent/consul/state} on go-memdb): the write side
 * for consensus and the read side for endpoints, one object.
 *
 * <p>The whole state is one immutable {@link StoreRoot}. {@link #apply} and {@link #restore} build a
 * new root under a lock and publish it with one volatile write, then hand the watchers it woke to the
 * query executor; readers take the current root and never lock. Immediate so that its data lives as
 * long as the bundle, not as long as someone happens to hold the service.
 *
 * <p>Commands: {@link MessageType#KVS}, {@link MessageType#REGISTER} and {@link MessageType#DEREGISTER}
 * are implemented. Any other code, known to the API or not, is skipped when it carries
 * {@link MessageType#IGNORE_UNKNOWN_FLAG} and otherwise throws {@link UnknownCommandException} without
 * consuming its index. A command that cannot be applied (a malformed payload, a LOCK/UNLOCK before
 * sessions exist, a check for a service that is not registered) consumes its index, changes nothing
 * else and throws {@link IllegalArgumentException} with Consul's text: every replica does the same, so
 * none diverges.
 */
@Component(service = {StateStore.class, StateMachine.class}, immediate = true)
public final class ConclaveStateStore implements StateStore, StateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(ConclaveStateStore.class);
    private static final int QUERY_THREADS = 2;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final WatchRegistry watches = new WatchRegistry();
    private volatile StoreRoot root = StoreRoot.empty();
    private volatile BlockingQueries queries;
    private final AtomicLong wakeups = new AtomicLong();

    @Activate
    void activate() {
        queries = new BlockingQueries(() -> root, watches, QUERY_THREADS);
    }

    @Deactivate
    void deactivate() {
        BlockingQueries q = queries;
        queries = null;
        if (q != null) {
            q.close();
        }
        watches.everything(root.generation);
    }

    // ---- StateStore ----

    @Override
    public StoreView view() {
        return new View(root, null);
    }

    @Override
    public <T> CompletionStage<Indexed<T>> query(long minIndex, Duration maxWait, Function<StoreView, Indexed<T>> query) {
        BlockingQueries q = queries;
        if (q == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the state store is not active"));
        }
        return q.query(minIndex, maxWait, query);
    }

    @Override
    public int parkedQueries() {
        BlockingQueries q = queries;
        return q == null ? 0 : q.parkedCount();
    }

    // ---- StateMachine ----

    @Override
    public Object apply(long index, Command command) {
        Objects.requireNonNull(command, "command");
        writeLock.lock();
        try {
            StoreRoot base = root;
            if (index <= base.lastIndex) {
                throw new IllegalStateException("cannot apply index " + index + ": the store has already applied index "
                        + base.lastIndex + "; the log is being replayed onto a store that already holds it (restore its "
                        + "snapshot first) or two appliers are running");
            }
            int code = command.code();
            MessageType type = MessageType.ofCode(code);
            if (type != MessageType.KVS && type != MessageType.REGISTER && type != MessageType.DEREGISTER) {
                if (MessageType.ignorable(code)) {
                    LOG.warn("Ignoring command type {} at index {}: this server cannot apply it and it is marked ignorable",
                            code & ~MessageType.IGNORE_UNKNOWN_FLAG, index);
                    publish(base.advancedTo(index), List.of());
                    return null;
                }
                throw new UnknownCommandException(code, index);
            }
            WriteTxn txn = new WriteTxn(base, index);
            Object response;
            try {
                response = switch (type) {
                    case KVS -> KvCommands.apply(txn, KvRequest.decode(command.payload()));
                    case REGISTER -> {
                        CatalogWrites.register(txn, CatalogCommands.decodeRegister(command.payload()));
                        yield Boolean.TRUE;
                    }
                    case DEREGISTER -> {
                        CatalogWrites.deregister(txn, CatalogCommands.decodeDeregister(command.payload()));
                        yield Boolean.TRUE;
                    }
                    default -> throw new AssertionError(type);
                };
            } catch (IllegalArgumentException e) {
                publish(base.advancedTo(index), List.of());
                throw e;
            }
            publish(txn.commit(), txn.changes());
            return response;
        } finally {
            writeLock.unlock();
        }
    }

    /** Under the write lock: one volatile write, then wake (never run) the affected queries. */
    private void publish(StoreRoot next, Collection<TableKey> changes) {
        root = next;
        List<WatchRegistry.Watcher> fired = watches.changed(next.generation, changes);
        wakeups.addAndGet(fired.size());
        BlockingQueries q = queries;
        if (q != null && !fired.isEmpty()) {
            q.wake(fired);
        }
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
        SnapshotFormat.write(root, out);
    }

    @Override
    public void restore(InputStream in) throws IOException {
        StoreRoot decoded = SnapshotFormat.read(in);
        writeLock.lock();
        try {
            StoreRoot next = decoded.succeeding(root);
            root = next;
            List<WatchRegistry.Watcher> fired = watches.everything(next.generation);
            wakeups.addAndGet(fired.size());
            BlockingQueries q = queries;
            if (q != null) {
                q.wake(fired);
            }
            LOG.info("Restored state store snapshot at index {}", next.lastIndex);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long lastIndex() {
        return root.lastIndex;
    }

    // ---- for tests in this package ----

    WatchRegistry watchRegistry() {
        return watches;
    }

    /** How many parked queries commits and restores have woken so far. */
    long wakeups() {
        return wakeups.get();
    }
}
