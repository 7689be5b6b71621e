package io.conclave.gossip.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.gossip.GossipTransport;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.api.gossip.UserEvent;
import io.conclave.gossip.internal.GossipPools;
import io.conclave.gossip.internal.serf.SerfConfig;
import io.conclave.gossip.internal.serf.SerfCore;
import io.conclave.gossip.internal.swim.SwimConfig;
import io.conclave.transport.udp.internal.TestTransports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clocks read back from a snapshot (serf Create), and where the agent configuration puts snapshots. */
class SnapshotClocksTest {

    @TempDir
    Path dir;

    @Test
    void restoredClocksContinueAndOldEventsAndQueriesAreNotDeliveredAgain() {
        SerfCore serf = new SerfCore("self", SerfConfig.consul());
        serf.restoreClocks(9, 50, 7);
        assertEquals(10, serf.membership().joinIntentForSelf(0), "serf: increment, then witness the snapshot's");
        assertFalse(serf.userEvents().receive(new io.conclave.gossip.internal.serf.UserEvent(50, "old", new byte[0],
                false)), "an event the snapshot had seen is not delivered again");
        assertTrue(serf.userEvents().receive(new io.conclave.gossip.internal.serf.UserEvent(51, "new", new byte[0],
                false)));
        assertFalse(serf.queries().firstSeen(7, 1), "nor a query");
        assertTrue(serf.queries().firstSeen(8, 1));
        assertTrue(serf.userEvents().create("mine", new byte[0], false).ltime() > 51);

        // Without a snapshot's clocks the same start gives 1, as serf's does.
        SerfCore fresh = new SerfCore("self", SerfConfig.consul());
        fresh.restoreClocks(0, 0, 0);
        assertEquals(1, fresh.membership().joinIntentForSelf(0));
        assertEquals(1, fresh.userEvents().create("first", new byte[0], false).ltime(),
                "serf witnesses the event clock's 0, so the first event is 1 and passes eventMinTime");
    }

    @Test
    void aPoolStartedOnASnapshotStampsItsEventsPastTheSnapshotsClock() throws Exception {
        Path file = dir.resolve("serf").resolve("local.snapshot");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "clock: 20\nevent-clock: 50\nquery-clock: 7\n", StandardCharsets.UTF_8);
        List<UserEvent> heard = new CopyOnWriteArrayList<>();
        MembershipListener listener = new MembershipListener() {
            @Override
            public void memberChanged(String pool, MemberEvent event) {
            }

            @Override
            public void userEvent(String pool, UserEvent event) {
                heard.add(event);
            }
        };
        InetAddress lo = InetAddress.getLoopbackAddress();
        PoolConfig cfg = new PoolConfig("lan", "solo", "dc1", new InetSocketAddress(lo, 0), lo, 0,
                Map.of("role", "node", "dc", "dc1"), SwimConfig.lan(), SerfConfig.consul(), List.of(), null, true,
                true, Duration.ofSeconds(10), Duration.ofMillis(200)).withSnapshot(file, false);
        GossipTransport t = TestTransports.start();
        Pool p = new Pool(cfg, listener);
        try {
            p.attach(t);
            p.fireSerfEvent("after-restart", new byte[0]);
            assertEquals(1, heard.size());
            assertEquals(51, heard.get(0).ltime());
        } finally {
            p.close();
            TestTransports.stop(t);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int port = p.boundAddress().getPort();
        assertTrue(lines.containsAll(List.of("alive: solo 127.0.0.1:" + port, "event-clock: 51")),
                "the pool records itself and the event's clock: " + lines);
    }

    private static Map<String, Object> agent(boolean server) {
        Map<String, Object> c = new HashMap<>();
        c.put("node_name", "n1");
        c.put("datacenter", "east");
        c.put("server", server);
        c.put("node_id", "41958888-acfb-fe9e-13ae-a3b8f8534b2a");
        c.put("bind_addr", "127.0.0.2");
        c.put("serf_lan_port", 0);
        c.put("serf_wan_port", 0);
        return c;
    }

    @Test
    void snapshotsLiveInDataDirAsConsulsDoExceptInDevMode() throws Exception {
        Map<String, Object> server = agent(true);
        server.put("data_dir", dir.toString());
        Map<String, PoolConfig> pools = GossipPools.poolConfigs(server);
        assertEquals(dir.resolve("serf").resolve("local.snapshot"), pools.get("lan").snapshotPath());
        assertEquals(dir.resolve("serf").resolve("remote.snapshot"), pools.get("wan").snapshotPath());
        assertFalse(pools.get("lan").rejoinAfterLeave());

        server.put("rejoin_after_leave", true);
        assertTrue(GossipPools.poolConfigs(server).get("lan").rejoinAfterLeave());
        assertTrue(GossipPools.poolConfigs(server).get("wan").rejoinAfterLeave());

        Map<String, Object> dev = agent(true);
        dev.put("dev", true);
        dev.put("data_dir", dir.toString());
        assertNull(GossipPools.poolConfigs(dev).get("lan").snapshotPath(), "dev agents keep no snapshot");
        assertNull(GossipPools.poolConfigs(dev).get("wan").snapshotPath());
        assertNull(GossipPools.poolConfigs(agent(false)).get("lan").snapshotPath(), "no data_dir, no snapshot");
    }
}
