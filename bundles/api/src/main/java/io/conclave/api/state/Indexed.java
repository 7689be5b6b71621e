package io.conclave.api.state;

/**
 * A query result with the index a blocking client should send back to wait for a change.
 *
 * @param index the highest index among the rows (and tombstones) the query covered, or the
 *              table index when it covered none; may be 0 in an empty store (HTTP maps 0 to 1)
 */
public record Indexed<T>(long index, T value) {
}
