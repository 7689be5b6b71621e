package io.conclave.api.consensus;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Orders commands and applies them to the {@link io.conclave.api.state.StateMachine}.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>Commands are applied in one total order, each at an index strictly greater than the last.</li>
 *   <li>The stage returned by {@link #propose} completes only after the command was applied on this
 *       server, so a read that follows sees the write.</li>
 *   <li>Failures are typed: {@link NotLeaderException} when no leader can take the proposal; any
 *       other exception means the outcome is unknown.</li>
 * </ul>
 */
@ProviderType
public interface Consensus {

    CompletionStage<ApplyResult> propose(Command command);

    ConsensusStatus status();

    /**
     * Completes once this server has confirmed it is still the leader and has applied everything
     * committed before the call; used by {@code ?consistent} reads.
     */
    CompletionStage<Void> verifyLeader();
}
