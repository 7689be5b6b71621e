package io.conclave.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.AgentIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPublisherTest {

    @TempDir
    Path dir;

    @Test
    void readsOneDictionaryPerPidWithTypedValues() throws IOException {
        Path file = dir.resolve("c.json");
        Files.writeString(file, """
                {"io.conclave.agent": {"node_name": "n1", "server": true, "http_port": 8500, "big": 9999999999, "tags": ["a", "b"]},
                 "io.conclave.http": {"address": "127.0.0.1"}}
                """);
        Map<String, Dictionary<String, Object>> pids = ConfigPublisher.read(file);
        assertEquals(2, pids.size());
        Dictionary<String, Object> agent = pids.get("io.conclave.agent");
        assertEquals("n1", agent.get("node_name"));
        assertEquals(Boolean.TRUE, agent.get("server"));
        assertEquals(8500, agent.get("http_port"));
        assertEquals(9999999999L, agent.get("big"));
        assertArrayEquals(new String[] {"a", "b"}, (String[]) agent.get("tags"));
    }

    @Test
    void rejectsWhatConfigAdminCannotHold() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"io.conclave.agent\": {\"nested\": {\"x\": 1}}}");
        IOException e = assertThrows(IOException.class, () -> ConfigPublisher.read(file));
        assertTrue(e.getMessage().contains("io.conclave.agent.nested"), e.getMessage());
        Files.writeString(file, "[1]");
        assertThrows(IOException.class, () -> ConfigPublisher.read(file));
    }

    @Test
    void identityDefaultsAreConsulDevDefaults() {
        AgentIdentity id = AgentConfig.identityFrom(Map.of("node_name", "n1"), "00000000-0000-0000-0000-000000000001");
        assertEquals("dc1", id.datacenter());
        assertEquals("n1", id.nodeName());
        assertEquals("00000000-0000-0000-0000-000000000001", id.nodeId());
        assertTrue(id.server());
        assertEquals(8500, id.httpPort());
        assertEquals(8300, id.serverPort());
        assertEquals("127.0.0.1", id.advertiseAddr());
    }
}
