package io.conclave.api.query;

/** A read endpoint's answer and its metadata. */
public record QueryResult<T>(T value, QueryMeta meta) {
}
