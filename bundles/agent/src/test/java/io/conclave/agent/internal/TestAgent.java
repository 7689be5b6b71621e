package io.conclave.agent.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.api.catalog.HealthCheck;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** An {@link AgentState} on a {@link FakeScheduler}, with a {@link FakeCatalog} to connect when a test wants one. */
final class TestAgent {

    static final String NODE = "node1";
    static final String NODE_ID = "2b1e7a3c-0000-4000-8000-000000000001";

    final FakeScheduler clock = new FakeScheduler();
    final FakeCatalog catalog = new FakeCatalog();
    final Map<String, Object> config = new HashMap<>();
    final AgentState state;

    TestAgent() {
        this(Map.of());
    }

    TestAgent(Map<String, Object> settings) {
        config.put("node_name", NODE);
        config.put("node_id", NODE_ID);
        config.putAll(settings);
        state = new AgentState(clock, AgentConfig.from(config, "unused"));
        state.applyConfig(AgentConfig.from(config, "unused"));
        state.start();
    }

    void connectCatalog() {
        synchronized (state) {
            state.antiEntropy.setEndpoints(catalog, catalog.health);
        }
        clock.runDue();
    }

    /** Applies {@code config} with {@code definitions} replaced, as a {@code @Modified} would. */
    void definitions(String json) {
        config.put("definitions", json);
        state.applyConfig(AgentConfig.from(config, "unused"));
    }

    void registerService(String json) {
        state.registerService(json(json), Source.REMOTE, false);
    }

    void registerCheck(String json) {
        state.registerCheck(json(json), Source.REMOTE);
    }

    HealthCheck check(String id) {
        HealthCheck c = state.checks().get(id);
        if (c == null) {
            throw new AssertionError("no check " + id + " in " + state.checks().keySet());
        }
        return c;
    }

    String status(String id) {
        return check(id).status();
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    void seconds(long s) {
        clock.advance(Duration.ofSeconds(s));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String json) {
        try {
            return new ObjectMapper().readValue(json, Map.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
