package io.conclave.api.query;

/**
 * What HTTP turns into {@code X-Consul-Index}, {@code X-Consul-KnownLeader} and {@code X-Consul-LastContact}.
 *
 * @param index             the result's index; never 0 (endpoints raise 0 to 1, as Consul does)
 * @param knownLeader       whether the answering server knew a leader
 * @param lastContactMillis how stale the answer may be, in milliseconds (0 from the leader)
 */
public record QueryMeta(long index, boolean knownLeader, long lastContactMillis) {
    public QueryMeta {
        if (index < 1) {
            index = 1;
        }
    }
}
