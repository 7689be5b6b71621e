package io.conclave.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.Member;
import io.conclave.api.gossip.UserEvent;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GossipCommandsTest {

    private final List<String> calls = new ArrayList<>();

    private static final Member SERVER = new Member("node1", "127.0.0.1", 8301,
            Map.of("role", "consul", "dc", "dc1", "build", "0.1.0:abc", "vsn", "2"), 1, 1, 5, 2, 2, 5, 4);
    private static final Member CLIENT = new Member("node2", "127.0.0.2", 8301,
            Map.of("role", "node", "dc", "dc1", "build", "0.1.0:abc", "vsn", "2"), 4, 1, 5, 2, 2, 5, 4);

    /** An agent whose LAN pool holds two members and whose joins reach only 127.0.0.2. */
    private Agent agent() {
        return (Agent) Proxy.newProxyInstance(Agent.class.getClassLoader(), new Class<?>[] {Agent.class},
                (proxy, method, args) -> {
                    calls.add(method.getName() + (args == null ? "" : " " + Arrays.deepToString(args)));
                    return switch (method.getName()) {
                        case "members" -> (Boolean) args[0]
                                ? List.of(new Member("node1.dc1", "127.0.0.1", 8302, SERVER.tags(), 1, 1, 5, 2, 2, 5, 4))
                                : List.of(SERVER, CLIENT);
                        case "join" -> ((List<?>) args[0]).contains("127.0.0.2") ? CompletableFuture.completedFuture(1)
                                : CompletableFuture.failedFuture(new IOException("dial tcp " + ((List<?>) args[0]).get(0)
                                + ": connection refused"));
                        case "forceLeave" -> "node2".equals(args[0]);
                        case "fireEvent" -> {
                            if (((String) args[0]).isEmpty()) {
                                throw new IllegalArgumentException("User event missing name");
                            }
                            yield new UserEvent("b54fe110-7af5-cafc-d1fb-afc8ba432b1c", (String) args[0], (byte[]) args[1],
                                    (String) args[2], (String) args[3], (String) args[4], 1, 0);
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    private static List<String> args(String... a) {
        return new ArrayList<>(List.of(a));
    }

    @Test
    void membersIsConsulsTableForEitherPool() {
        GossipCommands c = new GossipCommands(agent());
        assertEquals("""
                Node   Address         Status  Type    Build  Protocol  DC   Segment
                node1  127.0.0.1:8301  alive   server  0.1.0  2         dc1  <all>
                node2  127.0.0.2:8301  failed  client  0.1.0  2         dc1  <all>""", c.members(args()));
        assertTrue(c.members(args("-wan")).contains("node1.dc1  127.0.0.1:8302  alive   server"), c.members(args("-wan")));
        assertEquals(List.of("members [false]", "members [true]", "members [true]"), calls);
    }

    @Test
    void joinCountsTheAddressesItReachedAndNamesTheOthers() throws Exception {
        GossipCommands c = new GossipCommands(agent());
        assertEquals("Successfully joined cluster by contacting 1 nodes.", c.join(args("127.0.0.2")));
        assertEquals("Error joining address '127.0.0.9': dial tcp 127.0.0.9: connection refused\n"
                + "Successfully joined cluster by contacting 1 nodes.", c.join(args("-wan", "127.0.0.9", "127.0.0.2")));
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> c.join(args("127.0.0.9")));
        assertEquals("Error joining address '127.0.0.9': dial tcp 127.0.0.9: connection refused\nFailed to join any nodes.",
                none.getMessage());
        assertTrue(calls.contains("join [[127.0.0.9], true]"), calls.toString());
        assertThrows(IllegalArgumentException.class, () -> c.join(args()));
    }

    @Test
    void forceLeaveIsSilentOnSuccess() {
        GossipCommands c = new GossipCommands(agent());
        assertNull(c.forceLeave(args("-prune", "node2")));
        assertEquals(List.of("forceLeave [node2, true, false]"), calls);
        assertEquals("Error force leaving: agent: No node found with name 'ghost'",
                assertThrows(IllegalStateException.class, () -> c.forceLeave(args("ghost"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.forceLeave(args()));
    }

    @Test
    void eventFiresWithItsFlagsAndPayloadAndPrintsTheId() {
        GossipCommands c = new GossipCommands(agent());
        assertEquals("Event ID: b54fe110-7af5-cafc-d1fb-afc8ba432b1c",
                c.event(args("-name", "deploy", "-service=web", "-tag", "v2", "v1.2.3")));
        String call = calls.get(0);
        assertEquals("fireEvent [deploy, " + Arrays.toString("v1.2.3".getBytes(StandardCharsets.UTF_8)) + ", , web, v2]",
                call);
        assertEquals("Error firing event: User event missing name",
                assertThrows(IllegalStateException.class, () -> c.event(args())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.event(args("-name", "x", "a", "b")));
        assertThrows(IllegalArgumentException.class, () -> c.event(args("-name")));
    }
}
