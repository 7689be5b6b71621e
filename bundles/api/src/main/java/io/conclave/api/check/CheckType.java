package io.conclave.api.check;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A health-check type, registered as an OSGi service with the property {@value #TYPE} naming the
 * type ({@code script}, {@code http}, {@code tcp}, {@code ttl}, or a custom name). The agent finds
 * types by that property (whiteboard), so a bundle that registers one adds a check type to a running
 * agent, and updating or removing the bundle leaves the agent's checks and their last status intact.
 *
 * <p>How a check definition picks its type: an explicit {@code type} key (Conclave's extension, for
 * custom types; the definition's other keys are then the type's parameters), else Consul's trigger
 * keys: {@code args}/{@code script} → script, {@code http} → http, {@code tcp} → tcp, {@code ttl} → ttl,
 * {@code grpc} → grpc, {@code h2ping} → h2ping, {@code udp} → udp, {@code docker_container_id} → docker,
 * {@code alias_node}/{@code alias_service} → alias.
 *
 * <p>Scheduling belongs to the agent: it calls {@link #run} every {@code interval} (for a type whose
 * {@value #SCHEDULE} property is {@code ttl}: once {@code ttl} has passed since the last update, the
 * type then reports the expiry), applies {@code success_before_passing} / {@code failures_before_*},
 * and times a run out after {@code timeout} itself.
 */
@ConsumerType
public interface CheckType {

    /** Service property: the type's name. */
    String TYPE = "conclave.check.type";

    /** Service property: {@code interval} (the default) or {@code ttl}. */
    String SCHEDULE = "conclave.check.schedule";

    /**
     * Checks a definition before the agent accepts it.
     *
     * @throws IllegalArgumentException naming the bad or missing parameter, worded for the operator
     */
    default void validate(CheckSpec spec) {
    }

    /**
     * Runs the check once. Must not block the calling thread for long: do I/O asynchronously (a
     * process's {@code onExit()}, an async HTTP client, an async socket) and complete the stage when
     * done. A stage that fails exceptionally counts as critical with the exception's message.
     */
    CompletionStage<CheckResult> run(CheckSpec spec);
}
