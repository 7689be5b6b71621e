package io.conclave.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.Health;
import io.conclave.api.check.CheckType;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

/** The component's whiteboard and endpoint bindings, on its real scheduler. */
class LocalAgentTest {

    private final LocalAgent agent = new LocalAgent();

    @AfterEach
    void stop() {
        agent.deactivate();
    }

    /** A service reference with a type name and a ranking, ordered as the framework orders them. */
    @SuppressWarnings("unchecked")
    private static ServiceReference<CheckType> ref(String type, int ranking, long id) {
        Dictionary<String, Object> props = new Hashtable<>(Map.of(CheckType.TYPE, type, "service.ranking", ranking,
                "service.id", id));
        return (ServiceReference<CheckType>) Proxy.newProxyInstance(LocalAgentTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> props.get((String) args[0]);
                    case "compareTo" -> {
                        ServiceReference<?> other = (ServiceReference<?>) args[0];
                        int r = Integer.compare(ranking, (Integer) other.getProperty("service.ranking"));
                        yield r != 0 ? r : Long.compare((Long) other.getProperty("service.id"), id);
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "ref " + type + " " + ranking;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void theHighestRankedProviderServesAndTheNextTakesOver() throws Exception {
        agent.activate(Map.of("node_name", "n1", "check_update_interval", "0s"));
        FakeType low = FakeType.answering(Health.WARNING, "low");
        FakeType high = FakeType.answering(Health.PASSING, "high");
        ServiceReference<CheckType> lowRef = ref("tcp", 0, 1);
        ServiceReference<CheckType> highRef = ref("tcp", 10, 2);
        agent.addCheckType(lowRef, low);
        agent.addCheckType(highRef, high);
        assertEquals(List.of("tcp"), agent.state().checkTypes());

        agent.state().registerCheck(Map.of("name", "db", "tcp", "h:1", "interval", "1s"), Source.REMOTE);
        await("the high-ranked type to run", () -> high.runs() > 0);
        assertEquals(0, low.runs());
        await("its answer", () -> agent.state().checks().get("db").output().equals("high"));

        agent.removeCheckType(highRef, high);
        await("the next type to run", () -> low.runs() > 0);
        await("its answer", () -> agent.state().checks().get("db").output().equals("low"));

        agent.removeCheckType(lowRef, low);
        assertTrue(agent.state().checkTypes().isEmpty());
        assertEquals(-1, agent.state().nextRunNanos("db"), "no provider, nothing scheduled");
        assertEquals(Health.WARNING, agent.state().checks().get("db").status(), "and the last status kept");
    }

    @Test
    void aTypeServiceWithoutItsNameIsIgnored() {
        agent.activate(Map.of());
        @SuppressWarnings("unchecked")
        ServiceReference<CheckType> nameless = (ServiceReference<CheckType>) Proxy.newProxyInstance(
                LocalAgentTest.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> method.getName().equals("getProperty") ? null : 0);
        agent.addCheckType(nameless, new FakeType());
        assertTrue(agent.state().checkTypes().isEmpty());
    }

    @Test
    void theCatalogArrivingStartsAntiEntropy() throws Exception {
        agent.activate(Map.of("node_name", "n1"));
        agent.state().registerService(Map.of("name", "web"), Source.REMOTE, false);
        FakeCatalog catalog = new FakeCatalog();
        agent.setCatalog(catalog);
        agent.setHealth(catalog.health);
        await("the service in the catalog", () -> catalog.servicesOf("n1").containsKey("web"));
        agent.unsetCatalog(catalog);
        agent.state().registerService(Map.of("name", "api"), Source.REMOTE, false);
        agent.setCatalog(catalog);
        await("the change once it is back", () -> catalog.servicesOf("n1").containsKey("api"));
    }
}
