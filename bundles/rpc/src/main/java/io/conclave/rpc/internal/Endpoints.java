package io.conclave.rpc.internal;

import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.kv.KvEndpoint;

/**
 * The server's endpoints calls are dispatched to. Read per call, so an endpoint bundle can be replaced
 * while the RPC port stays open; a missing one fails the call with an {@link IllegalStateException}.
 */
interface Endpoints {

    KvEndpoint kv();

    CatalogEndpoint catalog();

    HealthEndpoint health();

    Consensus consensus();

    /** Fixed endpoints (tests, and a snapshot of the component's references). */
    static Endpoints of(KvEndpoint kv, CatalogEndpoint catalog, HealthEndpoint health, Consensus consensus) {
        return new Endpoints() {
            @Override
            public KvEndpoint kv() {
                return kv;
            }

            @Override
            public CatalogEndpoint catalog() {
                return catalog;
            }

            @Override
            public HealthEndpoint health() {
                return health;
            }

            @Override
            public Consensus consensus() {
                return consensus;
            }
        };
    }
}
