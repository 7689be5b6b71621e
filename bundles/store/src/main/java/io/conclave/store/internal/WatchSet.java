package io.conclave.store.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * What one query read: exact keys and key prefixes, per table. Filled by a {@link View} as the
 * query runs (on one thread), then handed to {@link WatchRegistry} when the query parks.
 */
final class WatchSet {

    final Set<TableKey> keys = new HashSet<>();
    final Set<TableKey> prefixes = new HashSet<>();

    void watchKey(Table<?> table, String key) {
        keys.add(new TableKey(table.id, key));
    }

    void watchPrefix(Table<?> table, String prefix) {
        prefixes.add(new TableKey(table.id, prefix));
    }

    boolean isEmpty() {
        return keys.isEmpty() && prefixes.isEmpty();
    }
}
