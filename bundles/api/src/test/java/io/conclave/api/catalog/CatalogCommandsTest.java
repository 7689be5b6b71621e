package io.conclave.api.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CatalogCommandsTest {

    static RegisterRequest fullRequest() {
        Node node = new Node("0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", "Node-1", "10.0.0.1", "dc1",
                Map.of("lan", "10.0.0.1", "wan", "198.51.100.1"), Map.of("consul-network-segment", "", "rack", "r1"),
                3, 9);
        NodeService service = new NodeService("", "web-1", "web", List.of("java", "v1", "java"), "10.0.0.2",
                Map.of("lan", new ServiceAddress("10.0.0.2", 8080), "wan", new ServiceAddress("198.51.100.2", 80)),
                Map.of("env", "prod"), 8080, new Weights(3, 1), true, 4, 5);
        CheckDefinition def = new CheckDefinition("http://localhost:8080/health", "example.com", true,
                Map.of("X-A", List.of("1", "2"), "Accept", List.of()), "POST", "{}", "",
                Duration.ofSeconds(10), Duration.ofMillis(1500), Duration.ofMinutes(90));
        HealthCheck serviceCheck = new HealthCheck("Node-1", "service:web-1", "Service 'web' check", "passing",
                "notes", "HTTP GET …: 200 OK", "web-1", "web", List.of("java"), "http", def, 6, 7);
        HealthCheck nodeCheck = new HealthCheck("Node-1", "serfHealth", "Serf Health Status", "passing", "",
                "Agent alive and reachable", "", "", List.of(), "", CheckDefinition.EMPTY, 0, 0);
        return new RegisterRequest(node, service, List.of(serviceCheck, nodeCheck), true);
    }

    @Test
    void registerRoundTripsEveryField() {
        RegisterRequest r = fullRequest();
        byte[] bytes = CatalogCommands.encode(r);
        assertEquals(CatalogCommands.FORMAT, bytes[0]);
        assertEquals(r, CatalogCommands.decodeRegister(bytes));
    }

    @Test
    void registerWithoutServiceOrChecksRoundTrips() {
        RegisterRequest r = new RegisterRequest(new Node(null, "n", null, null, null, null, 0, 0), null, null, false);
        RegisterRequest back = CatalogCommands.decodeRegister(CatalogCommands.encode(r));
        assertEquals(r, back);
        assertNull(back.service());
    }

    @Test
    void stringsSurviveExactlyEvenLoneSurrogatesAndNul() {
        String odd = "a\u0000b\ud800c\u00e9\u4e2d\ud83d\ude00";
        RegisterRequest r = new RegisterRequest(new Node(odd, odd, odd, odd, Map.of(odd, odd), Map.of(), 1, 1),
                null, List.of(), false);
        assertEquals(r, CatalogCommands.decodeRegister(CatalogCommands.encode(r)));
    }

    @Test
    void equalRequestsEncodeToEqualBytesWhateverTheMapOrder() {
        RegisterRequest a = fullRequest();
        Node n = a.node();
        Node reordered = new Node(n.id(), n.node(), n.address(), n.datacenter(),
                new java.util.LinkedHashMap<>(Map.of("wan", "198.51.100.1", "lan", "10.0.0.1")), n.meta(),
                n.createIndex(), n.modifyIndex());
        RegisterRequest b = new RegisterRequest(reordered, a.service(), a.checks(), a.skipNodeUpdate());
        assertArrayEquals(CatalogCommands.encode(a), CatalogCommands.encode(b));
    }

    @Test
    void deregisterRoundTrips() {
        DeregisterRequest d = new DeregisterRequest("node-1", "web/1", "service:web/1");
        assertEquals(d, CatalogCommands.decodeDeregister(CatalogCommands.encode(d)));
        DeregisterRequest whole = new DeregisterRequest("node-1", null, null);
        assertEquals(whole, CatalogCommands.decodeDeregister(CatalogCommands.encode(whole)));
    }

    @Test
    void everyTruncationIsRejectedWithIllegalArgument() {
        byte[] full = CatalogCommands.encode(fullRequest());
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThrows(IllegalArgumentException.class, () -> CatalogCommands.decodeRegister(cut), "length " + len);
        }
        byte[] dereg = CatalogCommands.encode(new DeregisterRequest("n", "s", "c"));
        for (int len = 0; len < dereg.length; len++) {
            byte[] cut = Arrays.copyOf(dereg, len);
            assertThrows(IllegalArgumentException.class, () -> CatalogCommands.decodeDeregister(cut), "length " + len);
        }
    }

    @Test
    void trailingBytesAndUnknownFormatsAreRejected() {
        byte[] full = CatalogCommands.encode(fullRequest());
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        assertThrows(IllegalArgumentException.class, () -> CatalogCommands.decodeRegister(longer));
        byte[] newer = full.clone();
        newer[0] = 2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CatalogCommands.decodeRegister(newer));
        assertTrue(e.getMessage().contains("format 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CatalogCommands.decodeRegister(null));
    }

    @Test
    void hugeCountsFailBeforeAllocating() {
        // format, then the node ID's length claims two billion UTF-16 units
        byte[] hostile = {1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a', 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CatalogCommands.decodeRegister(hostile));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        byte[] negative = {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe};
        assertThrows(IllegalArgumentException.class, () -> CatalogCommands.decodeRegister(negative));
    }

    @Test
    void randomCorruptionOnlyEverThrowsIllegalArgument() {
        byte[] full = CatalogCommands.encode(fullRequest());
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = full.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            try {
                CatalogCommands.decodeRegister(b);
            } catch (IllegalArgumentException expected) {
                // fine: the only failure allowed
            }
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            try {
                CatalogCommands.decodeDeregister(noise);
            } catch (IllegalArgumentException expected) {
                // fine
            }
        }
    }
}
