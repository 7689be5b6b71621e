package io.conclave.store.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * An immutable sorted map from String to V: a persistent AVL tree. Every update copies only the
 * path from the root to the changed node, so old versions stay valid and can be read by any number
 * of threads while a writer builds new ones. This is what gives the store its MVCC.
 *
 * <p>Keys are ordered by Unicode code point ({@link #compareKeys}), which is the byte order of their
 * UTF-8 encoding and so the order Consul's radix trees use.
 */
final class PersistentSortedMap<V> implements Iterable<Map.Entry<String, V>> {

    private static final PersistentSortedMap<?> EMPTY = new PersistentSortedMap<>(null);

    private final Node<V> root;

    private PersistentSortedMap(Node<V> root) {
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    static <V> PersistentSortedMap<V> empty() {
        return (PersistentSortedMap<V>) EMPTY;
    }

    int size() {
        return root == null ? 0 : root.size;
    }

    boolean isEmpty() {
        return root == null;
    }

    V get(String key) {
        Node<V> n = root;
        while (n != null) {
            int c = compareKeys(key, n.key);
            if (c == 0) {
                return n.value;
            }
            n = c < 0 ? n.left : n.right;
        }
        return null;
    }

    boolean containsKey(String key) {
        return get(key) != null;
    }

    /** @return a map with {@code key} bound to {@code value} (non-null); {@code this} if already so bound */
    PersistentSortedMap<V> put(String key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Node<V> r = insert(root, key, value);
        return r == root ? this : new PersistentSortedMap<>(r);
    }

    /** @return a map without {@code key}; {@code this} if it was absent */
    PersistentSortedMap<V> remove(String key) {
        Node<V> r = delete(root, key);
        return r == root ? this : (r == null ? empty() : new PersistentSortedMap<>(r));
    }

    @Override
    public Iterator<Map.Entry<String, V>> iterator() {
        return new Iter<>(root, null, null);
    }

    /** Entries with key &gt;= {@code from}, in order. */
    Iterator<Map.Entry<String, V>> iteratorFrom(String from) {
        return new Iter<>(root, from, null);
    }

    /** Entries whose key starts with {@code prefix}, in order. */
    Iterable<Map.Entry<String, V>> withPrefix(String prefix) {
        return () -> new Iter<>(root, prefix, prefix);
    }

    /** Values whose key starts with {@code prefix}, in key order. */
    Iterable<V> valuesWithPrefix(String prefix) {
        return () -> {
            Iterator<Map.Entry<String, V>> it = new Iter<>(root, prefix, prefix);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public V next() {
                    return it.next().getValue();
                }
            };
        };
    }

    /**
     * Compares by code point, i.e. UTF-8 byte order. {@link String#compareTo} compares UTF-16 units,
     * which puts supplementary characters (surrogates, 0xD800-0xDFFF) before U+E000..U+FFFF; the
     * fix-up below moves surrogates above them (the trick ICU calls code point order).
     */
    static int compareKeys(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= 0xD800 && y >= 0xD800) {
                    x = fixup(x);
                    y = fixup(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    private static char fixup(char c) {
        return (char) (c >= 0xE000 ? c - 0x800 : c + 0x2000);
    }

    // ---- AVL internals ----

    private static final class Node<V> implements Map.Entry<String, V> {
        final String key;
        final V value;
        final Node<V> left;
        final Node<V> right;
        final int height;
        final int size;

        Node(String key, V value, Node<V> left, Node<V> right) {
            this.key = key;
            this.value = value;
            this.left = left;
            this.right = right;
            this.height = Math.max(height(left), height(right)) + 1;
            this.size = size(left) + size(right) + 1;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        @Override
        public V setValue(V v) {
            throw new UnsupportedOperationException("immutable");
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    private static int height(Node<?> n) {
        return n == null ? 0 : n.height;
    }

    private static int size(Node<?> n) {
        return n == null ? 0 : n.size;
    }

    private static <V> Node<V> insert(Node<V> n, String key, V value) {
        if (n == null) {
            return new Node<>(key, value, null, null);
        }
        int c = compareKeys(key, n.key);
        if (c == 0) {
            return n.value == value ? n : new Node<>(key, value, n.left, n.right);
        }
        if (c < 0) {
            Node<V> l = insert(n.left, key, value);
            return l == n.left ? n : balance(n.key, n.value, l, n.right);
        }
        Node<V> r = insert(n.right, key, value);
        return r == n.right ? n : balance(n.key, n.value, n.left, r);
    }

    private static <V> Node<V> delete(Node<V> n, String key) {
        if (n == null) {
            return null;
        }
        int c = compareKeys(key, n.key);
        if (c < 0) {
            Node<V> l = delete(n.left, key);
            return l == n.left ? n : balance(n.key, n.value, l, n.right);
        }
        if (c > 0) {
            Node<V> r = delete(n.right, key);
            return r == n.right ? n : balance(n.key, n.value, n.left, r);
        }
        if (n.left == null) {
            return n.right;
        }
        if (n.right == null) {
            return n.left;
        }
        Node<V> min = n.right;
        while (min.left != null) {
            min = min.left;
        }
        return balance(min.key, min.value, n.left, removeMin(n.right));
    }

    private static <V> Node<V> removeMin(Node<V> n) {
        if (n.left == null) {
            return n.right;
        }
        return balance(n.key, n.value, removeMin(n.left), n.right);
    }

    private static <V> Node<V> balance(String key, V value, Node<V> l, Node<V> r) {
        int hl = height(l);
        int hr = height(r);
        if (hl > hr + 1) {
            if (height(l.left) >= height(l.right)) {
                return new Node<>(l.key, l.value, l.left, new Node<>(key, value, l.right, r));
            }
            Node<V> lr = l.right;
            return new Node<>(lr.key, lr.value, new Node<>(l.key, l.value, l.left, lr.left),
                    new Node<>(key, value, lr.right, r));
        }
        if (hr > hl + 1) {
            if (height(r.right) >= height(r.left)) {
                return new Node<>(r.key, r.value, new Node<>(key, value, l, r.left), r.right);
            }
            Node<V> rl = r.left;
            return new Node<>(rl.key, rl.value, new Node<>(key, value, l, rl.left),
                    new Node<>(r.key, r.value, rl.right, r.right));
        }
        return new Node<>(key, value, l, r);
    }

    /** Checks the AVL and order invariants; for tests. */
    void checkInvariants() {
        check(root, null, null);
    }

    private static <V> void check(Node<V> n, String lo, String hi) {
        if (n == null) {
            return;
        }
        if (lo != null && compareKeys(n.key, lo) <= 0 || hi != null && compareKeys(n.key, hi) >= 0) {
            throw new AssertionError("order violated at " + n.key);
        }
        if (Math.abs(height(n.left) - height(n.right)) > 1) {
            throw new AssertionError("unbalanced at " + n.key);
        }
        if (n.size != size(n.left) + size(n.right) + 1 || n.height != Math.max(height(n.left), height(n.right)) + 1) {
            throw new AssertionError("bad size/height at " + n.key);
        }
        check(n.left, lo, n.key);
        check(n.right, n.key, hi);
    }

    /** In-order iterator from a lower bound, optionally stopping at the end of a prefix. */
    private static final class Iter<V> implements Iterator<Map.Entry<String, V>> {
        private final ArrayDeque<Node<V>> stack = new ArrayDeque<>();
        private final String prefix;
        private Node<V> next;

        Iter(Node<V> root, String from, String prefix) {
            this.prefix = prefix;
            Node<V> n = root;
            while (n != null) {
                if (from == null || compareKeys(n.key, from) >= 0) {
                    stack.push(n);
                    n = n.left;
                } else {
                    n = n.right;
                }
            }
            advance();
        }

        private void advance() {
            if (stack.isEmpty()) {
                next = null;
                return;
            }
            Node<V> n = stack.pop();
            for (Node<V> c = n.right; c != null; c = c.left) {
                stack.push(c);
            }
            next = (prefix == null || n.key.startsWith(prefix)) ? n : null;
            if (next == null) {
                stack.clear();
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Map.Entry<String, V> next() {
            Node<V> n = next;
            if (n == null) {
                throw new NoSuchElementException();
            }
            advance();
            return n;
        }
    }
}
