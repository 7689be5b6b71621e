package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PersistentSortedMapPropertyTest {

    /** A put (value non-null) or a remove (value null). */
    record Op(String key, Integer value) {
    }

    @Provide
    Arbitrary<String> keys() {
        // Few characters so keys collide and share prefixes; include one outside the BMP and one above it.
        return Arbitraries.of("a", "b", "/", "\u00e9", "\uFF21", "\uD83D\uDE00")
                .list().ofMinSize(0).ofMaxSize(4).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> values = Arbitraries.integers().between(0, 1000).injectNull(0.35);
        return Combinators.combine(keys(), values).as(Op::new).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void matchesTreeMapForPutsRemovesAndScans(@ForAll("ops") List<Op> ops, @ForAll("keys") String from,
                                              @ForAll("keys") String prefix) {
        PersistentSortedMap<Integer> map = PersistentSortedMap.empty();
        TreeMap<String, Integer> model = new TreeMap<>(PersistentSortedMap::compareKeys);
        List<PersistentSortedMap<Integer>> versions = new ArrayList<>();
        List<TreeMap<String, Integer>> models = new ArrayList<>();
        for (Op op : ops) {
            if (op.value() == null) {
                map = map.remove(op.key());
                model.remove(op.key());
            } else {
                map = map.put(op.key(), op.value());
                model.put(op.key(), op.value());
            }
            assertEquals(model.get(op.key()), map.get(op.key()));
            assertEquals(model.size(), map.size());
            versions.add(map);
            models.add(new TreeMap<>(model));
        }
        map.checkInvariants();
        for (int i = 0; i < versions.size(); i++) {
            assertEquals(entries(models.get(i).entrySet().iterator()), entries(versions.get(i).iterator()),
                    "version " + i + " is unchanged by later updates");
        }
        assertEquals(entries(model.tailMap(from, true).entrySet().iterator()), entries(map.iteratorFrom(from)));
        List<String> expectedPrefix = new ArrayList<>();
        for (String k : model.keySet()) {
            if (k.startsWith(prefix)) {
                expectedPrefix.add(k);
            }
        }
        List<String> actualPrefix = new ArrayList<>();
        map.withPrefix(prefix).forEach(e -> actualPrefix.add(e.getKey()));
        assertEquals(expectedPrefix, actualPrefix);
    }

    @Property(tries = 500)
    void keyOrderIsUtf8ByteOrder(@ForAll("keys") String a, @ForAll("keys") String b) {
        int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, Integer.signum(PersistentSortedMap.compareKeys(a, b)));
    }

    private static List<String> entries(Iterator<Map.Entry<String, Integer>> it) {
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<String, Integer> e = it.next();
            out.add(e.getKey() + "=" + e.getValue());
        }
        return out;
    }
}
