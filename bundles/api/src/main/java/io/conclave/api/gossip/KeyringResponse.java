package io.conclave.api.gossip;

import java.util.Map;

/**
 * One pool's answer to a key query, Consul's {@code KeyringResponse}.
 *
 * @param wan        true for the WAN pool
 * @param keys       base64 key → how many members hold it ({@link KeyringOperation#LIST} only)
 * @param numNodes   members asked
 * @param numErr     members that answered with an error or not at all
 * @param messages   node → its error message
 */
public record KeyringResponse(boolean wan, String datacenter, Map<String, Integer> keys, int numNodes, int numErr,
                              Map<String, String> messages) {

    public KeyringResponse {
        keys = Map.copyOf(keys);
        messages = Map.copyOf(messages);
    }
}
