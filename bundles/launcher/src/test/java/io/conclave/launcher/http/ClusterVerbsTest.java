package io.conclave.launcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.launcher.Command;
import io.conclave.launcher.agent.GossipKey;
import io.conclave.launcher.cli.Ui;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** join, force-leave, event, keygen and keyring against a fake agent; outputs as Consul's commands print them. */
class ClusterVerbsTest {

    @RegisterExtension
    final FakeAgent agent = new FakeAgent();

    private int run(BiFunction<Ui, Map<String, String>, Command> verb, String... args) {
        Command c = verb.apply(agent.ui(), agent.env());
        agent.requests.clear();
        agent.bodies.clear();
        return c.run(List.of(args));
    }

    // ------------------------------------------------------------------ join

    @Test
    void joinContactsEveryAddressAndCountsTheJoins() {
        agent.answer("PUT /v1/agent/join/10.4.7.14", 200, "", 0);
        agent.answer("PUT /v1/agent/join/127.0.0.2:8301", 200, "", 0);
        assertEquals(0, run(JoinCommand::new, "10.4.7.14"));
        assertEquals("Successfully joined cluster by contacting 1 nodes.\n", agent.out());
        assertEquals(List.of("PUT /v1/agent/join/10.4.7.14"), agent.requests);

        assertEquals(0, run(JoinCommand::new, "-wan", "10.4.7.14", "127.0.0.2:8301"));
        assertEquals("Successfully joined cluster by contacting 2 nodes.\n", agent.out());
        assertEquals(List.of("PUT /v1/agent/join/10.4.7.14?wan=1", "PUT /v1/agent/join/127.0.0.2:8301?wan=1"),
                agent.requests);
    }

    @Test
    void joinReportsEachFailureAndFailsOnlyWhenNothingJoined() {
        agent.answer("PUT /v1/agent/join/10.0.0.1", 200, "", 0);
        agent.answer("PUT /v1/agent/join/10.0.0.9", 500, "dial tcp 10.0.0.9:8301: i/o timeout", 0);
        assertEquals(0, run(JoinCommand::new, "10.0.0.9", "10.0.0.1"));
        assertEquals("Error joining address '10.0.0.9': Unexpected response code: 500 (dial tcp 10.0.0.9:8301: i/o "
                + "timeout)\n", agent.err());
        assertEquals("Successfully joined cluster by contacting 1 nodes.\n", agent.out());

        assertEquals(1, run(JoinCommand::new, "10.0.0.9"));
        assertEquals("Error joining address '10.0.0.9': Unexpected response code: 500 (dial tcp 10.0.0.9:8301: i/o "
                + "timeout)\nFailed to join any nodes.\n", agent.err());
        assertEquals("", agent.out());

        assertEquals(1, run(JoinCommand::new));
        assertTrue(agent.err().startsWith("At least one address to join must be specified.\n\nUsage: conclave join"),
                agent.err());
        assertEquals(List.of(), agent.requests);
    }

    // ------------------------------------------------------------------ force-leave

    @Test
    void forceLeaveIsSilentOnSuccess() {
        agent.answer("PUT /v1/agent/force-leave/agent-two", 200, "", 0);
        assertEquals(0, run(ForceLeaveCommand::new, "agent-two"));
        assertEquals("", agent.out() + agent.err());
        assertEquals(List.of("PUT /v1/agent/force-leave/agent-two"), agent.requests);
        assertEquals(0, run(ForceLeaveCommand::new, "-prune", "-wan", "agent-two"));
        assertEquals(List.of("PUT /v1/agent/force-leave/agent-two?prune=1&wan=1"), agent.requests);
    }

    @Test
    void forceLeaveNeedsOneNodeAndReportsAgentErrors() {
        agent.answer("PUT /v1/agent/force-leave/ghost", 500, "agent: No node found with name 'ghost'", 0);
        assertEquals(1, run(ForceLeaveCommand::new, "ghost"));
        assertEquals("Error force leaving: Unexpected response code: 500 (agent: No node found with name 'ghost')\n",
                agent.err());
        assertEquals(1, run(ForceLeaveCommand::new, "a", "b"));
        assertTrue(agent.err().startsWith("A single node name must be specified to force leave.\n\nUsage: "
                + "conclave force-leave [options] name"), agent.err());
    }

    // ------------------------------------------------------------------ event

    @Test
    void eventFiresWithFiltersAndPayload() {
        agent.answer("PUT /v1/event/fire/deploy", 200, """
                {"ID":"b54fe110-7af5-cafc-d1fb-afc8ba432b1c","Name":"deploy","Payload":"djI=","NodeFilter":"web",
                 "ServiceFilter":"api","TagFilter":"v2","Version":1,"LTime":0}""", 0);
        assertEquals(0, run(EventCommand::new, "-name", "deploy", "-node", "web", "-service", "api", "-tag", "v2",
                "v2"));
        assertEquals("Event ID: b54fe110-7af5-cafc-d1fb-afc8ba432b1c\n", agent.out());
        assertEquals(List.of("GET /v1/agent/self", "PUT /v1/event/fire/deploy?node=web&service=api&tag=v2"),
                agent.requests);
        assertEquals("v2", agent.bodies.get(1));

        assertEquals(0, run(EventCommand::new, "-name=deploy"));
        assertEquals(List.of("GET /v1/agent/self", "PUT /v1/event/fire/deploy"), agent.requests);
        assertEquals("", agent.bodies.get(1));
    }

