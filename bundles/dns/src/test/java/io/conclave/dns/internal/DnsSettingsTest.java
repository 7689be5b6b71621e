package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsSettingsTest {

    @Test
    void defaultsAreConsulsExceptEnableTruncate() {
        DnsSettings d = DnsSettings.from(Map.of());
        assertEquals("127.0.0.1", d.address());
        assertEquals(8600, d.port());
        assertEquals("consul.", d.domain().toString());
        assertNull(d.altDomain());
        assertEquals(List.of(), d.recursors());
        assertEquals(Duration.ofSeconds(2), d.recursorTimeout());
        assertEquals(Duration.ZERO, d.nodeTtl());
        assertEquals(Duration.ZERO, d.serviceTtls().ttlFor("web"));
        assertEquals(3, d.udpAnswerLimit());
        assertEquals(0, d.aRecordLimit());
        assertFalse(d.onlyPassing());
        assertTrue(d.enableTruncate());
        assertTrue(d.allowStale());
        assertFalse(d.disableCompression());
        assertEquals(List.of(3600L, 600L, 86400L, 0L), List.of(d.soaRefresh(), d.soaRetry(), d.soaExpire(), d.soaMinTtl()));
        assertTrue(d.nodeMetaTxt());
    }

    @Test
    void valuesAreReadFromStringsNumbersArraysAndLists() {
        DnsSettings s = DnsSettings.from(Map.ofEntries(
                Map.entry("port", "8653"), Map.entry("domain", "Example.COM"), Map.entry("alt_domain", "alt.test."),
                Map.entry("recursors", new String[] {"8.8.8.8", "1.1.1.1:5353", "[2001:db8::1]:54", "2001:db8::2"}),
                Map.entry("recursor_timeout", "500ms"), Map.entry("node_ttl", 30L),
                Map.entry("service_ttl", List.of("*=5s", "web=1m")), Map.entry("udp_answer_limit", 5),
                Map.entry("a_record_limit", "2"), Map.entry("only_passing", "true"), Map.entry("enable_truncate", false),
                Map.entry("allow_stale", "0"), Map.entry("disable_compression", true), Map.entry("soa_min_ttl", "60")));
        assertEquals(8653, s.port());
        assertEquals("example.com.", s.domain().toString());
        assertEquals("alt.test.", s.altDomain().toString());
        assertEquals(List.of(new InetSocketAddress("8.8.8.8", 53), new InetSocketAddress("1.1.1.1", 5353),
                new InetSocketAddress("2001:db8::1", 54), new InetSocketAddress("2001:db8::2", 53)), s.recursors());
        assertEquals(Duration.ofMillis(500), s.recursorTimeout());
        assertEquals(Duration.ofSeconds(30), s.nodeTtl());
        assertEquals(Duration.ofMinutes(1), s.serviceTtls().ttlFor("WEB"));
        assertEquals(Duration.ofSeconds(5), s.serviceTtls().ttlFor("db"));
        assertEquals(5, s.udpAnswerLimit());
        assertEquals(2, s.aRecordLimit());
        assertTrue(s.onlyPassing());
        assertFalse(s.enableTruncate());
        assertFalse(s.allowStale());
        assertTrue(s.disableCompression());
        assertEquals(60, s.soaMinTtl());
        assertEquals(List.of(new InetSocketAddress("9.9.9.9", 53), new InetSocketAddress("1.0.0.1", 53)),
                DnsSettings.from(Map.of("recursors", "9.9.9.9, 1.0.0.1")).recursors());
    }

    @Test
    void portMinusOneDisablesTheListeners() throws Exception {
        try (DnsEngine e = new DnsEngine(() -> null, DnsSettings.from(Map.of("port", -1))).start()) {
            assertEquals(-1, e.port());
        }
    }

    @Test
    void nonsenseIsRejectedNamingTheKey() {
        assertMessage("address", Map.of("address", "localhost"));
        assertMessage("port", Map.of("port", 70000));
        assertMessage("port", Map.of("port", "http"));
        assertMessage("recursors", Map.of("recursors", "dns.google"));
        assertMessage("recursors", Map.of("recursors", "8.8.8.8:0"));
        assertMessage("recursor_timeout", Map.of("recursor_timeout", "2 seconds"));
        assertMessage("recursor_timeout", Map.of("recursor_timeout", "0s"));
        assertMessage("service_ttl", Map.of("service_ttl", "web"));
        assertMessage("service_ttl", Map.of("service_ttl", "web=soon"));
        assertMessage("udp_answer_limit", Map.of("udp_answer_limit", 0));
        assertMessage("a_record_limit", Map.of("a_record_limit", -1));
        assertMessage("only_passing", Map.of("only_passing", "yes please"));
        assertMessage("soa_expire", Map.of("soa_expire", -5));
        assertMessage("domain", Map.of("domain", " "));
        assertMessage("domain", Map.of("domain", "."));
    }

    @Test
    void listenersChangeOnlyWithAddressPortOrLimits() {
        DnsSettings a = DnsSettings.from(Map.of());
        assertTrue(a.sameListeners(DnsSettings.from(Map.of("only_passing", true, "recursors", "8.8.8.8"))));
        assertFalse(a.sameListeners(DnsSettings.from(Map.of("port", 8601))));
        assertFalse(a.sameListeners(DnsSettings.from(Map.of("address", "127.0.0.2"))));
    }

    private static void assertMessage(String key, Map<String, ?> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DnsSettings.from(config));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
