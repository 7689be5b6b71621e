package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsAreConsuls() {
        Settings s = Settings.from(Map.of());
        assertEquals("127.0.0.1", s.address());
        assertEquals(8500, s.port());
        assertEquals(200, s.maxConnsPerClient());
        assertEquals(524288, s.kvMaxValueSize());
        assertEquals(Duration.ofSeconds(60), s.idleTimeout());
    }

    @Test
    void acceptsWhateverTypeConfigAdminHandsOver() {
        Settings s = Settings.from(Map.of("address", "10.0.0.5", "port", 0, "max_conns_per_client", "50",
                "kv_max_value_size", 1048576L, "idle_timeout", "1m30s", "max_header_bytes", "32768", "dev_mode", "true"));
        assertEquals("10.0.0.5", s.address());
        assertEquals(0, s.port());
        assertEquals(50, s.maxConnsPerClient());
        assertEquals(1048576, s.kvMaxValueSize());
        assertEquals(Duration.ofSeconds(90), s.idleTimeout());
        assertEquals(32768, s.maxHeaderBytes());
        assertEquals(true, s.devMode());
    }

    @Test
    void rejectsNonsenseNamingTheKey() {
        assertEquals("port must be between 0 and 65535, not 70000",
                assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of("port", 70000))).getMessage());
        assertEquals("idle_timeout: time: invalid duration \"soon\"",
                assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of("idle_timeout", "soon"))).getMessage());
        assertEquals("max_conns_per_client must be a whole number, not \"many\"",
                assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of("max_conns_per_client", "many"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of("address", " ")));
    }
}
