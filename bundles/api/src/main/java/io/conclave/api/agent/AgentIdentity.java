package io.conclave.api.agent;

/**
 * Who this agent is, as {@code /v1/agent/self} reports it under {@code Config}.
 *
 * @param advertiseAddr the address other agents reach this one at (server RPC, gossip)
 * @param clientAddr    the address HTTP and DNS listen on
 */
public record AgentIdentity(String datacenter, String nodeName, String nodeId, boolean server, String version,
                            String revision, String advertiseAddr, String clientAddr, int httpPort, int dnsPort,
                            int serverPort, int serfLanPort, int serfWanPort) {
}
