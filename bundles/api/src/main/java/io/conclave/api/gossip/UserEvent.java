package io.conclave.api.gossip;

/**
 * Consul's user event ({@code agent/user_event.go} {@code UserEvent}), as {@code /v1/event/fire} returns it and
 * {@code /v1/event/list} lists it. The filters are regular expressions; an empty one matches all.
 *
 * @param id      a UUID chosen by the agent that fired it
 * @param payload the body given to {@code /v1/event/fire} (null when there was none)
 * @param version the encoding version (Consul's {@code userEventMaxVersion}, 1)
 * @param ltime   the Serf Lamport time it was sent at (0 until it is sent)
 */
public record UserEvent(String id, String name, byte[] payload, String nodeFilter, String serviceFilter,
                        String tagFilter, int version, long ltime) {

    public static final int VERSION = 1;
}
