package io.conclave.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.gossip.internal.runtime.KeyringFile;
import io.conclave.gossip.internal.runtime.PoolConfig;
import io.conclave.gossip.internal.swim.SwimConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GossipPoolsConfigTest {

    @TempDir
    Path dir;

    private static Map<String, Object> agent(boolean server) {
        Map<String, Object> c = new HashMap<>();
        c.put("node_name", "n1");
        c.put("datacenter", "east");
        c.put("server", server);
        c.put("node_id", "41958888-acfb-fe9e-13ae-a3b8f8534b2a");
        c.put("bind_addr", "127.0.0.2");
        c.put("serf_lan_port", 0);
        c.put("serf_wan_port", 8302);
        c.put("reconnect_timeout", "8h");
        c.put("retry_join", new String[] {"127.0.0.3", "127.0.0.4:9301"});
        c.put("retry_interval", "2s");
        c.put("retry_max", 3);
        return c;
    }

    @Test
    void aClientRunsOnlyTheLanPoolWithConsulsTags() throws Exception {
        Map<String, GossipPools.JoinPlan> plans = new LinkedHashMap<>();
        Map<String, PoolConfig> pools = GossipPools.poolConfigs(agent(false), plans);
        assertEquals(List.of("lan"), List.copyOf(pools.keySet()));
        PoolConfig lan = pools.get("lan");
        assertEquals("n1", lan.nodeName());
        assertEquals("127.0.0.2", lan.bind().getAddress().getHostAddress());
        assertEquals(0, lan.bind().getPort());
        assertEquals("127.0.0.2", lan.advertise().getHostAddress(), "a specific bind address is advertised");
        assertEquals("node", lan.tags().get("role"));
        assertEquals("east", lan.tags().get("dc"));
        assertEquals(SwimConfig.lan(), lan.swim());
        assertEquals(Duration.ofHours(8).toMillis(), lan.serf().reconnectTimeoutMillis());
        assertTrue(lan.keys().isEmpty());
        GossipPools.JoinPlan plan = plans.get("lan");
        assertEquals(List.of("127.0.0.3", "127.0.0.4:9301"), plan.retryJoin());
        assertEquals(Duration.ofSeconds(2), plan.retryInterval());
        assertEquals(3, plan.retryMax());
    }

    @Test
    void aServerAlsoRunsTheWanPoolAsNodeDotDc() throws Exception {
        Map<String, PoolConfig> pools = GossipPools.poolConfigs(agent(true), new HashMap<>());
        PoolConfig wan = pools.get("wan");
        assertEquals("n1.east", wan.nodeName());
        assertEquals(8302, wan.bind().getPort());
        assertEquals(SwimConfig.wan(), wan.swim());
        assertEquals("consul", wan.tags().get("role"));
        assertEquals(Duration.ofHours(72).toMillis(), wan.serf().reconnectTimeoutMillis());
    }

    @Test
    void encryptBecomesTheKeyringFileAndAnExistingFileWins() throws Exception {
        byte[] k1 = new byte[32];
        k1[0] = 1;
        byte[] k2 = new byte[16];
        k2[0] = 2;
        Map<String, Object> c = agent(true);
        c.put("data_dir", dir.toString());
        c.put("encrypt", Base64.getEncoder().encodeToString(k1));
        Map<String, PoolConfig> first = GossipPools.poolConfigs(c, new HashMap<>());
        assertArrayEquals(k1, first.get("lan").keys().get(0));
        Path local = dir.resolve("serf/local.keyring");
        assertTrue(Files.exists(local) && Files.exists(dir.resolve("serf/remote.keyring")));
        assertArrayEquals(k1, KeyringFile.read(local).get(0));

        KeyringFile.write(local, List.of(k2, k1));
        Map<String, PoolConfig> second = GossipPools.poolConfigs(c, new HashMap<>());
        assertEquals(2, second.get("lan").keys().size());
        assertArrayEquals(k2, second.get("lan").keys().get(0), "the keyring file wins over encrypt");
        assertArrayEquals(k1, second.get("wan").keys().get(0));
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        Map<String, Object> c = agent(false);
        c.put("encrypt", "c2hvcnQ=");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GossipPools.poolConfigs(c, new HashMap<>()));
        assertTrue(e.getMessage().startsWith("Invalid encryption key"), e.getMessage());
        Map<String, Object> d = agent(false);
        d.put("bind_addr", "example.com");
        e = assertThrows(IllegalArgumentException.class, () -> GossipPools.poolConfigs(d, new HashMap<>()));
        assertTrue(e.getMessage().contains("bind_addr"), e.getMessage());
    }
}
