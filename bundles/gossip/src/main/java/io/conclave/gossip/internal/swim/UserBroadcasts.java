package io.conclave.gossip.internal.swim;

import java.util.List;

/**
 * memberlist's {@code Delegate.GetBroadcasts}: the layer above (serf) offers its own queued messages
 * to fill the room left in each packet after the core's membership updates.
 */
@FunctionalInterface
public interface UserBroadcasts {

    /** Up to {@code limit} bytes of messages, each costing its length plus {@code overhead}. */
    List<SwimMessage.User> take(int overhead, int limit);

    UserBroadcasts NONE = (overhead, limit) -> List.of();
}