    @Test
    void eventChecksItsArgumentsBeforeCallingTheAgent() {
        assertEquals(1, run(EventCommand::new));
        assertTrue(agent.err().startsWith("Event name must be specified\n\nUsage: conclave event"), agent.err());
        assertEquals(1, run(EventCommand::new, "-name", "x", "-tag", "v1"));
        assertEquals("Cannot provide tag filter without service filter.\n", agent.err());
        assertEquals(1, run(EventCommand::new, "-name", "x", "-node", "("));
        assertTrue(agent.err().startsWith("Failed to compile node filter regexp: "), agent.err());
        assertEquals(1, run(EventCommand::new, "-name", "x", "a", "b"));
        assertTrue(agent.err().startsWith("Too many command line arguments.\n\nUsage: conclave event"), agent.err());
        assertEquals(List.of(), agent.requests);

        agent.replace("GET /v1/agent/self", 500, "down");
        assertEquals(1, run(EventCommand::new, "-name", "x"));
        assertEquals("Error querying Conclave agent: Unexpected response code: 500 (down)\n", agent.err());
        agent.replace("GET /v1/agent/self", 200, "{}");
        agent.answer("PUT /v1/event/fire/x", 403, "Permission denied", 0);
        assertEquals(1, run(EventCommand::new, "-name", "x"));
        assertEquals("Error firing event: Unexpected response code: 403 (Permission denied)\n", agent.err());
    }

    // ------------------------------------------------------------------ keygen

    @Test
    void keygenPrintsARandom32ByteKey() {
        Command keygen = new KeygenCommand(agent.ui(), new SecureRandom());
        assertEquals(0, keygen.run(List.of()));
        String first = agent.out().strip();
        assertEquals(32, Base64.getDecoder().decode(first).length);
        assertEquals(null, GossipKey.problem(first));
        agent.ui();
        assertEquals(0, keygen.run(List.of()));
        assertNotEquals(first, agent.out().strip());
    }

    // ------------------------------------------------------------------ keyring

    private static final String POOLS = """
            [{"WAN":true,"Datacenter":"dc1","Segment":"","Keys":{"pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=":1},
              "NumNodes":1},
             {"WAN":false,"Datacenter":"dc1","Segment":"","Keys":{"pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=":4,
              "HI5mr1oE1sJUAwsEoy54jFx3VHqQ/RHQxJDAjcJ/7aI=":1},"NumNodes":4}]""";

    @Test
    void keyringListsEveryPool() {
        agent.answer("GET /v1/operator/keyring", 200, POOLS, 0);
        assertEquals(0, run(KeyringCommand::new, "-list"));
        assertEquals("""
                ==> Gathering installed encryption keys...

                WAN:
                  pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s= [1/1]

                dc1 (LAN):
                  HI5mr1oE1sJUAwsEoy54jFx3VHqQ/RHQxJDAjcJ/7aI= [1/4]
                  pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s= [4/4]
                """, agent.out());
        assertEquals(0, run(KeyringCommand::new, "-list", "-relay-factor=2", "-local-only"));
        assertEquals(List.of("GET /v1/operator/keyring?relay-factor=2&local-only=true"), agent.requests);
    }

    @Test
    void keyringChangesKeysWithConsulsMethods() {
        String key = "HI5mr1oE1sJUAwsEoy54jFx3VHqQ/RHQxJDAjcJ/7aI=";
        for (String method : List.of("POST", "PUT", "DELETE")) {
            agent.answer(method + " /v1/operator/keyring", 200, "", 0);
        }
        assertEquals(0, run(KeyringCommand::new, "-install", key));
        assertEquals("==> Installing new gossip encryption key...\n", agent.out());
        assertEquals(List.of("POST /v1/operator/keyring"), agent.requests);
        assertEquals("{\"Key\":\"" + key + "\"}", agent.bodies.get(0));
        assertEquals(0, run(KeyringCommand::new, "-use", key));
        assertEquals("==> Changing primary gossip encryption key...\n", agent.out());
        assertEquals(List.of("PUT /v1/operator/keyring"), agent.requests);
        assertEquals(0, run(KeyringCommand::new, "-remove", key));
        assertEquals("==> Removing gossip encryption key...\n", agent.out());
        assertEquals(List.of("DELETE /v1/operator/keyring"), agent.requests);
        assertEquals("{\"Key\":\"" + key + "\"}", agent.bodies.get(0));

        agent.replace("POST /v1/operator/keyring", 500, "1 error occurred:\n\t* key size must be 16, 24 or 32 bytes");
        assertEquals(1, run(KeyringCommand::new, "-install", "short"));
        assertEquals("error: Unexpected response code: 500 (1 error occurred:\n\t* key size must be 16, 24 or 32 "
                + "bytes)\n", agent.err());
    }

    @Test
    void keyringTakesExactlyOneAction() {
        assertEquals(1, run(KeyringCommand::new, "-list", "-install", "k"));
        assertEquals("Only a single action is allowed\n", agent.err());
        assertEquals(1, run(KeyringCommand::new));
        assertTrue(agent.err().startsWith("Usage: conclave keyring [options]"), agent.err());
        assertEquals(1, run(KeyringCommand::new, "-list", "-relay-factor=6"));
        assertEquals("Error parsing relay factor: Relay factor must be in range: [0, 5]\n", agent.err());
        assertEquals(1, run(KeyringCommand::new, "-use", "k", "-local-only"));
        assertEquals("The -local-only flag can only be used for list queries\n", agent.err());
        assertEquals(List.of(), agent.requests);
    }
}
