package io.conclave.store.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * What one query read: exact keys and key prefixes, per namespace ({@link WatchKeys}). Filled by a {@link View} as the
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

    /** An entry of the index table: wakes when a write sets or removes it. */
    void watchIndex(String name) {
        keys.add(WatchKeys.index(name));
    }

    /** The rows having {@code value} in a secondary index: wakes when one appears, changes or goes. */
    void watchSecondary(Table<?> table, String indexName, String value) {
        keys.add(WatchKeys.secondary(table, indexName, value));
    }

    boolean isEmpty() {
        return keys.isEmpty() && prefixes.isEmpty();
    }
}
