package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.conclave.api.catalog.Health;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's {@code dig} sessions against the real listener, read the way a person reads them:
 * header status, flags and counts, and the record lines (whitespace normalised). Needs {@code dig}
 * (Debian package bind9-dnsutils, which the project's test command installs).
 */
class DigTest extends DnsTestBase {

    @Override
    void seed(FakeAgent c) {
        c.node("VM-0-17-centos", "127.0.0.1", Map.of("consul-network-segment", ""));
        c.service("VM-0-17-centos", "web", "web", 8080, "", List.of("java"));
        c.check("VM-0-17-centos", "service:web", "web", Health.PASSING);
    }

    @Test
    void nodeLookup() throws Exception {
        List<String> out = dig("VM-0-17-centos.node.consul");
        assertHeader(out, "NOERROR", "qr aa rd", 1, 1, 0, 2);
        assertTrue(out.contains(";; WARNING: recursion requested but not available"), String.join("\n", out));
        assertTrue(out.contains("VM-0-17-centos.node.consul. 0 IN A 127.0.0.1"), String.join("\n", out));
        assertTrue(out.contains("VM-0-17-centos.node.consul. 0 IN TXT \"consul-network-segment=\""),
                String.join("\n", out));
    }

    @Test
    void serviceA() throws Exception {
        List<String> out = dig("web.service.consul");
        assertHeader(out, "NOERROR", "qr aa rd", 1, 1, 0, 1);
        assertTrue(out.stream().anyMatch(l -> l.matches("; EDNS: version: 0, flags:; udp: \\d+")), String.join("\n", out));
        assertTrue(out.contains("web.service.consul. 0 IN A 127.0.0.1"), String.join("\n", out));
    }

    @Test
    void serviceSrv() throws Exception {
        List<String> out = dig("web.service.consul", "SRV");
        assertHeader(out, "NOERROR", "qr aa rd", 1, 1, 0, 3);
        assertTrue(out.contains("web.service.consul. 0 IN SRV 1 1 8080 VM-0-17-centos.node.dc1.consul."),
                String.join("\n", out));
        assertTrue(out.contains("VM-0-17-centos.node.dc1.consul. 0 IN A 127.0.0.1"), String.join("\n", out));
        assertTrue(out.contains("VM-0-17-centos.node.dc1.consul. 0 IN TXT \"consul-network-segment=\""),
                String.join("\n", out));
        List<String> tagged = dig("java.web.service.consul", "SRV");
        assertTrue(tagged.contains("java.web.service.consul. 0 IN SRV 1 1 8080 VM-0-17-centos.node.dc1.consul."),
                String.join("\n", tagged));
    }

    @Test
    void unknownServiceIsNxdomainWithSoa() throws Exception {
        List<String> out = dig("redis.service.consul", "SRV");
        assertHeader(out, "NXDOMAIN", "qr aa rd", 1, 0, 1, 1);
        assertTrue(out.stream().anyMatch(l -> l.matches(
                "consul\\. 0 IN SOA ns\\.consul\\. hostmaster\\.consul\\. \\d+ 3600 600 86400 0")), String.join("\n", out));
    }

    @Test
    void overTcpToo() throws Exception {
        List<String> out = dig("+tcp", "web.service.consul");
        assertHeader(out, "NOERROR", "qr aa rd", 1, 1, 0, 1);
    }

    private static void assertHeader(List<String> out, String status, String flags, int query, int answer,
                                     int authority, int additional) {
        String all = String.join("\n", out);
        assertTrue(out.stream().anyMatch(l -> l.matches(";; ->>HEADER<<- opcode: QUERY, status: " + status
                + ", id: \\d+")), all);
        assertTrue(out.contains(";; flags: " + flags + "; QUERY: " + query + ", ANSWER: " + answer + ", AUTHORITY: "
                + authority + ", ADDITIONAL: " + additional), all);
    }

    private List<String> dig(String... args) throws IOException, InterruptedException {
        assumeTrue(onPath("dig"), "dig is not installed (apt-get install -y bind9-dnsutils)");
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(engine.port()),
                "+tries=1", "+time=3"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "dig finished");
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            lines.add(l.startsWith(";") ? l.trim() : l.trim().replaceAll("\\s+", " "));
        }
        return lines;
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(Pattern.quote(File.pathSeparator))) {
            if (new File(dir, exe).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
