package io.conclave.api.consensus;

/**
 * The outcome of a committed command.
 *
 * @param index    the log index the command was applied at
 * @param response what {@link io.conclave.api.state.StateMachine#apply} returned (e.g. {@code Boolean} for a KV CAS)
 */
public record ApplyResult(long index, Object response) {
}
