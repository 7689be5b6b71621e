package io.conclave.gossip.internal.swim;

/**
 * A message the core wants sent. {@code reliable} means the stream transport (TCP in memberlist:
 * push-pull and the TCP-fallback ping); otherwise a best-effort packet (UDP).
 */
public record Outgoing(String to, SwimMessage message, boolean reliable) {
}
