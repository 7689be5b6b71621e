package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvOp;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.state.StoreView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random KV command sequences give the store the same visible state, and indexes, as a naive model. */
class KvModelPropertyTest {

    private static final List<String> ALPHABET = List.of("a", "b", "/");

    /** How a CAS picks its index: 0, the key's current ModifyIndex, or an arbitrary (usually stale) one. */
    enum CasIndex { ZERO, CURRENT, OTHER }

    record Step(KvOp op, String key, String value, long flags, CasIndex cas, long other) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<KvOp> ops = Arbitraries.of(KvOp.SET, KvOp.SET, KvOp.CAS, KvOp.DELETE, KvOp.DELETE_CAS, KvOp.DELETE_TREE);
        Arbitrary<String> keys = Arbitraries.of(ALPHABET).list().ofMinSize(0).ofMaxSize(3).map(l -> String.join("", l));
        Arbitrary<String> values = Arbitraries.of("x", "y", "", "zz");
        Arbitrary<Long> flags = Arbitraries.of(0L, 1L);
        return Combinators.combine(ops, keys, values, flags, Arbitraries.of(CasIndex.class), Arbitraries.longs().between(1, 40))
                .as(Step::new).list().ofMaxSize(120);
    }

    @Property(tries = 200)
    void storeMatchesNaiveModel(@ForAll("steps") List<Step> steps) {
        Kv kv = Kv.active();
        try {
            Model model = new Model();
            for (Step s : steps) {
                long casIndex = switch (s.cas()) {
                    case ZERO -> 0;
                    case CURRENT -> model.rows.containsKey(s.key()) ? model.rows.get(s.key()).modifyIndex() : 0;
                    case OTHER -> s.other();
                };
                KvRequest req = new KvRequest(s.op(), s.key(), Kv.bytes(s.value()), s.flags(), casIndex, null);
                Object actual = kv.apply(req);
                Object expected = model.apply(kv.index, req);
                assertEquals(expected, actual, "response to " + s);
                check(kv.store.view(), model);
            }
        } finally {
            kv.close();
        }
    }

    private static void check(StoreView view, Model model) {
        assertEquals(new ArrayList<>(model.rows.values()), view.kvList("").value());
        List<String> probes = new ArrayList<>(List.of(""));
        for (String a : ALPHABET) {
            probes.add(a);
            for (String b : ALPHABET) {
                probes.add(a + b);
                for (String c : ALPHABET) {
                    probes.add(a + b + c);
                }
            }
        }
        for (String p : probes) {
            assertEquals(model.getIndex(p), view.kvGet(p).index(), "get index of " + p);
            assertEquals(model.rows.get(p), view.kvGet(p).value().orElse(null));
            assertEquals(model.listIndex(p), view.kvList(p).index(), "list index of " + p);
            assertEquals(model.keys(p, "/"), view.kvKeys(p, "/").value(), "keys of " + p);
            assertEquals(model.listIndex(p), view.kvKeys(p, "/").index());
        }
    }

    /** Everything by brute force over plain TreeMaps. */
    static final class Model {
        final TreeMap<String, KvEntry> rows = new TreeMap<>();
        final TreeMap<String, Long> tombstones = new TreeMap<>();
        long kvsIndex;
        long tombstoneIndex;

        Object apply(long idx, KvRequest r) {
            KvEntry e = rows.get(r.key());
            switch (r.op()) {
                case SET:
                    return set(idx, r, e);
                case CAS:
                    if (r.index() == 0 && e != null || r.index() != 0 && (e == null || e.modifyIndex() != r.index())) {
                        return false;
                    }
                    return set(idx, r, e);
                case DELETE:
                    if (e != null) {
                        remove(idx, r.key());
                        kvsIndex = idx;
                    }
                    return true;
                case DELETE_CAS:
                    if (e == null) {
                        return true;
                    }
                    if (e.modifyIndex() != r.index()) {
                        return false;
                    }
                    remove(idx, r.key());
                    kvsIndex = idx;
                    return true;
                case DELETE_TREE:
                    List<String> doomed = new ArrayList<>();
                    for (String k : rows.keySet()) {
                        if (k.startsWith(r.key())) {
                            doomed.add(k);
                        }
                    }
                    doomed.forEach(k -> remove(idx, k));
                    if (!doomed.isEmpty()) {
                        kvsIndex = idx;
                    }
                    return true;
                default:
                    throw new AssertionError(r.op());
            }
        }

        private boolean set(long idx, KvRequest r, KvEntry e) {
            byte[] v = r.value();
            if (e != null && e.flags() == r.flags() && Arrays.equals(norm(e.value()), norm(v))) {
                return true;
            }
            rows.put(r.key(), new KvEntry(r.key(), e == null ? idx : e.createIndex(), idx, 0, r.flags(), v, null));
            kvsIndex = idx;
            return true;
        }

        private static byte[] norm(byte[] b) {
            return b == null ? new byte[0] : b;
        }

        private void remove(long idx, String key) {
            rows.remove(key);
            tombstones.put(key, idx);
            tombstoneIndex = idx;
        }

        long tableIndex() {
            return Math.max(kvsIndex, tombstoneIndex);
        }

        long getIndex(String key) {
            KvEntry e = rows.get(key);
            return e != null ? e.modifyIndex() : tableIndex();
        }

        long listIndex(String prefix) {
            if (prefix.isEmpty()) {
                return tableIndex();
            }
            long max = 0;
            for (KvEntry e : rows.values()) {
                if (e.key().startsWith(prefix)) {
                    max = Math.max(max, e.modifyIndex());
                }
            }
            for (Map.Entry<String, Long> t : tombstones.entrySet()) {
                if (t.getKey().startsWith(prefix)) {
                    max = Math.max(max, t.getValue());
                }
            }
            return max != 0 ? max : tableIndex();
        }

        List<String> keys(String prefix, String sep) {
            List<String> out = new ArrayList<>();
            for (String k : rows.keySet()) {
                if (!k.startsWith(prefix)) {
                    continue;
                }
                int at = k.substring(prefix.length()).indexOf(sep);
                String cut = at < 0 ? k : k.substring(0, prefix.length() + at + sep.length());
                if (!out.contains(cut)) {
                    out.add(cut);
                }
            }
            return out;
        }
    }
}
