package io.conclave.api.agent;

import java.util.Map;

/**
 * A gossip pool member, Consul's {@code AgentMember}.
 *
 * @param status Serf's member status: 0 none, 1 alive, 2 leaving, 3 left, 4 failed
 */
public record Member(String name, String addr, int port, Map<String, String> tags, int status,
                     int protocolMin, int protocolMax, int protocolCur,
                     int delegateMin, int delegateMax, int delegateCur) {

    public static final int STATUS_ALIVE = 1;

    public Member {
        tags = Map.copyOf(tags);
    }
}
