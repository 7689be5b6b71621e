package io.conclave.check.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostPortTest {

    private static String rejection(String address) {
        return assertThrows(IllegalArgumentException.class, () -> HostPort.parse(address)).getMessage();
    }

    @Test
    void splitsHostAndPortAsGoDoes() {
        assertEquals(new HostPort("127.0.0.1", 80), HostPort.parse("127.0.0.1:80"));
        assertEquals(new HostPort("db.example.com", 5432), HostPort.parse("db.example.com:5432"));
        assertEquals(new HostPort("::1", 80), HostPort.parse("[::1]:80"));
        assertEquals(new HostPort("fe80::1%eth0", 8080), HostPort.parse("[fe80::1%eth0]:8080"));
        assertEquals(new HostPort("", 80), HostPort.parse(":80"));
        assertEquals(new HostPort("localhost", 65535), HostPort.parse("[localhost]:65535"));
    }

    @Test
    void rejectsWhatGoRejectsInGosWords() {
        assertEquals("address 127.0.0.1: missing port in address", rejection("127.0.0.1"));
        assertEquals("address ::1:80: too many colons in address", rejection("::1:80"));
        assertEquals("address [::1]: missing port in address", rejection("[::1]"));
        assertEquals("address [::1:80: missing ']' in address", rejection("[::1:80"));
        assertEquals("missing address", rejection(""));
    }

    @Test
    void needsANumericPortInRange() {
        assertTrue(rejection("web:http").contains("port must be a number"));
        assertTrue(rejection("web:0").contains("port must be a number"));
        assertTrue(rejection("web:65536").contains("port must be a number"));
        assertTrue(rejection("web:").contains("port must be a number"));
        assertTrue(rejection("web:-1").contains("port must be a number"));
    }

    @Test
    void knowsLiteralsFromNames() {
        assertTrue(HostPort.parse("127.0.0.1:1").literal());
        assertTrue(HostPort.parse("[::1]:1").literal());
        assertTrue(HostPort.parse(":1").literal());
        assertFalse(HostPort.parse("localhost:1").literal());
        assertFalse(HostPort.parse("1.2.3.example:1").literal());
    }

    @Test
    void joinsLikeGo() {
        assertEquals("127.0.0.1:80", HostPort.join("127.0.0.1", 80));
        assertEquals("[::1]:80", HostPort.join("::1", 80));
    }
}
