package io.conclave.gossip.internal.runtime;

import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.gossip.internal.serf.Query;
import io.conclave.gossip.internal.serf.QueryResponses;
import io.conclave.gossip.internal.serf.SerfCore;
import io.conclave.gossip.internal.serf.SerfMessages;
import io.conclave.gossip.internal.swim.MemberState;
import io.conclave.gossip.internal.swim.SwimMessage;
import io.conclave.gossip.internal.swim.SwimNode;
import io.conclave.gossip.internal.wire.MsgpackReader;
import io.conclave.gossip.internal.wire.WireException;
import io.conclave.gossip.internal.wire.WireInput;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * serf's queries for one pool: filters, acks and answers to the queries that reach us (relayed as serf
 * does), the responses to ours, and starting the keyring queries. Loop-thread only.
 */
final class SerfQueries {

    /** What the pool lends the query side; all on the loop. */
    interface Host {
        SwimNode swim();

        SerfCore serf();

        /** Null when the pool keeps no snapshot. */
        Snapshotter snapshot();

        long now();

        InetSocketAddress resolve(String node);

        /** memberlist SendToAddress: one serf message in one packet. */
        void sendUserPacket(InetSocketAddress to, byte[] serfMessage);

        /** Queues a query for gossip to the other members. */
        void rebroadcast(byte[] rawQuery);

        byte[] advertiseAddr();

        int advertisePort();
    }

