package io.conclave.consensus.local.internal;

import io.conclave.api.consensus.ApplyResult;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.state.StateMachine;
import io.conclave.api.state.UnknownCommandException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dev-mode consensus ({@code agent -dev}): one node, its own leader, no log. Each proposal is
 * applied to the {@link StateMachine} at once, on the proposing thread, under one lock, at the next
 * index after the larger of the last index it assigned and the state machine's own last index (so it
 * starts at 1 on an empty store and keeps rising across a snapshot restore).
 *
 * <p>Every proposal consumes an index, also when the state machine rejects it. An
 * {@link UnknownCommandException} is different: this server cannot apply the command, so it stops
 * taking proposals for good (each later one fails with an {@link IllegalStateException} naming the
 * cause) rather than go on without it. Stages are completed after the lock is released, before
 * {@code propose} returns; callbacks therefore run on the thread that attaches them.
 *
 * <p>The leader address in {@link #status()} is this server's RPC address from the agent
 * configuration ({@code advertise_addr}, default 127.0.0.1; {@code server_port}, default 8300).
 */
@Component(service = Consensus.class, configurationPid = LocalConsensus.AGENT_PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class LocalConsensus implements Consensus {

    static final String AGENT_PID = "io.conclave.agent";
    static final String DEFAULT_ADVERTISE_ADDR = "127.0.0.1";
    static final int DEFAULT_SERVER_PORT = 8300;

    private static final Logger LOG = LoggerFactory.getLogger(LocalConsensus.class);

    private final StateMachine stateMachine;
    private final ReentrantLock applyLock = new ReentrantLock();
    // guarded by applyLock
    private long lastIndex;
    private UnknownCommandException stoppedBy;
    private long stoppedAt;

    private volatile String leader;

    @Activate
    public LocalConsensus(@Reference(name = "stateMachine") StateMachine stateMachine, Map<String, Object> properties) {
        this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
        this.lastIndex = stateMachine.lastIndex();
        this.leader = rpcAddress(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        leader = rpcAddress(properties);
    }

    @Override
    public CompletionStage<ApplyResult> propose(Command command) {
        Objects.requireNonNull(command, "command");
        ApplyResult result = null;
        RuntimeException failure = null;
        applyLock.lock();
        try {
            if (stoppedBy != null) {
                failure = stoppedException();
            } else {
                long index = Math.max(lastIndex, stateMachine.lastIndex()) + 1;
                try {
                    Object response = stateMachine.apply(index, command);
                    result = new ApplyResult(index, response);
                } catch (UnknownCommandException e) {
                    stoppedBy = e;
                    stoppedAt = index;
                    failure = e;
                    LOG.error("Stopped accepting proposals: {}", e.getMessage());
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    if (stoppedBy == null) {
                        lastIndex = index;
                    }
                }
            }
        } finally {
            applyLock.unlock();
        }
        return failure == null ? CompletableFuture.completedFuture(result) : CompletableFuture.failedFuture(failure);
    }

    @Override
    public ConsensusStatus status() {
        String l = leader;
        return new ConsensusStatus(l, List.of(l), true, 0);
    }

    /** Completes at once: this node is the only one and has applied every committed command. */
    @Override
    public CompletionStage<Void> verifyLeader() {
        applyLock.lock();
        try {
            if (stoppedBy != null) {
                return CompletableFuture.failedFuture(stoppedException());
            }
        } finally {
            applyLock.unlock();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Under applyLock. */
    private IllegalStateException stoppedException() {
        return new IllegalStateException("dev consensus stopped at index " + stoppedAt
                + " and accepts no more commands, so this server cannot diverge from what it applied: "
                + stoppedBy.getMessage(), stoppedBy);
    }

    /** For tests: whether the calling thread holds the apply lock. */
    boolean applyLockHeldByCurrentThread() {
        return applyLock.isHeldByCurrentThread();
    }

    static String rpcAddress(Map<String, ?> properties) {
        Object addr = properties == null ? null : properties.get("advertise_addr");
        String host = addr == null || addr.toString().isBlank() ? DEFAULT_ADVERTISE_ADDR : addr.toString().trim();
        int port = DEFAULT_SERVER_PORT;
        Object p = properties == null ? null : properties.get("server_port");
        if (p instanceof Number n) {
            port = n.intValue();
        } else if (p != null && !p.toString().isBlank()) {
            try {
                port = Integer.parseInt(p.toString().trim());
            } catch (NumberFormatException e) {
                LOG.warn("Ignoring server_port {}: not a number; using {}", p, DEFAULT_SERVER_PORT);
            }
        }
        if (port < 1 || port > 65535) {
            LOG.warn("Ignoring server_port {}: out of range; using {}", port, DEFAULT_SERVER_PORT);
            port = DEFAULT_SERVER_PORT;
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + port;
    }
}
