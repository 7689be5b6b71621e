package io.conclave.store.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parked readers, indexed by what they watch, so a commit finds the readers it must wake without
 * looking at the others. Exact-key watchers sit in one hash map; prefix watchers in another, plus a
 * count of watched prefix lengths per table: for a changed key only its prefixes of a watched length
 * are looked up, never the whole set of watchers.
 *
 * <p>A {@link Watcher} is one-shot: {@link #changed} removes and returns every watcher it wakes, so a
 * caller must register again to keep watching. All methods are short and guarded by one lock; the
 * store's readers never take it, only parking queries and the applier's notify step.
 *
 * <p>A query reads root generation g, then registers; commits published in between would be missed.
 * So the registry keeps the changed keys of the last few commits: {@link #register} refuses (returns
 * {@code null}) when one of them, newer than g, touched what the query read, or when g is older than
 * what the log remembers. The caller then re-runs at once. Commits notified after the registration
 * find the watcher in the maps, because notification takes the same lock.
 */
final class WatchRegistry {

    /** One registration: a parked query's reads and what to run when any of them changes. */
    static final class Watcher {
        final WatchSet reads;
        final Runnable onChange;
        private boolean registered = true;

        private Watcher(WatchSet reads, Runnable onChange) {
            this.reads = reads;
            this.onChange = onChange;
        }
    }

    private final Object lock = new Object();
    private final Map<TableKey, Set<Watcher>> byKey = new HashMap<>();
    private final Map<TableKey, Set<Watcher>> byPrefix = new HashMap<>();
    /** table id to (watched prefix length to number of watched prefixes of that length). */
    private final Map<Integer, TreeMap<Integer, Integer>> prefixLengths = new HashMap<>();
    private final Set<Watcher> all = new LinkedHashSet<>();

    private record Commit(long generation, Collection<TableKey> keys) {
    }

    static final int RECENT_COMMITS = 1024;
    static final int RECENT_KEYS = 1 << 16;
    private final ArrayDeque<Commit> recent = new ArrayDeque<>();
    private int recentKeys;
    /** Registrations from a root of this generation or older cannot be checked against the log. */
    private long forgottenThrough;

    /**
     * Registers {@code reads}, made on the root of generation {@code generation}.
     *
     * @return the watcher, or {@code null} when something read already changed (run the query again)
     */
    Watcher register(WatchSet reads, long generation, Runnable onChange) {
        Watcher w = new Watcher(reads, onChange);
        synchronized (lock) {
            if (generation < forgottenThrough) {
                return null;
            }
            for (Commit c : recent) {
                if (c.generation() > generation && touches(c.keys(), reads)) {
                    return null;
                }
            }
            all.add(w);
            for (TableKey k : reads.keys) {
                byKey.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(w);
            }
            for (TableKey p : reads.prefixes) {
                Set<Watcher> s = byPrefix.computeIfAbsent(p, x -> new LinkedHashSet<>());
                if (s.isEmpty()) {
                    prefixLengths.computeIfAbsent(p.table(), x -> new TreeMap<>())
                            .merge(p.key().length(), 1, Integer::sum);
                }
                s.add(w);
            }
        }
        return w;
    }

    /** Removes a watcher that has not fired; a no-op for one already fired or cancelled. */
    void cancel(Watcher w) {
        synchronized (lock) {
            unregister(w);
        }
    }

    /** Removes and returns the watchers of any of {@code changes}, committed as root {@code generation}. */
    List<Watcher> changed(long generation, Collection<TableKey> changes) {
        List<Watcher> fired = new ArrayList<>();
        if (changes.isEmpty()) {
            return fired;
        }
        synchronized (lock) {
            remember(generation, changes);
            if (all.isEmpty()) {
                return fired;
            }
            for (TableKey k : changes) {
                collect(byKey.get(k), fired);
                TreeMap<Integer, Integer> lengths = prefixLengths.get(k.table());
                if (lengths != null) {
                    String key = k.key();
                    for (int len : lengths.headMap(key.length(), true).keySet()) {
                        collect(byPrefix.get(new TableKey(k.table(), key.substring(0, len))), fired);
                    }
                }
            }
            for (Watcher w : fired) {
                unregister(w);
            }
        }
        return fired;
    }

    /** Removes and returns every watcher: root {@code generation} changed everything (a restore). */
    List<Watcher> everything(long generation) {
        synchronized (lock) {
            recent.clear();
            recentKeys = 0;
            forgottenThrough = generation;
            List<Watcher> fired = new ArrayList<>(all);
            for (Watcher w : fired) {
                w.registered = false;
            }
            all.clear();
            byKey.clear();
            byPrefix.clear();
            prefixLengths.clear();
            return fired;
        }
    }

    int size() {
        synchronized (lock) {
            return all.size();
        }
    }

    /** Number of distinct watched keys and prefixes; for tests that check nothing leaks. */
    int indexedEntries() {
        synchronized (lock) {
            return byKey.size() + byPrefix.size();
        }
    }

    private void remember(long generation, Collection<TableKey> changes) {
        recent.addLast(new Commit(generation, changes));
        recentKeys += changes.size();
        while (recent.size() > RECENT_COMMITS || recentKeys > RECENT_KEYS && recent.size() > 1) {
            Commit dropped = recent.removeFirst();
            recentKeys -= dropped.keys().size();
            forgottenThrough = dropped.generation();
        }
    }

    private static boolean touches(Collection<TableKey> changes, WatchSet reads) {
        for (TableKey k : changes) {
            if (reads.keys.contains(k)) {
                return true;
            }
            for (TableKey p : reads.prefixes) {
                if (p.table() == k.table() && k.key().startsWith(p.key())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void collect(Set<Watcher> s, List<Watcher> into) {
        if (s != null) {
            for (Watcher w : s) {
                if (w.registered) {
                    w.registered = false; // marks it as taken so it is collected once
                    into.add(w);
                }
            }
        }
    }

    private void unregister(Watcher w) {
        boolean wasIn = all.remove(w);
        if (!wasIn) {
            return;
        }
        w.registered = false;
        for (TableKey k : w.reads.keys) {
            Set<Watcher> s = byKey.get(k);
            if (s != null && s.remove(w) && s.isEmpty()) {
                byKey.remove(k);
            }
        }
        for (TableKey p : w.reads.prefixes) {
            Set<Watcher> s = byPrefix.get(p);
            if (s != null && s.remove(w) && s.isEmpty()) {
                byPrefix.remove(p);
                TreeMap<Integer, Integer> lengths = prefixLengths.get(p.table());
                if (lengths != null && lengths.merge(p.key().length(), -1, Integer::sum) == 0) {
                    lengths.remove(p.key().length());
                    if (lengths.isEmpty()) {
                        prefixLengths.remove(p.table());
                    }
                }
            }
        }
    }
}
