package io.conclave.launcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code conclave watch}: parameters, the blocking loop, handlers and retries, against a fake agent. */
class WatchCommandTest {

    @RegisterExtension
    final FakeAgent agent = new FakeAgent();

    @TempDir
    Path dir;

    private int watch(String... args) {
        WatchCommand c = new WatchCommand(agent.ui(), agent.env(), Duration.ofMillis(1));
        agent.requests.clear();
        return c.run(List.of(args));
    }

    @Test
    void parametersAreCheckedAsConsulsWatchParseChecksThem() {
        assertEquals(1, watch());
        assertTrue(agent.err().startsWith("Watch type must be specified\n\nUsage: conclave watch"), agent.err());
        assertEquals(1, watch("-type", "key"));
        assertEquals("Must specify a single key to watch\n", agent.err());
        assertEquals(1, watch("-type", "keyprefix"));
        assertEquals("Must specify a single prefix to watch\n", agent.err());
        assertEquals(1, watch("-type", "service"));
        assertEquals("Must specify a single service to watch\n", agent.err());
        assertEquals(1, watch("-type", "checks", "-service", "web", "-state", "critical"));
        assertEquals("Cannot specify service and state\n", agent.err());
        assertEquals(1, watch("-type", "key", "-key", "a", "-prefix", "b", "-name", "c"));
        assertEquals("Invalid parameters: [prefix name]\n", agent.err());
        assertEquals(1, watch("-type", "event", "-stale"));
        assertEquals("Invalid parameters: [stale]\n", agent.err());
        assertEquals(1, watch("-type", "members"));
        assertEquals("Unsupported watch type: members\n", agent.err());
        assertEquals(1, watch("-type", "service", "-service", "web", "-passingonly", "yes"));
        assertEquals("Failed to parse passingonly flag: strconv.ParseBool: parsing \"yes\": invalid syntax\n",
                agent.err());
        assertEquals(List.of(), agent.requests);
    }

    @Test
    void withoutAHandlerTheFirstResultIsPrintedAndTheWatchEnds() {
        agent.answer("GET /v1/kv/app/color", 200,
                "[{\"LockIndex\":0,\"Key\":\"app/color\",\"Flags\":0,\"Value\":\"Ymx1ZQ==\",\"CreateIndex\":12,"
                        + "\"ModifyIndex\":12}]", 12);
        assertEquals(0, watch("-type", "key", "-key", "app/color"));
        assertEquals("""
                {
                    "LockIndex": 0,
                    "Key": "app/color",
                    "Flags": 0,
                    "Value": "Ymx1ZQ==",
                    "CreateIndex": 12,
                    "ModifyIndex": 12
                }
                """, agent.out());
        assertEquals(List.of("GET /v1/agent/self", "GET /v1/kv/app/color"), agent.requests);

        agent.answer("GET /v1/kv/missing", 404, "", 13);
        assertEquals(0, watch("-type", "key", "-key", "missing", "-stale"));
        assertEquals("null\n", agent.out());
        assertEquals("GET /v1/kv/missing?stale", agent.requests.get(1));
    }

    @Test
    void eachTypeQueriesItsEndpoint() {
        agent.answer("GET /v1/catalog/services", 200, "{\"consul\":[]}", 3);
        agent.answer("GET /v1/catalog/nodes", 200, "[]", 3);
        agent.answer("GET /v1/health/service/web", 200, "[]", 3);
        agent.answer("GET /v1/health/state/any", 200, "[]", 3);
        agent.answer("GET /v1/health/state/critical", 200, "[]", 3);
        agent.answer("GET /v1/health/checks/web", 200, "[]", 3);
        agent.answer("GET /v1/kv/app/", 200, "[]", 3);
        agent.answer("GET /v1/event/list", 200, "[]", 3);
        String[][] cases = {
            {"GET /v1/catalog/services", "-type=services"},
            {"GET /v1/catalog/nodes", "-type=nodes"},
            {"GET /v1/health/service/web?tag=v1&passing=1", "-type=service", "-service=web", "-tag=v1",
                "-passingonly=true"},
            {"GET /v1/health/state/any", "-type=checks"},
            {"GET /v1/health/state/critical", "-type=checks", "-state=critical"},
            {"GET /v1/health/checks/web", "-type=checks", "-service=web"},
            {"GET /v1/kv/app/?recurse", "-type=keyprefix", "-prefix=app/"},
            {"GET /v1/event/list?name=deploy", "-type=event", "-name=deploy"},
        };
        for (String[] c : cases) {
            assertEquals(0, watch(List.of(c).subList(1, c.length).toArray(new String[0])), String.join(" ", c));
            assertEquals(c[0], agent.requests.get(1));
        }
    }

