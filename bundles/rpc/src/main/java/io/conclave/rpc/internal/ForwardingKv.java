package io.conclave.rpc.internal;

import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A client agent's {@link KvEndpoint}: every call goes to a server. */
final class ForwardingKv implements KvEndpoint {

    private final RpcClient client;

    ForwardingKv(RpcClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<QueryResult<Optional<KvEntry>>> get(String key, QueryOptions options) {
        return client.call(Methods.KVS_GET, new Methods.NamedRead(key, options), options);
    }

    @Override
    public CompletionStage<QueryResult<List<KvEntry>>> list(String prefix, QueryOptions options) {
        return client.call(Methods.KVS_LIST, new Methods.NamedRead(prefix, options), options);
    }

    @Override
    public CompletionStage<QueryResult<List<String>>> keys(String prefix, String separator, QueryOptions options) {
        return client.call(Methods.KVS_KEYS, new Methods.KeysRead(prefix, separator, options), options);
    }

    @Override
    public CompletionStage<Boolean> apply(KvRequest request) {
        return client.call(Methods.KVS_APPLY, request, null);
    }
}
