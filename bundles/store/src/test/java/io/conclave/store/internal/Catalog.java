package io.conclave.store.internal;

import io.conclave.api.catalog.CatalogCommands;
import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.Weights;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.state.StoreView;
import java.util.List;
import java.util.Map;

/** A store plus a raft index counter for catalog tests: each write applies at the next index. */
final class Catalog {

    final ConclaveStateStore store;
    long index;

    Catalog(ConclaveStateStore store) {
        this.store = store;
        this.index = store.lastIndex();
    }

    static Catalog active() {
        ConclaveStateStore s = new ConclaveStateStore();
        s.activate();
        return new Catalog(s);
    }

    StoreView view() {
        return store.view();
    }

    static Node node(String name, String address) {
        return new Node("", name, address, "dc1", Map.of("lan", address), Map.of(), 0, 0);
    }

    static Node node(String id, String name, String address, Map<String, String> meta) {
        return new Node(id, name, address, "dc1", Map.of(), meta, 0, 0);
    }

    static NodeService service(String id, String name, int port, String... tags) {
        return new NodeService("", id, name, List.of(tags), "", Map.of(), Map.of(), port, Weights.DEFAULT, false, 0, 0);
    }

    static HealthCheck check(String node, String id, String status, String serviceId) {
        return new HealthCheck(node, id, id + " check", status, "", "", serviceId, "", List.of(), "ttl",
                CheckDefinition.EMPTY, 0, 0);
    }

    Object apply(RegisterRequest r) {
        return store.apply(++index, Command.of(MessageType.REGISTER, CatalogCommands.encode(r)));
    }

    Object apply(DeregisterRequest r) {
        return store.apply(++index, Command.of(MessageType.DEREGISTER, CatalogCommands.encode(r)));
    }

    void register(Node node, NodeService service, HealthCheck... checks) {
        apply(new RegisterRequest(node, service, List.of(checks), false));
    }

    void registerChecks(Node node, HealthCheck... checks) {
        apply(new RegisterRequest(node, null, List.of(checks), false));
    }

    void deregisterNode(String node) {
        apply(new DeregisterRequest(node, null, null));
    }

    void deregisterService(String node, String serviceId) {
        apply(new DeregisterRequest(node, serviceId, null));
    }

    void deregisterCheck(String node, String checkId) {
        apply(new DeregisterRequest(node, null, checkId));
    }

    void close() {
        store.deactivate();
    }
}
