package io.conclave.http.internal;

import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvOp;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import io.conclave.api.state.Indexed;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A KV endpoint over a TreeMap, honest about the parts HTTP depends on: every write raises one index;
 * a read's index is its row's ModifyIndex, or the table index when it found nothing; a blocking read
 * parks until a write lifts its index above {@code minIndex} or its wait ends, without holding a thread.
 */
final class FakeKv implements KvEndpoint {

    private final TreeMap<String, KvEntry> rows = new TreeMap<>();
    private final FakeBlocking blocking = new FakeBlocking(this, "fake-kv");
    private long index = 1;
    volatile RuntimeException failWith;
    volatile QueryOptions lastOptions;

    @Override
    public CompletionStage<QueryResult<Optional<KvEntry>>> get(String key, QueryOptions options) {
        return read(options, () -> {
            KvEntry e = rows.get(key);
            return new Indexed<>(e == null ? index : e.modifyIndex(), Optional.ofNullable(e));
        });
    }

    @Override
    public CompletionStage<QueryResult<List<KvEntry>>> list(String prefix, QueryOptions options) {
        return read(options, () -> {
            List<KvEntry> found = new ArrayList<>(under(prefix).values());
            long idx = found.stream().mapToLong(KvEntry::modifyIndex).max().orElse(index);
            return new Indexed<>(idx, found);
        });
    }

    @Override
    public CompletionStage<QueryResult<List<String>>> keys(String prefix, String separator, QueryOptions options) {
        return read(options, () -> {
            LinkedHashSet<String> keys = new LinkedHashSet<>();
            long idx = 0;
            for (KvEntry e : under(prefix).values()) {
                String k = e.key();
                int cut = separator == null || separator.isEmpty() ? -1 : k.indexOf(separator, prefix.length());
                keys.add(cut < 0 ? k : k.substring(0, cut + separator.length()));
                idx = Math.max(idx, e.modifyIndex());
            }
            return new Indexed<>(keys.isEmpty() ? index : idx, List.copyOf(keys));
        });
    }

    @Override
    public synchronized CompletionStage<Boolean> apply(KvRequest r) {
        if (failWith != null) {
            return CompletableFuture.failedFuture(failWith);
        }
        KvEntry old = rows.get(r.key());
        boolean applied = switch (r.op()) {
            case SET -> put(r, old);
            case CAS -> (r.index() == 0 ? old == null : old != null && old.modifyIndex() == r.index()) && put(r, old);
            case DELETE -> remove(r.key());
            case DELETE_CAS -> old != null && old.modifyIndex() == r.index() && remove(r.key());
            case DELETE_TREE -> {
                new ArrayList<>(under(r.key()).keySet()).forEach(rows::remove);
                index++;
                yield true;
            }
            case LOCK, UNLOCK -> throw new IllegalStateException("no sessions in this fake");
        };
        blocking.wake();
        return CompletableFuture.completedFuture(applied);
    }

    private boolean put(KvRequest r, KvEntry old) {
        index++;
        rows.put(r.key(), new KvEntry(r.key(), old == null ? index : old.createIndex(), index, 0, r.flags(),
                r.value(), null));
        return true;
    }

    private boolean remove(String key) {
        index++;
        rows.remove(key);
        return true;
    }

    private TreeMap<String, KvEntry> under(String prefix) {
        TreeMap<String, KvEntry> out = new TreeMap<>();
        for (var e : rows.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Blocking queries parked right now. */
    int parked() {
        return blocking.parked();
    }

    synchronized long index() {
        return index;
    }

    private <T> CompletionStage<QueryResult<T>> read(QueryOptions options, Supplier<Indexed<T>> query) {
        lastOptions = options;
        if (failWith != null) {
            return CompletableFuture.failedFuture(failWith);
        }
        return blocking.read(options, query);
    }

    void close() {
        blocking.close();
    }
}