    @Test
    void aHandlerRunsOnEveryChangeWithTheResultOnStdinAndTheIndexInItsEnvironment() throws Exception {
        agent.answer("GET /v1/catalog/nodes", 200, "[{\"Node\":\"a\"}]", 5)    // first answer: handed over
                .answer("GET /v1/catalog/nodes", 200, "[{\"Node\":\"a\"}]", 5) // the wait ended, no change
                .answer("GET /v1/catalog/nodes", 200, "[{\"Node\":\"a\"}]", 6) // index moved, data did not
                .answer("GET /v1/catalog/nodes", 200, "[{\"Node\":\"a\"},{\"Node\":\"b\"}]", 7)
                .answer("GET /v1/catalog/nodes", 200, "[{\"Node\":\"b\"}]", 8);
        String handler = "cat > " + dir + "/nodes-$CONSUL_INDEX.json; echo handled $CONSUL_INDEX; "
                + "test $CONSUL_INDEX -lt 8";
        assertEquals(1, watch("-type", "nodes", handler));
        assertEquals(List.of("GET /v1/agent/self", "GET /v1/catalog/nodes", "GET /v1/catalog/nodes?index=5",
                "GET /v1/catalog/nodes?index=5", "GET /v1/catalog/nodes?index=6", "GET /v1/catalog/nodes?index=7"),
                agent.requests);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("nodes-5.json", "nodes-7.json", "nodes-8.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("[{\"Node\":\"a\"}]\n", Files.readString(dir.resolve("nodes-5.json")));
        assertEquals("[{\"Node\":\"a\"},{\"Node\":\"b\"}]\n", Files.readString(dir.resolve("nodes-7.json")));
        assertEquals("handled 5\nhandled 7\nhandled 8\n", agent.out());
        assertEquals("Error executing handler: exit status 1\n", agent.err());
    }

    @Test
    void withoutShellTheHandlerRunsAsGiven() throws Exception {
        agent.answer("GET /v1/catalog/services", 200, "{\"web\":[\"v1\"]}", 4)
                .answer("GET /v1/catalog/services", 200, "{}", 9);
        assertEquals(1, watch("-type", "services", "-shell=false", "sh", "-c",
                "cat > " + dir + "/in-$CONSUL_INDEX; test $CONSUL_INDEX = 4"));
        assertEquals("{\"web\":[\"v1\"]}\n", Files.readString(dir.resolve("in-4")));
        assertEquals(1, watch("-type", "services", "-shell=false", dir.resolve("no-such-handler").toString()));
        assertTrue(agent.err().startsWith("Error starting handler: "), agent.err());
    }

    @Test
    void failedQueriesAreRetriedWithBackoffAndTheNextAnswerIsHandedOver() {
        agent.answer("GET /v1/catalog/nodes", 500, "No cluster leader", 0)
                .answer("GET /v1/catalog/nodes", 500, "No cluster leader", 0)
                .answer("GET /v1/catalog/nodes", 200, "[]", 21);
        assertEquals(0, watch("-type", "nodes"));
        assertEquals("[]\n", agent.out());
        String[] errors = agent.err().split("\n");
        assertEquals(2, errors.length, agent.err());
        assertTrue(errors[0].endsWith(" [ERROR] watch: Watch errored: type=nodes error=\"Unexpected response code: "
                + "500 (No cluster leader)\" retry=1ms"), errors[0]);
        assertTrue(errors[1].endsWith("retry=4ms"), errors[1]);

        WatchCommand c = new WatchCommand(agent.ui(), agent.env());
        assertEquals(Duration.ofSeconds(5), c.backoff(1));
        assertEquals(Duration.ofSeconds(45), c.backoff(3));
        assertEquals(Duration.ofSeconds(180), c.backoff(7));
    }

    @Test
    void anEventWatchHandsOverOnlyTheEventsAfterTheLastIndex() throws Exception {
        String e1 = "{\"ID\":\"b54fe110-7af5-cafc-d1fb-afc8ba432b1c\",\"Name\":\"deploy\",\"LTime\":1}";
        String e2 = "{\"ID\":\"0ce2fbda-0b32-45a5-1d57-28a3e7d9b5b4\",\"Name\":\"deploy\",\"LTime\":2}";
        long i1 = WatchCommand.idToIndex("b54fe110-7af5-cafc-d1fb-afc8ba432b1c");
        long i2 = WatchCommand.idToIndex("0ce2fbda-0b32-45a5-1d57-28a3e7d9b5b4");
        assertEquals(0xb54fe1107af5cafcL ^ 0xd1fbafc8ba432b1cL, i1);
        agent.answer("GET /v1/event/list", 200, "[" + e1 + "]", i1)
                .answer("GET /v1/event/list", 200, "[" + e1 + "," + e2 + "]", i2);
        String handler = "cat > " + dir + "/ev-$CONSUL_INDEX.json; test -z \"$(ls " + dir + " | sed -n 2p)\"";
        assertEquals(1, watch("-type", "event", "-name", "deploy", handler));
        assertEquals("[" + e1 + "]\n", Files.readString(dir.resolve("ev-" + Long.toUnsignedString(i1) + ".json")));
        assertEquals("[" + e2 + "]\n", Files.readString(dir.resolve("ev-" + Long.toUnsignedString(i2) + ".json")));
        assertEquals("GET /v1/event/list?name=deploy&index=" + Long.toUnsignedString(i1), agent.requests.get(2));
    }

    @Test
    void aChecksWatchFiltersByServiceTag() {
        agent.answer("GET /v1/health/state/any", 200, """
                [{"CheckID":"serfHealth","ServiceTags":[]},{"CheckID":"service:web","ServiceTags":["v1","java"]},
                 {"CheckID":"service:db","ServiceTags":["v2"]}]""", 8);
        assertEquals(0, watch("-type", "checks", "-tag", "java"));
        assertEquals("""
                [
                    {
                        "CheckID": "service:web",
                        "ServiceTags": [
                            "v1",
                            "java"
                        ]
                    }
                ]
                """, agent.out());
    }

    @Test
    void anUnreachableAgentIsReportedBeforeWatching() {
        agent.replace("GET /v1/agent/self", 500, "down");
        assertEquals(1, watch("-type", "nodes"));
        assertEquals("Error querying Conclave agent: Unexpected response code: 500 (down)\n", agent.err());
    }
}
