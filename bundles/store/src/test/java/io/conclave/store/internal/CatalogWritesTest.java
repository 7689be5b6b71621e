package io.conclave.store.internal;

import static io.conclave.store.internal.Catalog.check;
import static io.conclave.store.internal.Catalog.node;
import static io.conclave.store.internal.Catalog.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.catalog.Weights;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Consul's ensureRegistrationTxn and delete*Txn semantics, one rule per test. */
class CatalogWritesTest {

    private final Catalog c = Catalog.active();

    @AfterEach
    void stop() {
        c.close();
    }

    private static List<String> checkIds(List<HealthCheck> checks) {
        return checks.stream().map(HealthCheck::checkId).toList();
    }

    @Test
    void registerWritesNodeServiceAndChecksInOneIndex() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80, "java"),
                check("n1", "service:web1", "passing", "web1"), check("n1", "serfHealth", "passing", ""));
        Node n = c.view().catalogNodes().value().get(0);
        assertEquals("n1", n.node());
        assertEquals(1, n.createIndex());
        assertEquals(1, n.modifyIndex());
        ServiceInstance web = c.view().catalogServiceNodes("web", List.of()).value().get(0);
        assertEquals("web1", web.service().id());
        assertEquals(1, web.service().createIndex());
        assertEquals("10.0.0.1", web.node().address());
        List<HealthCheck> checks = c.view().healthNodeChecks("n1").value();
        assertEquals(List.of("serfHealth", "service:web1"), checkIds(checks));
        assertEquals(Map.of("web", List.of("java")), c.view().catalogServices(Map.of()).value());
    }

    @Test
    void checkForAnUnknownServiceFailsTheWholeRequest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.register(node("n1", "10.0.0.1"), null, check("n1", "c1", "passing", "nope")));
        assertEquals("failed inserting check: Missing service registration", e.getMessage());
        assertTrue(c.view().catalogNodes().value().isEmpty(), "the node was not written either");
        assertEquals(1, c.store.lastIndex(), "the failed command still consumed its index");
    }

    @Test
    void checkOnAnotherNodeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.register(node("n1", "10.0.0.1"), null, check("n2", "c1", "passing", "")));
        assertEquals("check node \"n2\" does not match node \"n1\"", e.getMessage());
    }

    @Test
    void checksDefaultToCriticalAndTakeTheServiceNameAndTags() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80, "a", "b"));
        HealthCheck bare = new HealthCheck("n1", "c1", "c1", "", "", "", "web1", "ignored", List.of("x"), "", null, 0, 0);
        c.registerChecks(node("n1", "10.0.0.1"), bare);
        HealthCheck stored = c.view().healthNodeChecks("n1").value().get(0);
        assertEquals("critical", stored.status());
        assertEquals("web", stored.serviceName());
        assertEquals(List.of("a", "b"), stored.serviceTags());
    }

    @Test
    void namesAndIdsAreCaseInsensitiveAndTheLatestSpellingWins() {
        c.register(node("Node-A", "10.0.0.1"), service("WEB-1", "Web", 80));
        assertEquals(1, c.view().catalogServiceNodes("web", List.of()).value().size());
        assertTrue(c.view().catalogNodeServices("node-a").value().isPresent());
        c.register(node("node-a", "10.0.0.1"), service("web-1", "Web", 80));
        assertEquals(1, c.view().catalogNodes().value().size());
        assertEquals("node-a", c.view().catalogNodes().value().get(0).node());
        NodeServices ns = c.view().catalogNodeServices("NODE-A").value().orElseThrow();
        assertEquals(List.of("web-1"), List.copyOf(ns.services().keySet()));
    }

    @Test
    void reRegisteringTheSameThingChangesNothing() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80), check("n1", "c1", "passing", "web1"));
        long before = c.view().catalogServiceNodes("web", List.of()).index();
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80), check("n1", "c1", "passing", "web1"));
        assertEquals(before, c.view().catalogServiceNodes("web", List.of()).index());
        assertEquals(1, c.view().catalogNodes().index());
        assertEquals(1, c.view().healthNodeChecks("n1").index());
        assertEquals(1, c.view().healthNodeChecks("n1").value().get(0).modifyIndex());
        assertEquals(2, c.store.lastIndex());
    }

    @Test
    void aChangedServiceKeepsItsCreateIndex() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80));
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 81));
        NodeService s = c.view().catalogServiceNodes("web", List.of()).value().get(0).service();
        assertEquals(81, s.port());
        assertEquals(1, s.createIndex());
        assertEquals(2, s.modifyIndex());
        assertEquals(1, c.view().catalogNodes().value().get(0).modifyIndex(), "the node did not change");
    }

    @Test
    void skipNodeUpdateLeavesAnExistingNodeButCreatesAMissingOne() {
        c.apply(new RegisterRequest(node("n1", "10.0.0.9"), service("a", "a", 1), List.of(), true));
        assertEquals("10.0.0.9", c.view().catalogNodes().value().get(0).address(), "created");
        c.apply(new RegisterRequest(node("n1", "10.0.0.1"), service("b", "b", 1), List.of(), true));
        assertEquals("10.0.0.9", c.view().catalogNodes().value().get(0).address(), "left alone");
        assertEquals(2, c.view().catalogNodeServices("n1").value().orElseThrow().services().size());
    }

    @Test
    void invalidWeightsBecomeOneOne() {
        NodeService s = new NodeService("", "w", "w", List.of(), "", Map.of(), Map.of(), 1, new Weights(0, 5), false, 0, 0);
        c.register(node("n1", "10.0.0.1"), s);
        assertEquals(Weights.DEFAULT, c.view().catalogServiceNodes("w", List.of()).value().get(0).service().weights());
    }

    @Test
    void serviceMetaIsValidatedAsConsulDoes() {
        NodeService bad = new NodeService("", "w", "w", List.of(), "", Map.of(), Map.of("consul-x", "1"), 1,
                Weights.DEFAULT, false, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.register(node("n1", "10.0.0.1"), bad));
        assertEquals("failed inserting service: Invalid Service Meta for node n1 and serviceID w: Couldn't load metadata "
                + "pair ('consul-x', '1'): Key prefix 'consul-' is reserved for internal use", e.getMessage());
        NodeService badKey = new NodeService("", "w", "w", List.of(), "", Map.of(), Map.of("a b", "1"), 1,
                Weights.DEFAULT, false, 0, 0);
        e = assertThrows(IllegalArgumentException.class, () -> c.register(node("n1", "10.0.0.1"), badKey));
        assertTrue(e.getMessage().endsWith("Key contains invalid characters"), e.getMessage());
    }

    @Test
    void deregisteringAServiceRemovesItsChecksOnly() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80),
                check("n1", "c-web", "passing", "web1"), check("n1", "serfHealth", "passing", ""));
        c.register(node("n1", "10.0.0.1"), service("db1", "db", 5432), check("n1", "c-db", "passing", "db1"));
        c.deregisterService("n1", "WEB1");
        assertEquals(List.of("c-db", "serfHealth"), checkIds(c.view().healthNodeChecks("n1").value()));
        assertEquals(Map.of("db", List.of()), c.view().catalogServices(Map.of()).value());
    }

    @Test
    void deregisteringACheckLeavesTheRest() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80),
                check("n1", "c-web", "passing", "web1"), check("n1", "serfHealth", "passing", ""));
        c.deregisterCheck("n1", "serfhealth");
        assertEquals(List.of("c-web"), checkIds(c.view().healthNodeChecks("n1").value()));
        assertEquals(1, c.view().catalogServiceNodes("web", List.of()).value().size());
    }

    @Test
    void aServiceIdWinsOverACheckIdWhenDeregistering() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80), check("n1", "serfHealth", "passing", ""));
        c.apply(new DeregisterRequest("n1", "web1", "serfHealth"));
        assertTrue(c.view().catalogServiceNodes("web", List.of()).value().isEmpty());
        assertEquals(List.of("serfHealth"), checkIds(c.view().healthNodeChecks("n1").value()));
    }

    @Test
    void deregisteringANodeRemovesItsServicesAndChecks() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80),
                check("n1", "c-web", "passing", "web1"), check("n1", "serfHealth", "passing", ""));
        c.register(node("n2", "10.0.0.2"), service("web2", "web", 80));
        c.deregisterNode("N1");
        assertEquals(List.of("n2"), c.view().catalogNodes().value().stream().map(Node::node).toList());
        assertTrue(c.view().healthNodeChecks("n1").value().isEmpty());
        assertEquals(1, c.view().catalogServiceNodes("web", List.of()).value().size());
        assertTrue(c.view().catalogNodeServices("n1").value().isEmpty());
        c.deregisterNode("nobody");
    }

    @Test
    void aNodeIdFollowsARenameAndItsOldNameGoes() {
        String id = "0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11";
        c.register(node(id, "old", "10.0.0.1", Map.of()), service("web1", "web", 80));
        c.register(node(id, "new", "10.0.0.1", Map.of()), null);
        assertEquals(List.of("new"), c.view().catalogNodes().value().stream().map(Node::node).toList());
        assertEquals(1, c.view().catalogNodes().value().get(0).createIndex(), "the node kept its CreateIndex");
        assertTrue(c.view().catalogServiceNodes("web", List.of()).value().isEmpty(), "its old name's services went");
    }

    @Test
    void aLiveNodeReservesItsNameAgainstAnotherId() {
        c.register(node("aaaaaaaa-8b63-4c43-9d31-6c2f1a0e0c11", "n1", "10.0.0.1", Map.of()), null,
                check("n1", "serfHealth", "passing", ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                c.register(node("bbbbbbbb-8b63-4c43-9d31-6c2f1a0e0c11", "N1", "10.0.0.2", Map.of()), null));
        assertEquals("failed inserting node: Error while renaming Node ID: \"bbbbbbbb-8b63-4c43-9d31-6c2f1a0e0c11\": "
                + "Node name N1 is reserved by node aaaaaaaa-8b63-4c43-9d31-6c2f1a0e0c11 with name n1 (10.0.0.1)",
                e.getMessage());
        // Once its serfHealth is critical the name may be taken.
        c.register(node("aaaaaaaa-8b63-4c43-9d31-6c2f1a0e0c11", "n1", "10.0.0.1", Map.of()), null,
                check("n1", "serfHealth", "critical", ""));
        c.register(node("bbbbbbbb-8b63-4c43-9d31-6c2f1a0e0c11", "N1", "10.0.0.2", Map.of()), null);
        assertEquals("10.0.0.2", c.view().catalogNodes().value().get(0).address());
    }

    @Test
    void tagFiltersAreAndAndCaseInsensitive() {
        c.register(node("n1", "10.0.0.1"), service("a", "web", 1, "Primary", "v1"));
        c.register(node("n1", "10.0.0.1"), service("b", "web", 2, "primary"));
        c.register(node("n2", "10.0.0.2"), service("c", "web", 3, "v1"));
        assertEquals(List.of("a", "b"), ids(c.view().catalogServiceNodes("web", List.of("PRIMARY")).value()));
        assertEquals(List.of("a"), ids(c.view().catalogServiceNodes("web", List.of("primary", "v1")).value()));
        assertEquals(List.of("a", "b", "c"), ids(c.view().catalogServiceNodes("WEB", List.of()).value()));
        assertEquals(List.of("a"), c.view().healthServiceNodes("web", List.of("v1", "Primary")).value().stream()
                .map(x -> x.service().id()).toList());
    }

    private static List<String> ids(List<ServiceInstance> l) {
        return l.stream().map(i -> i.service().id()).toList();
    }

    @Test
    void healthServiceNodesListNodeChecksFirst() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80),
                check("n1", "a-service-check", "passing", "web1"), check("n1", "z-node-check", "warning", ""));
        c.register(node("n1", "10.0.0.1"), service("db1", "db", 1), check("n1", "db-check", "critical", "db1"));
        CheckServiceNode web = c.view().healthServiceNodes("web", List.of()).value().get(0);
        assertEquals(List.of("z-node-check", "a-service-check"), checkIds(web.checks()));
        assertTrue(c.view().healthServiceNodes("nothing", List.of()).value().isEmpty());
    }

    @Test
    void checksByStateServiceAndAny() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80),
                check("n1", "w", "passing", "web1"), check("n1", "serfHealth", "critical", ""));
        c.register(node("n2", "10.0.0.2"), service("web2", "web", 80), check("n2", "w", "critical", "web2"));
        assertEquals(List.of("serfHealth", "w"), checkIds(c.view().healthChecksInState("critical", Map.of()).value()));
        assertEquals(List.of("w"), checkIds(c.view().healthChecksInState("passing", Map.of()).value()));
        assertEquals(3, c.view().healthChecksInState("any", Map.of()).value().size());
        assertTrue(c.view().healthChecksInState("Critical", Map.of()).value().isEmpty(), "statuses match exactly");
        assertEquals(2, c.view().healthServiceChecks("WEB", Map.of()).value().size());
    }

    @Test
    void nodeMetaFiltersKeepNodesWithEveryPair() {
        c.register(node("", "n1", "10.0.0.1", Map.of("rack", "a", "os", "linux")), service("web1", "web", 80, "x"),
                check("n1", "w", "passing", "web1"));
        c.register(node("", "n2", "10.0.0.2", Map.of("rack", "b")), service("db1", "db", 1), check("n2", "d", "passing", "db1"));
        assertEquals(Map.of("web", List.of("x")), c.view().catalogServices(Map.of("rack", "a")).value());
        assertEquals(Map.of(), c.view().catalogServices(Map.of("rack", "a", "os", "bsd")).value());
        assertEquals(List.of("d"), checkIds(c.view().healthChecksInState("passing", Map.of("rack", "b")).value()));
        assertTrue(c.view().healthServiceChecks("web", Map.of("rack", "b")).value().isEmpty());
    }

    @Test
    void servicesListsTheUnionOfTagsSorted() {
        c.register(node("n1", "10.0.0.1"), service("a", "web", 1, "z", "java"));
        c.register(node("n2", "10.0.0.2"), service("b", "web", 1, "java", "b"));
        c.register(node("n2", "10.0.0.2"), service("consul", "consul", 8300));
        assertEquals(Map.of("consul", List.of(), "web", List.of("b", "java", "z")), c.view().catalogServices(Map.of()).value());
        assertEquals(List.of("consul", "web"), List.copyOf(c.view().catalogServices(Map.of()).value().keySet()));
    }

    @Test
    void aNodeIsFoundByAUniquePrefixOfItsId() {
        c.register(node("0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", "n1", "10.0.0.1", Map.of()), null);
        c.register(node("0b5e9999-8b63-4c43-9d31-6c2f1a0e0c11", "n2", "10.0.0.2", Map.of()), null);
        assertEquals("n1", c.view().catalogNodeServices("0B5E3E52").value().orElseThrow().node().node());
        assertEquals("n1", c.view().catalogNodeServices("0b5e3e5").value().orElseThrow().node().node(), "odd length cut");
        assertFalse(c.view().catalogNodeServices("0b5e").value().isPresent(), "ambiguous");
        assertFalse(c.view().catalogNodeServices("x").value().isPresent());
    }

    @Test
    void aServiceRenamedInPlaceLeavesItsOldName() {
        c.register(node("n1", "10.0.0.1"), service("s1", "old", 1));
        c.register(node("n1", "10.0.0.1"), service("s1", "new", 1));
        assertTrue(c.view().catalogServiceNodes("old", List.of()).value().isEmpty());
        assertEquals(2, c.view().catalogServiceNodes("old", List.of()).index(), "the old name's extinction index");
        assertEquals(Map.of("new", List.of()), c.view().catalogServices(Map.of()).value());
    }
}
