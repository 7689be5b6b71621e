package io.conclave.gossip.internal.runtime;

import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.gossip.internal.serf.QueryResponses;
import io.conclave.gossip.internal.serf.SerfMessages;
import io.conclave.gossip.internal.wire.Keyring;
import io.conclave.gossip.internal.wire.WireException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's gossip keyring and serf's internal queries about it ({@code internal_query.go}): answers
 * the queries others send, changes the keyring they ask for, and gathers the answers to the keyring
 * queries this agent runs. The keyring itself is read from any thread; the rest is loop-thread only.
 */
final class KeyringQueries {

    static final String INTERNAL_QUERY_PREFIX = "_serf_";

    /** The name and payload of one keyring query. */
    record Request(String queryName, byte[] payload) {
    }

    private static final class KeyQuery {
        final long ltime;
        final int numNodes;
        final long deadline;
        final CompletableFuture<KeyringResponse> result;

        KeyQuery(long ltime, int numNodes, long deadline, CompletableFuture<KeyringResponse> result) {
            this.ltime = ltime;
            this.numNodes = numNodes;
            this.deadline = deadline;
            this.result = result;
        }
    }

    // Log as the pool, so the lines read as they always did.
    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);
    private static final int MIN_ENCODED_KEY_LENGTH = 25;

    private final PoolConfig config;
    private final String name;
    private final QueryResponses queryResponses;
    private final Map<Long, KeyQuery> keyQueries = new HashMap<>();
    private volatile List<byte[]> keys;
    private volatile Keyring keyring;

    KeyringQueries(PoolConfig config, QueryResponses queryResponses) {
        this.config = config;
        this.name = config.nodeName();
        this.queryResponses = queryResponses;
        this.keys = List.copyOf(config.keys());
        this.keyring = keys.isEmpty() ? null : new Keyring(keys);
    }

    /** The keyring packets and streams are sealed with; null = no encryption. Any thread. */
    Keyring keyring() {
        return keyring;
    }

    // ---- answering -------------------------------------------------------------------------------

    /** Answers one of serf's internal queries ({@code internal_query.go}); null = no response. */
    byte[] answer(SerfMessages.QueryMessage q) {
        String op = q.name().substring(INTERNAL_QUERY_PREFIX.length());
        SerfMessages.KeyResponse resp;
        switch (op) {
            case "ping" -> {
                return null;
            }
            case "list-keys" -> {
                List<byte[]> current = keys;
                if (current.isEmpty()) {
                    resp = new SerfMessages.KeyResponse(false, "Keyring is empty (encryption not enabled)", List.of(),
                            "");
                } else {
                    List<String> encoded = current.stream().map(k -> Base64.getEncoder().encodeToString(k)).toList();
                    resp = new SerfMessages.KeyResponse(true, "", encoded, encoded.get(0));
                    int max = SerfQueries.QUERY_RESPONSE_SIZE_LIMIT / MIN_ENCODED_KEY_LENGTH;
                    for (int i = Math.min(max, encoded.size()); i >= 0; i--) {
                        byte[] candidate = new SerfMessages.QueryResponse(q.ltime(), q.id(), name, 0, resp.encode())
                                .encode();
                        if (candidate.length <= SerfQueries.QUERY_RESPONSE_SIZE_LIMIT) {
                            break;
                        }
                        resp = new SerfMessages.KeyResponse(true, "truncated key list response, showing first " + i
                                + " of " + encoded.size() + " keys", encoded.subList(0, i), encoded.get(0));
                    }
                }
            }
            case "install-key", "use-key", "remove-key" -> resp = changeKeyring(op, q.payload());
            case "conflict" -> {
                // Consul turns name-conflict resolution off; we give no opinion.
                return null;
            }
            default -> {
                LOG.warn("serf ({}): Unhandled internal query '{}'", config.label(), op);
                return null;
            }
        }
        return resp.encode();
    }

    private SerfMessages.KeyResponse changeKeyring(String op, byte[] payload) {
        byte[] key;
        try {
            key = payload.length == 0 ? null : SerfMessages.decodeKeyRequest(payload);
        } catch (WireException e) {
            LOG.error("serf ({}): Failed to decode key request: {}", config.label(), e.getMessage());
            return new SerfMessages.KeyResponse(false, "Failed to decode key request: " + e.getMessage(), List.of(), "");
        }
        List<byte[]> current = keys;
        if (current.isEmpty()) {
            LOG.error("serf ({}): No keyring to modify (encryption not enabled)", config.label());
            return new SerfMessages.KeyResponse(false, "No keyring to modify (encryption not enabled)", List.of(), "");
        }
        LOG.info("serf ({}): Received {} query", config.label(), op);
        List<byte[]> next = new ArrayList<>(current);
        int idx = indexOf(next, key);
        switch (op) {
            case "install-key" -> {
                if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
                    return failedKeyOp("key size must be 16, 24 or 32 bytes");
                }
                if (idx < 0) {
                    next.add(key);
                }
            }
            case "use-key" -> {
                if (idx < 0) {
                    return failedKeyOp("Requested key is not in the keyring");
                }
                next.add(0, next.remove(idx));
            }
            default -> {
                if (idx == 0) {
                    return failedKeyOp("Removing the primary key is not allowed");
                }
                if (idx > 0) {
                    next.remove(idx);
                }
            }
        }
        if (config.keyringFile() != null) {
            try {
                KeyringFile.write(config.keyringFile(), next);
            } catch (IOException e) {
                LOG.error("serf ({}): Failed to write keyring file: {}", config.label(), e.getMessage());
                return new SerfMessages.KeyResponse(false, e.getMessage(), List.of(), "");
            }
        }
        keys = List.copyOf(next);
        keyring = new Keyring(next);
        return new SerfMessages.KeyResponse(true, "", List.of(), "");
    }

    private SerfMessages.KeyResponse failedKeyOp(String message) {
        LOG.error("serf ({}): {}", config.label(), message);
        return new SerfMessages.KeyResponse(false, message, List.of(), "");
    }

    private static int indexOf(List<byte[]> keys, byte[] key) {
        if (key == null) {
            return -1;
        }
        for (int i = 0; i < keys.size(); i++) {
            if (Arrays.equals(keys.get(i), key)) {
                return i;
            }
        }
        return -1;
    }

    // ---- asking ----------------------------------------------------------------------------------

    /** The internal query for {@code op}; a missing or non-base64 key is refused. */
    static Request request(KeyringOperation op, String key) {
        byte[] rawKey = null;
        if (op != KeyringOperation.LIST) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("a key is required");
            }
            try {
                rawKey = Base64.getDecoder().decode(key.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key is not valid base64: " + e.getMessage());
            }
        }
        String queryName = INTERNAL_QUERY_PREFIX + switch (op) {
            case LIST -> "list-keys";
            case INSTALL -> "install-key";
            case USE -> "use-key";
            case REMOVE -> "remove-key";
        };
        return new Request(queryName, SerfMessages.encodeKeyRequest(rawKey));
    }

    /** Gathers the answers to the keyring query at {@code ltime}, registered with the query responses. */
    void track(long ltime, int numNodes, long deadline, CompletableFuture<KeyringResponse> result) {
        keyQueries.put(ltime, new KeyQuery(ltime, numNodes, deadline, result));
    }

    /** A response to the query at {@code ltime} was recorded: done once every member answered. */
    void responded(long ltime) {
        KeyQuery kq = keyQueries.get(ltime);
        if (kq != null) {
            queryResponses.collected(ltime).ifPresent(c -> {
                if (c.responses().size() >= kq.numNodes) {
                    finish(kq, c);
                }
            });
        }
    }

    /** The query's time ran out: answer with what came. */
    void expired(QueryResponses.Collected c) {
        KeyQuery kq = keyQueries.get(c.query().ltime());
        if (kq != null) {
            finish(kq, c);
        }
    }

    /** The earlier of {@code next} and the moment a running keyring query should be finished. */
    long nextDeadline(long next) {
        for (KeyQuery q : keyQueries.values()) {
            next = Math.min(next, q.deadline + 1);
        }
        return next;
    }

    void failAll(IOException cause) {
        for (KeyQuery kq : List.copyOf(keyQueries.values())) {
            kq.result.completeExceptionally(cause);
        }
        keyQueries.clear();
    }

    private void finish(KeyQuery kq, QueryResponses.Collected c) {
        keyQueries.remove(kq.ltime);
        queryResponses.close(kq.ltime);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> messages = new LinkedHashMap<>();
        int errors = 0;
        for (QueryResponses.Response r : c.responses()) {
            byte[] p = r.payload();
            SerfMessages.KeyResponse kr;
            try {
                kr = SerfMessages.KeyResponse.decode(p);
            } catch (WireException e) {
                messages.put(r.from(), "Invalid key query response type: " + Arrays.toString(p));
                errors++;
                continue;
            }
            if (!kr.result()) {
                messages.put(r.from(), kr.message());
                errors++;
            } else if (!kr.message().isEmpty()) {
                messages.put(r.from(), kr.message());
            }
            for (String k : kr.keys()) {
                counts.merge(k, 1, Integer::sum);
            }
        }
        int missing = Math.max(0, kq.numNodes - c.responses().size());
        kq.result.complete(new KeyringResponse(config.wan(), config.datacenter(), counts, kq.numNodes,
                errors + missing, messages));
    }
}
