package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The small pure pieces: name parsing, TTL rules, RFC 1464 encoding, IP literals. */
class UnitsTest {

    @Test
    void queryNamesParseAsConsulsDispatch() {
        assertEquals(new QueryName.Service("web", null, null), parse("web.service", Type.A));
        assertEquals(new QueryName.Service("web", "v1.blue", "dc2"), parse("v1.blue.web.service.DC2", Type.A));
        assertEquals(new QueryName.Service("web", "java", null), parse("_web._java.service", Type.SRV));
        assertEquals(new QueryName.Service("web", null, null), parse("_web._tcp.service", Type.SRV));
        assertEquals(new QueryName.Service("web", null, "dc1"), parse("_web._tcp.dc1", Type.SRV));
        assertEquals(new QueryName.Invalid(), parse("_web._tcp.dc1", Type.A));
        assertEquals(new QueryName.Node("my.dotted.host", null), parse("my.dotted.host.node", Type.A));
        assertEquals(new QueryName.Node("db1", "dc1"), parse("db1.node.dc1.dc", Type.A));
        assertEquals(new QueryName.Invalid(), parse("db1.node.dc1.x", Type.A));
        assertEquals(new QueryName.Invalid(), parse("db1.node.a.b.c", Type.A));
        assertInstanceOf(QueryName.Addr.class, parse("7f000001.addr", Type.A));
        assertEquals(new QueryName.Invalid(), parse("7f0000.addr", Type.A));
        assertEquals(new QueryName.Invalid(), parse("a.7f000001.addr", Type.A));
        assertEquals(new QueryName.Unsupported("query"), parse("geo.query", Type.A));
        assertEquals(new QueryName.EmptyNonTerminal("dc1"), parse("service.dc1", Type.A));
        assertEquals(new QueryName.MaybeDatacenter("dc1"), parse("DC1", Type.A));
        assertEquals(new QueryName.Apex(), parse("", Type.SOA));
        assertEquals(new QueryName.Invalid(), parse("a.b", Type.A));
    }

    private static QueryName parse(String relative, int qtype) {
        return QueryName.parse(relative.isEmpty() ? List.of() : List.of(relative.split("\\.")), qtype);
    }

    @Test
    void serviceTtlsPreferExactThenLongestPrefix() {
        ServiceTtls t = ServiceTtls.parse(List.of("*=1s", "a*=2s", "ab*=3s", "abc=4s"));
        assertEquals(Duration.ofSeconds(4), t.ttlFor("abc"));
        assertEquals(Duration.ofSeconds(3), t.ttlFor("abcd"));
        assertEquals(Duration.ofSeconds(2), t.ttlFor("ax"));
        assertEquals(Duration.ofSeconds(1), t.ttlFor("zzz"));
        assertEquals(Duration.ZERO, ServiceTtls.parse(List.of("a*=2s")).ttlFor("b"));
    }

    @Test
    void rfc1464EscapesKeysAndValuesAsConsul() {
        assertEquals("key=value", NodeMetaTxt.rfc1464("key", "value"));
        assertEquals("a`=b=c", NodeMetaTxt.rfc1464("a=b", "c"));
        assertEquals("``k=v``", NodeMetaTxt.rfc1464("`k", "v`"));
        assertEquals("` ` k` =v", NodeMetaTxt.rfc1464("  k ", "v"));
        assertEquals(List.of("caf\\195\\169 \\034q\\034 \\092"), NodeMetaTxt.strings("café \"q\" \\"));
    }

    @Test
    void ipLiteralsNeverResolveNames() {
        assertEquals("10.0.0.1", IpLiterals.parse("10.0.0.1").getHostAddress());
        assertNull(IpLiterals.parse("10.0.0.256"));
        assertNull(IpLiterals.parse("010.0.0.1"));
        assertNull(IpLiterals.parse("localhost"));
        assertNull(IpLiterals.parse("example.com"));
        assertNull(IpLiterals.parse("1:2"));
        assertNull(IpLiterals.parse("fe80::1%eth0"));
        assertEquals("2001:db8:0:0:0:0:0:1", IpLiterals.parse("2001:db8::1").getHostAddress());
        assertEquals("0a000001", IpLiterals.hex(IpLiterals.parse("10.0.0.1")));
        assertEquals(IpLiterals.parse("10.0.0.1"), IpLiterals.fromHex("0A000001"));
        assertEquals("[::1]:53", IpLiterals.hostPort("::1", 53));
    }
}
