package io.conclave.store.internal;

import io.conclave.api.kv.KvEntry;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StoreView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A {@link StoreView} over one {@link StoreRoot}. When it belongs to a blocking query it records
 * every read in a {@link WatchSet}; plain views ({@code watches == null}) record nothing.
 *
 * <p>The index rules are Consul's ({@code kvsGetTxn}, {@code kvsListTxn}, {@code KVSKeys} in
 * {@code agent/consul/state/kvs.go}, plus the endpoint's use of ModifyIndex for a found key): the
 * KV table index is the larger of the "kvs" and "tombstones" index-table entries.
 */
final class View implements StoreView {

    private final StoreRoot root;
    private final WatchSet watches;

    View(StoreRoot root, WatchSet watches) {
        this.root = root;
        this.watches = watches;
    }

    WatchSet watches() {
        return watches;
    }

    @Override
    public long index() {
        return root.lastIndex;
    }

    private long kvsMaxIndex() {
        return root.maxIndex(Schema.KVS, Schema.TOMBSTONES);
    }

    @Override
    public Indexed<Optional<KvEntry>> kvGet(String key) {
        if (watches != null) {
            watches.watchKey(Schema.KVS, key);
        }
        KvEntry e = root.table(Schema.KVS).get(key);
        if (e != null) {
            return new Indexed<>(e.modifyIndex(), Optional.of(e));
        }
        return new Indexed<>(kvsMaxIndex(), Optional.empty());
    }

    @Override
    public Indexed<List<KvEntry>> kvList(String prefix) {
        if (watches != null) {
            watches.watchPrefix(Schema.KVS, prefix);
        }
        List<KvEntry> entries = new ArrayList<>();
        long lindex = 0;
        for (KvEntry e : root.table(Schema.KVS).rows.valuesWithPrefix(prefix)) {
            entries.add(e);
            lindex = Math.max(lindex, e.modifyIndex());
        }
        return new Indexed<>(prefixIndex(prefix, lindex), Collections.unmodifiableList(entries));
    }

    @Override
    public Indexed<List<String>> kvKeys(String prefix, String separator) {
        if (watches != null) {
            watches.watchPrefix(Schema.KVS, prefix);
        }
        String sep = separator == null ? "" : separator;
        List<String> keys = new ArrayList<>();
        long lindex = 0;
        String last = null;
        for (KvEntry e : root.table(Schema.KVS).rows.valuesWithPrefix(prefix)) {
            lindex = Math.max(lindex, e.modifyIndex());
            String k = e.key();
            if (!sep.isEmpty()) {
                int at = k.indexOf(sep, prefix.length());
                if (at >= 0) {
                    k = k.substring(0, at + sep.length());
                }
            }
            // Keys sharing a folder are contiguous in key order, so comparing with the last suffices.
            if (!k.equals(last)) {
                keys.add(k);
                last = k;
            }
        }
        return new Indexed<>(prefixIndex(prefix, lindex), Collections.unmodifiableList(keys));
    }

    /**
     * kvsListTxn: the highest ModifyIndex under the prefix, raised to the highest tombstone under it;
     * the whole table index for the empty prefix; the table index again when that comes out 0.
     */
    private long prefixIndex(String prefix, long lindex) {
        long idx = kvsMaxIndex();
        if (!prefix.isEmpty()) {
            for (Tombstone t : root.table(Schema.TOMBSTONES).rows.valuesWithPrefix(prefix)) {
                lindex = Math.max(lindex, t.index());
            }
        } else {
            lindex = idx;
        }
        return lindex != 0 ? lindex : idx;
    }
}
