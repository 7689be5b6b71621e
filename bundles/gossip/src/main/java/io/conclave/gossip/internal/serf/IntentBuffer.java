package io.conclave.gossip.internal.serf;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * serf's {@code recentIntents}: join/leave intents for members memberlist has not reported yet.
 * Intents are broadcast by serf while memberlist's alive/dead messages travel separately, so a
 * leave intent routinely overtakes the join it refers to (a node that joins and leaves quickly, or
 * a push-pull that carries the intent before the node state). Only the newest intent per node is
 * kept, stamped with local time so the reaper can drop it after {@code recentIntentTimeout}.
 */
public final class IntentBuffer {

    public enum Kind { JOIN, LEAVE }

    public record Intent(Kind kind, long ltime, long stampedAtMillis) {}

    private final Map<String, Intent> intents = new HashMap<>();

    /** serf {@code upsertIntent}: true (rebroadcast) if this is newer than what is buffered for the node. */
    public boolean upsert(String node, Kind kind, long ltime, long nowMillis) {
        Intent old = intents.get(node);
        if (old == null || Long.compareUnsigned(ltime, old.ltime()) > 0) {
            intents.put(node, new Intent(kind, ltime, nowMillis));
            return true;
        }
        return false;
    }

    /** serf {@code recentIntent}: the buffered LTime if the node's newest intent is of this kind. */
    public OptionalLong recent(String node, Kind kind) {
        Intent i = intents.get(node);
        return i != null && i.kind() == kind ? OptionalLong.of(i.ltime()) : OptionalLong.empty();
    }

    /** serf {@code reapIntents}: drops intents stamped more than {@code timeout} ago. */
    public void reap(long nowMillis, long timeoutMillis) {
        intents.values().removeIf(i -> nowMillis - i.stampedAtMillis() > timeoutMillis);
    }

    public int size() {
        return intents.size();
    }
}
