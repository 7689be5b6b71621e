package io.conclave.api.gossip;

/** Receives a pool's incoming streams; it owns the stream and must close it. */
@FunctionalInterface
public interface StreamHandler {
    void onStream(GossipStream stream);
}
