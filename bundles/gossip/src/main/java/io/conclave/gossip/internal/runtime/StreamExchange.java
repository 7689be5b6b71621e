package io.conclave.gossip.internal.runtime;

import io.conclave.api.gossip.GossipEndpoint;
import io.conclave.api.gossip.GossipStream;
import io.conclave.gossip.internal.serf.PushPullState;
import io.conclave.gossip.internal.serf.SerfCore;
import io.conclave.gossip.internal.serf.SerfMessages;
import io.conclave.gossip.internal.serf.Tags;
import io.conclave.gossip.internal.swim.MemberState;
import io.conclave.gossip.internal.swim.NodeInfo;
import io.conclave.gossip.internal.swim.SwimMessage;
import io.conclave.gossip.internal.swim.SwimNode;
import io.conclave.gossip.internal.wire.Ack;
import io.conclave.gossip.internal.wire.ErrResp;
import io.conclave.gossip.internal.wire.Keyring;
import io.conclave.gossip.internal.wire.MessageType;
import io.conclave.gossip.internal.wire.Ping;
import io.conclave.gossip.internal.wire.PushNodeState;
import io.conclave.gossip.internal.wire.PushPull;
import io.conclave.gossip.internal.wire.Streams;
import io.conclave.gossip.internal.wire.User;
import io.conclave.gossip.internal.wire.WireException;
import io.conclave.gossip.internal.wire.WireInput;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memberlist's stream side for one pool: push-pull (ours out, theirs merged), the TCP fallback ping and
 * serf messages sent over a stream. Blocking stream work runs on the calling (I/O or transport) thread;
 * everything touching protocol state goes through {@link Host#call} or {@link Host#post} to the loop.
 */
final class StreamExchange {

    /** What the pool lends the stream side. */
    interface Host {
        /** Runs on the loop and waits (bounded). */
        <T> T call(Callable<T> task);

        /** Runs on the loop later. */
        void post(Runnable task);

        /** Runs on the I/O pool. */
        void runIo(Runnable task);

        GossipEndpoint endpoint();

        Keyring keyring();

        /** Null until the pool gossips. Loop only, as are the rest. */
        SwimNode swim();

        SerfCore serf();

        long now();

        /** Sends what the cores produced and delivers their events. */
        void flush();

        void serfMessage(byte[] message, InetSocketAddress from);
    }

    private record LocalState(List<PushNodeState> nodes, byte[] userState) {
    }

    // Log as the pool, so the lines read as they always did.
    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

    private final PoolConfig config;
    private final String name;
    private final Host host;

    StreamExchange(PoolConfig config, Host host) {
        this.config = config;
        this.name = config.nodeName();
        this.host = host;
    }

    /** A stream a peer opened to us (transport thread). */
    void onStream(GossipStream stream) {
        try (stream) {
            stream.deadline(config.tcpTimeout());
            Keyring kr = host.keyring();
            Streams.Incoming m;
            try {
                m = Streams.read(WireInput.of(stream.in(), WireInput.MAX_STREAM_BYTES), kr,
                        kr != null && config.verifyIncoming());
            } catch (WireException e) {
                LOG.error("memberlist ({}): failed to receive: {} from={}", config.label(), e.getMessage(),
                        stream.remote());
                writeStream(stream, new ErrResp(e.getMessage()).encode());
                return;
            }
            switch (m.type()) {
                case MessageType.PUSH_PULL -> {
                    PushPull remote = PushPull.read(m.body());
                    LocalState local = host.call(this::localState);
                    if (local == null) {
                        writeStream(stream, new ErrResp("node is not gossiping yet").encode());
                        return;
                    }
                    writeStream(stream, new PushPull(remote.join(), local.nodes(), local.userState()).encode());
                    host.post(() -> {
                        try {
                            mergeRemote(remote, remote.join());
                        } catch (IOException e) {
                            LOG.error("memberlist ({}): Failed push/pull merge: {} from={}", config.label(),
                                    e.getMessage(), stream.remote());
                        }
                    });
                }
                case MessageType.PING -> {
                    Ping p = Ping.read(m.body());
                    if (!p.node().isEmpty() && !p.node().equals(name)) {
                        LOG.warn("memberlist ({}): Got ping for unexpected node {} from={}", config.label(), p.node(),
                                stream.remote());
                        return;
                    }
                    writeStream(stream, new Ack(p.seqNo(), null).encode());
                }
                case MessageType.USER -> {
                    User u = User.readStream(m.body());
                    InetSocketAddress from = stream.remote();
                    host.post(() -> host.serfMessage(u.payload(), from));
                }
                default -> LOG.error("memberlist ({}): Received invalid msgType ({}) from={}", config.label(),
                        m.type(), stream.remote());
            }
        } catch (IOException | WireException | IllegalStateException e) {
            LOG.debug("memberlist ({}): stream from {} failed: {}", config.label(), stream.remote(), e.getMessage());
        }
    }

    private void writeStream(GossipStream stream, byte[] message) throws IOException {
        Keyring kr = config.verifyOutgoing() ? host.keyring() : null;
        OutputStream out = stream.out();
        out.write(Streams.wrap(message, false, kr));
        out.flush();
    }

    private LocalState localState() {
        SwimNode swim = host.swim();
        if (swim == null) {
            return null;
        }
        List<PushNodeState> nodes = new ArrayList<>();
        for (SwimMessage.NodeEntry e : swim.localState()) {
            NodeInfo info = e.info();
            if (info != null) {
                nodes.add(new PushNodeState(e.name(), info.addr(), info.port(), info.meta(), e.incarnation(),
                        e.state().ordinal(), info.vsn()));
            }
        }
        return new LocalState(nodes, SerfMessages.encodePushPull(host.serf().localState()));
    }

    /** memberlist's periodic push-pull with {@code node}, on the I/O pool; a failure is only logged. */
    void pushPullAsync(String node, InetSocketAddress to) {
        host.runIo(() -> {
            try {
                exchange(to, false);
            } catch (IOException e) {
                LOG.debug("memberlist ({}): push/pull with {} failed: {}", config.label(), node, e.getMessage());
            }
        });
    }

    /**
     * One push-pull with a peer, on the calling (I/O) thread: our state out, theirs in, merged on the loop.
     * memberlist sendAndReceiveState + mergeRemoteState.
     */
    void exchange(InetSocketAddress to, boolean join) throws IOException {
        GossipEndpoint ep = host.endpoint();
        if (ep == null) {
            throw new IOException("no gossip transport");
        }
        LocalState local = host.call(this::localState);
        if (local == null) {
            throw new IOException("not gossiping yet");
        }
        PushPull reply;
        try (GossipStream s = ep.openStream(to, config.tcpTimeout())) {
            s.deadline(config.tcpTimeout());
            writeStream(s, new PushPull(join, local.nodes(), local.userState()).encode());
            reply = Streams.readPushPull(WireInput.of(s.in(), WireInput.MAX_STREAM_BYTES), host.keyring());
        } catch (WireException e) {
            throw new IOException(e.getMessage(), e);
        }
        IOException refused = host.call(() -> {
            try {
                mergeRemote(reply, join);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        if (refused != null) {
            throw refused;
        }
    }

    private void mergeRemote(PushPull remote, boolean join) throws IOException {
        SwimNode swim = host.swim();
        if (swim == null) {
            return;
        }
        List<SwimMessage.NodeEntry> entries = new ArrayList<>();
        for (PushNodeState n : remote.nodes()) {
            if (n.state() < 0 || n.state() > 3 || n.name().isEmpty()) {
                continue;
            }
            entries.add(new SwimMessage.NodeEntry(n.name(), n.incarnation(), MemberState.values()[n.state()],
                    new NodeInfo(n.addr(), n.port(), n.meta(), n.vsn())));
        }
        String refusal = mergeRefusal(remote.nodes());
        if (refusal != null) {
            throw new IOException(refusal);
        }
        long now = host.now();
        swim.receiveReliable("", new SwimMessage.PushPull(entries, join, true), now);
        // serf sees memberlist's joins before the intents and events of the user state.
        host.flush();
        if (remote.userState().length > 0) {
            try {
                PushPullState state = SerfMessages.decodePushPull(remote.userState());
                host.serf().mergeRemoteState(state, join, join, now);
            } catch (WireException e) {
                LOG.error("serf ({}): Failed to decode remote state: {}", config.label(), e.getMessage());
            }
        }
    }

    /** Consul's merge delegates: a LAN pool takes no Consul agents of another datacenter; a WAN pool only servers. */
    private String mergeRefusal(List<PushNodeState> nodes) {
        for (PushNodeState n : nodes) {
            Map<String, String> tags;
            try {
                tags = Tags.decode(n.meta());
            } catch (WireException e) {
                continue;
            }
            String role = tags.getOrDefault("role", "");
            String dc = tags.get("dc");
            if (!config.wan()) {
                if ((role.equals("consul") || role.equals("node")) && dc != null && config.datacenter() != null
                        && !dc.equals(config.datacenter())) {
                    return "Member '" + n.name() + "' part of wrong datacenter '" + dc + "'";
                }
            } else if (n.state() == PushNodeState.ALIVE && !role.equals("consul")) {
                return "Member '" + n.name() + "' is not a server";
            }
        }
        return null;
    }

    /**
     * memberlist's TCP fallback probe of {@code node} at {@code to}, on the I/O pool; an ack that matches is
     * fed to the loop as if it came by packet.
     */
    void fallbackPing(String node, InetSocketAddress to, GossipEndpoint ep, byte[] advertiseAddr, int advertisePort,
            SwimMessage.Ping ping) {
        long timeout = config.swim().probeIntervalMillis();
        host.runIo(() -> {
            try (GossipStream s = ep.openStream(to, Duration.ofMillis(timeout))) {
                s.deadline(Duration.ofMillis(timeout));
                writeStream(s, new Ping(Integer.toUnsignedLong(ping.seqNo()), node, advertiseAddr, advertisePort,
                        name).encode());
                Keyring keyring = host.keyring();
                Streams.Incoming m = Streams.read(WireInput.of(s.in(), 64 * 1024), keyring,
                        keyring != null && config.verifyIncoming());
                if (m.type() != MessageType.ACK) {
                    LOG.warn("memberlist ({}): unexpected reply type {} to a TCP ping of {}", config.label(), m.type(),
                            node);
                    return;
                }
                Ack ack = Ack.read(m.body());
                if ((int) ack.seqNo() != ping.seqNo()) {
                    return;
                }
                host.post(() -> {
                    SwimNode swim = host.swim();
                    if (swim.awaitingAck(ping.seqNo())) {
                        LOG.warn("memberlist ({}): Was able to connect to {} but other probes failed, network may "
                                + "be misconfigured", config.label(), node);
                    }
                    swim.receive("", new SwimMessage.Ack(ping.seqNo()), host.now());
                });
            } catch (IOException | WireException e) {
                LOG.debug("memberlist ({}): Failed fallback ping: {}", config.label(), e.getMessage());
            }
        });
    }
}
