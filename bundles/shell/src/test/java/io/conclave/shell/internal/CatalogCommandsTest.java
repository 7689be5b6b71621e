package io.conclave.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conclave.api.agent.Agent;
import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryResult;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CatalogCommandsTest {

    private static final Node NODE = new Node("0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", "node1", "10.0.0.1", "dc1",
            Map.of(), Map.of(), 1, 1);
    private static final NodeService WEB = new NodeService("", "web-1", "web", List.of("java"), "", Map.of(), Map.of(),
            8080, null, false, 2, 2);

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (!answers.containsKey(m.getName())) {
                throw new UnsupportedOperationException(m.getName());
            }
            return CompletableFuture.completedFuture(new QueryResult<>(answers.get(m.getName()), new QueryMeta(5, true, 0)));
        });
    }

    private final HealthCheck critical = new HealthCheck("node1", "service:web-1", "Service 'web' check", Health.CRITICAL,
            "", "connection refused", "web-1", "web", List.of("java"), "http", CheckDefinition.EMPTY, 3, 3);
    private final CatalogEndpoint catalog = proxy(CatalogEndpoint.class,
            Map.of("nodes", List.of(NODE), "services", Map.of("consul", List.of(), "web", List.of("java"))));
    private final HealthEndpoint health = proxy(HealthEndpoint.class,
            Map.of("service", List.of(new CheckServiceNode(NODE, WEB, List.of(critical)))));
    private final Agent agent = (Agent) Proxy.newProxyInstance(Agent.class.getClassLoader(), new Class<?>[] {Agent.class},
            (p, m, a) -> switch (m.getName()) {
                case "catalog" -> catalog;
                case "health" -> health;
                default -> throw new UnsupportedOperationException(m.getName());
            });
    private final CatalogCommands commands = new CatalogCommands(agent);

    @Test
    void nodesShowTheShortIdLikeConsulCatalogNodes() throws Exception {
        assertEquals("Node   ID        Address   DC\nnode1  0b5e3e52  10.0.0.1  dc1", commands.nodes(List.of()));
    }

    @Test
    void servicesListTheirTags() throws Exception {
        String out = commands.services(List.of());
        assertEquals(3, out.lines().count(), out);
        assertEquals(true, out.lines().anyMatch(l -> l.matches("web\\s+java")), out);
    }

    @Test
    void serviceShowsEachInstanceWithItsAggregatedHealth() throws Exception {
        assertEquals("Node   ServiceID  Address   Port  Tags  Health\nnode1  web-1      10.0.0.1  8080  java  critical",
                commands.service(List.of("web")));
        assertThrows(IllegalArgumentException.class, () -> commands.service(List.of()));
    }
}
