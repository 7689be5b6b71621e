package io.conclave.store.internal;

import static io.conclave.store.internal.Catalog.check;
import static io.conclave.store.internal.Catalog.node;
import static io.conclave.store.internal.Catalog.service;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conclave.api.state.StoreView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The index each catalog read answers with, as agent/consul/state/catalog.go computes it. */
class CatalogIndexTest {

    private final Catalog c = Catalog.active();

    @AfterEach
    void stop() {
        c.close();
    }

    private StoreView v() {
        return c.view();
    }

    private long web() {
        return v().healthServiceNodes("web", List.of()).index();
    }

    @Test
    void anEmptyCatalogAnswersZero() {
        assertEquals(0, v().catalogNodes().index());
        assertEquals(0, v().catalogServices(Map.of()).index());
        assertEquals(0, v().catalogServiceNodes("web", List.of()).index());
        assertEquals(0, v().healthServiceNodes("web", List.of()).index());
        assertEquals(0, v().catalogNodeServices("n1").index());
        assertEquals(0, v().healthChecksInState("any", Map.of()).index());
    }

    @Test
    void aServiceIndexMovesOnlyWithItsOwnInstancesChecksAndNodes() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80));              // 1
        c.register(node("n2", "10.0.0.2"), service("db1", "db", 5432));              // 2
        assertEquals(1, web());
        assertEquals(1, v().catalogServiceNodes("web", List.of()).index());
        assertEquals(2, v().catalogServices(Map.of()).index(), "the services table moved");

        c.registerChecks(node("n2", "10.0.0.2"), check("n2", "db-check", "passing", "db1")); // 3
        assertEquals(1, web(), "a check of another service");
        c.registerChecks(node("n1", "10.0.0.1"), check("n1", "web-check", "passing", "web1")); // 4
        assertEquals(4, web(), "its own check");
        c.registerChecks(node("n1", "10.0.0.1"), check("n1", "serfHealth", "passing", "")); // 5
        assertEquals(5, web(), "a node-level check on its node");
        c.registerChecks(node("n2", "10.0.0.2"), check("n2", "serfHealth", "passing", "")); // 6
        assertEquals(5, web(), "a node-level check on another node");
        io.conclave.api.catalog.Node moved = node("n1", "10.0.0.9");
        c.register(moved, null);                                                      // 7
        assertEquals(7, web(), "its node changed");
        assertEquals(7, v().catalogNodes().index());
        c.registerChecks(moved, check("n1", "web-check", "passing", "web1"));        // 8: all the same again
        assertEquals(7, web(), "an unchanged check touches nothing");
    }

    @Test
    void checkReadsAnswerTheChecksTableIndex() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80), check("n1", "w", "passing", "web1")); // 1
        c.register(node("n2", "10.0.0.2"), service("db1", "db", 1), check("n2", "d", "passing", "db1"));     // 2
        assertEquals(2, v().healthNodeChecks("n1").index());
        assertEquals(2, v().healthServiceChecks("web", Map.of()).index());
        assertEquals(2, v().healthChecksInState("critical", Map.of()).index());
        assertEquals(1, v().healthServiceChecks("web", Map.of("x", "y")).index(), "with node meta: the service's index");
    }

    @Test
    void theLastInstanceGoingLeavesTheExtinctionIndexSoNoReaderGoesBackwards() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80)); // 1
        c.register(node("n1", "10.0.0.1"), service("db1", "db", 1));    // 2
        c.deregisterService("n1", "web1");                              // 3
        assertEquals(3, web());
        assertEquals(3, v().catalogServiceNodes("web", List.of()).index());
        assertEquals(3, v().catalogServiceNodes("never-existed", List.of()).index());
        c.register(node("n1", "10.0.0.1"), service("x1", "x", 1));      // 4
        assertEquals(3, web(), "still the extinction, not the catalog's");
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80)); // 5
        assertEquals(5, web());
    }

    @Test
    void aNodesServicesAnswerTheNodesOwnIndex() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80)); // 1
        c.register(node("n2", "10.0.0.2"), service("db1", "db", 1));    // 2
        assertEquals(1, v().catalogNodeServices("n1").index());
        c.registerChecks(node("n1", "10.0.0.1"), check("n1", "serfHealth", "passing", "")); // 3
        assertEquals(1, v().catalogNodeServices("n1").index(), "checks are not part of it");
        c.register(node("n1", "10.0.0.1"), service("api1", "api", 1)); // 4
        assertEquals(4, v().catalogNodeServices("n1").index());
        c.deregisterNode("n1");                                          // 5
        assertEquals(5, v().catalogNodeServices("n1").index(), "the node's extinction");
        assertEquals(5, v().catalogNodeServices("n3").index());
    }

    @Test
    void servicesWithNodeMetaAnswerTheLargerOfServicesAndNodes() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80)); // 1
        c.register(node("n2", "10.0.0.2"), null);                       // 2
        assertEquals(1, v().catalogServices(Map.of()).index());
        assertEquals(2, v().catalogServices(Map.of("k", "v")).index());
    }

    @Test
    void deletingANodeLevelCheckTouchesTheServicesTable() {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80), check("n1", "serfHealth", "passing", "")); // 1
        c.register(node("n2", "10.0.0.2"), null);                                                                 // 2
        c.deregisterCheck("n1", "serfHealth");                                                                    // 3
        assertEquals(3, v().catalogServices(Map.of()).index());
        assertEquals(3, web());
    }

    @Test
    void kvAndCatalogIndexesAreSeparate() {
        Kv kv = new Kv(c.store);
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80)); // 1
        kv.index = c.index;
        kv.set("k", "v");                                               // 2
        c.index = kv.index;
        assertEquals(1, v().catalogNodes().index());
        assertEquals(1, web());
        assertEquals(2, v().kvGet("k").index());
        assertEquals(2, v().kvList("").index());
    }
}
