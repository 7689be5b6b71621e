package io.conclave.api.kv;

import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Consul's KVS endpoint: reads from the state store (blocking per {@link QueryOptions}) and writes
 * through consensus. Stages never complete on the caller's thread while a query is parked.
 */
@ProviderType
public interface KvEndpoint {

    CompletionStage<QueryResult<Optional<KvEntry>>> get(String key, QueryOptions options);

    /** Recursive list under a prefix; an empty list means 404 to HTTP callers. */
    CompletionStage<QueryResult<List<KvEntry>>> list(String prefix, QueryOptions options);

    CompletionStage<QueryResult<List<String>>> keys(String prefix, String separator, QueryOptions options);

    /**
     * Applies a write. {@code true} when it took effect; {@code false} when a CAS index did not match
     * (or a lock could not be taken).
     */
    CompletionStage<Boolean> apply(KvRequest request);
}