    static final int QUERY_RESPONSE_SIZE_LIMIT = 1024;
    // Log as the pool, so the lines read as they always did.
    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);
    private static final int QUERY_TIMEOUT_MULT = 16;
    private static final int QUERY_SIZE_LIMIT = 1024;

    private final PoolConfig config;
    private final String name;
    private final SplittableRandom random;
    private final QueryResponses queryResponses = new QueryResponses();
    private final KeyringQueries keyring;
    private final Host host;

    SerfQueries(PoolConfig config, SplittableRandom random, Host host) {
        this.config = config;
        this.name = config.nodeName();
        this.random = random;
        this.keyring = new KeyringQueries(config, queryResponses);
        this.host = host;
    }

    /** The keyring and the keyring queries. */
    KeyringQueries keyring() {
        return keyring;
    }

    /** A query reached us (by gossip, or our own): answer it if it is for us, gossip it on unless told not to. */
    void handleQuery(SerfMessages.QueryMessage q, byte[] raw) {
        if (!host.serf().queries().firstSeen(q.ltime(), q.id())) {
            return;
        }
        boolean rebroadcast = !q.noBroadcast();
        if (shouldProcess(q.filters())) {
            Snapshotter snapshot = host.snapshot();
            if (snapshot != null) {
                snapshot.query(q.ltime());
            }
            InetSocketAddress source = PacketWire.socketAddress(q.addr(), q.port());
            if (q.ack()) {
                respond(q, source, new SerfMessages.QueryResponse(q.ltime(), q.id(), name, Query.FLAG_ACK, null));
            }
            if (q.name().startsWith(KeyringQueries.INTERNAL_QUERY_PREFIX)) {
                byte[] answer = keyring.answer(q);
                if (answer != null) {
                    respond(q, source, new SerfMessages.QueryResponse(q.ltime(), q.id(), name, 0, answer));
                }
            }
        }
        if (rebroadcast) {
            host.rebroadcast(raw);
        }
    }

    private void respond(SerfMessages.QueryMessage q, InetSocketAddress source, SerfMessages.QueryResponse resp) {
        byte[] encoded = resp.encode();
        if (encoded.length > QUERY_RESPONSE_SIZE_LIMIT) {
            LOG.error("serf ({}): response to {} exceeds limit of {} bytes", config.label(), q.name(),
                    QUERY_RESPONSE_SIZE_LIMIT);
            return;
        }
        if (q.sourceNode().equals(name)) {
            handleQueryResponse(resp);
            return;
        }
        host.sendUserPacket(source, encoded);
        relay(q, source, encoded);
    }

    /** serf relayResponse: the same answer through RelayFactor random members, in case the direct path drops it. */
    private void relay(SerfMessages.QueryMessage q, InetSocketAddress source, byte[] encoded) {
        if (q.relayFactor() == 0 || source == null) {
            return;
        }
        List<String> candidates = new ArrayList<>();
        for (SwimMessage.NodeEntry e : host.swim().localState()) {
            if (e.state() == MemberState.ALIVE && !e.name().equals(name) && e.info() != null
                    && e.info().protocolMax() >= 5) {
                candidates.add(e.name());
            }
        }
        if (candidates.size() < q.relayFactor()) {
            return;
        }
        byte[] relayMsg = new SerfMessages.Relay(source.getAddress().getAddress(), source.getPort(), q.sourceNode(),
                encoded).encode();
        for (int i = 0; i < q.relayFactor() && !candidates.isEmpty(); i++) {
            host.sendUserPacket(host.resolve(candidates.remove(random.nextInt(candidates.size()))), relayMsg);
        }
    }

    private boolean shouldProcess(List<byte[]> filters) {
        for (byte[] f : filters) {
            if (f.length == 0) {
                return false;
            }
            try {
                MsgpackReader r = new MsgpackReader(WireInput.of(f, 1, f.length - 1));
                switch (f[0]) {
                    case 0 -> {
                        long n = r.arrayHeader();
                        boolean found = false;
                        for (long i = 0; i < n && i < 65_536; i++) {
                            found |= r.str().equals(name);
                        }
                        if (!found) {
                            return false;
                        }
                    }
                    case 1 -> {
                        String[] tagExpr = {"", ""};
                        r.struct(List.of("Tag", "Expr"), (i, x) -> tagExpr[i] = x.str());
                        String value = config.tags().getOrDefault(tagExpr[0], "");
                        if (!Pattern.compile(tagExpr[1]).matcher(value).find()) {
                            return false;
                        }
                    }
                    default -> {
                        return false;
                    }
                }
            } catch (WireException | PatternSyntaxException e) {
                LOG.warn("serf ({}): failed to decode query filter: {}", config.label(), e.getMessage());
                return false;
            }
        }
        return true;
    }

    /** An answer to one of our queries. */
    void handleQueryResponse(SerfMessages.QueryResponse r) {
        QueryResponses.Outcome outcome = queryResponses.handle(r.ltime(), r.id(), r.from(), r.flags(), r.payload(),
                host.now());
        if (outcome == QueryResponses.Outcome.UNKNOWN_QUERY) {
            LOG.debug("serf ({}): reply for non-running query (LTime: {}, ID: {}) From: {}", config.label(), r.ltime(),
                    r.id(), r.from());
            return;
        }
        if (outcome == QueryResponses.Outcome.RESPONSE) {
            keyring.responded(r.ltime());
        }
    }

    /** Finishes the queries whose time ran out. */
    void expire(long now) {
        for (QueryResponses.Collected c : queryResponses.expire(now)) {
            keyring.expired(c);
        }
    }

    /** serf's keyring query to every member, run as our own query; {@code result} completes when all answered or time ran out. */
    void startKeyQuery(KeyringOperation op, String key, CompletableFuture<KeyringResponse> result) {
        KeyringQueries.Request request = KeyringQueries.request(op, key);
        SwimNode swim = host.swim();
        long now = host.now();
        int numNodes = swim.numLive();
        long timeoutMillis = Query.defaultTimeoutMillis(config.swim().gossipIntervalMillis(), QUERY_TIMEOUT_MULT,
                numNodes);
        long ltime = host.serf().queries().clock().time();
        long id = random.nextInt(Integer.MAX_VALUE);
        SerfMessages.QueryMessage q = new SerfMessages.QueryMessage(ltime, id, host.advertiseAddr(),
                host.advertisePort(), name, List.of(), 0, 0, timeoutMillis * 1_000_000L, request.queryName(),
                request.payload());
        byte[] raw = q.encode();
        if (raw.length > QUERY_SIZE_LIMIT) {
            throw new IllegalArgumentException("query exceeds limit of " + QUERY_SIZE_LIMIT + " bytes");
        }
        queryResponses.register(new Query(ltime, id, request.queryName(), false, now + timeoutMillis));
        keyring.track(ltime, numNodes, now + timeoutMillis, result);
        handleQuery(q, raw);
    }
}
