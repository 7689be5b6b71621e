package io.conclave.http.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.agent.Member;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.kv.KvEndpoint;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** A dev-mode server agent: its own leader at 127.0.0.1:8300, one member, KV in a {@link FakeKv}. */
final class FakeAgent implements Agent {

    final FakeKv kv = new FakeKv();
    final CountDownLatch left = new CountDownLatch(1);
    volatile ConsensusStatus status = new ConsensusStatus("127.0.0.1:8300", List.of("127.0.0.1:8300"), true, 0);

    @Override
    public AgentIdentity identity() {
        return new AgentIdentity("dc1", "node-1", "0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", true, "1.9.0",
                "conclave", "127.0.0.1", "127.0.0.1", 8500, 8600, 8300, 8301, 8302);
    }

    @Override
    public KvEndpoint kv() {
        return kv;
    }

    final FakeCatalog catalog = new FakeCatalog();

    @Override
    public io.conclave.api.catalog.CatalogEndpoint catalog() {
        return catalog;
    }

    @Override
    public io.conclave.api.catalog.HealthEndpoint health() {
        return catalog.health;
    }

    @Override
    public ConsensusStatus status() {
        return status;
    }

    final FakeGossip gossip = new FakeGossip(self());

    @Override
    public List<Member> members(boolean wan) {
        return gossip.members(wan);
    }

    @Override
    public Member self() {
        return new Member("node-1", "127.0.0.1", 8301, Map.of("role", "consul", "dc", "dc1"), Member.STATUS_ALIVE,
                1, 5, 2, 2, 5, 4);
    }

    @Override
    public void leave() {
        left.countDown();
    }

    // ---- local state (FakeLocalState) ----

    final FakeLocalState local = new FakeLocalState();

    @Override
    public Map<String, io.conclave.api.catalog.NodeService> services() {
        return local.services();
    }

    @Override
    public java.util.Optional<io.conclave.api.catalog.NodeService> service(String id) {
        return local.service(id);
    }

    @Override
    public void registerService(Map<String, Object> definition, boolean replaceExistingChecks) {
        local.registerService(definition, replaceExistingChecks);
    }

    @Override
    public void deregisterService(String serviceId) {
        local.deregisterService(serviceId);
    }

    @Override
    public Map<String, io.conclave.api.catalog.HealthCheck> checks() {
        return local.checks();
    }

    @Override
    public void registerCheck(Map<String, Object> definition) {
        local.registerCheck(definition);
    }

    @Override
    public void deregisterCheck(String checkId) {
        local.deregisterCheck(checkId);
    }

    @Override
    public void updateCheck(String checkId, String status, String output) {
        local.updateCheck(checkId, status, output);
    }

    @Override
    public void setNodeMaintenance(boolean enable, String reason) {
        local.setNodeMaintenance(enable, reason);
    }

    @Override
    public void setServiceMaintenance(String serviceId, boolean enable, String reason) {
        local.setServiceMaintenance(serviceId, enable, reason);
    }

    @Override
    public List<String> checkTypes() {
        return List.of("http", "ttl");
    }

    @Override
    public void reload() {
        local.reload();
    }

    @Override
    public java.util.concurrent.CompletionStage<Integer> join(List<String> addresses, boolean wan) {
        return gossip.join(addresses, wan);
    }

    @Override
    public boolean forceLeave(String node, boolean prune, boolean wan) {
        return gossip.forceLeave(node, prune, wan);
    }

    @Override
    public io.conclave.api.gossip.UserEvent fireEvent(String name, byte[] payload, String nodeFilter,
                                                      String serviceFilter, String tagFilter) {
        return gossip.fire(name, payload, nodeFilter, serviceFilter, tagFilter);
    }

    @Override
    public java.util.concurrent.CompletionStage<io.conclave.api.query.QueryResult<List<io.conclave.api.gossip.UserEvent>>>
            events(String name, io.conclave.api.query.QueryOptions options) {
        return gossip.events(name, options);
    }

    @Override
    public java.util.concurrent.CompletionStage<List<io.conclave.api.gossip.KeyringResponse>> keyring(
            io.conclave.api.gossip.KeyringOperation operation, String key) {
        return gossip.keyring(operation, key);
    }
}
