package io.conclave.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.launcher.agent.ConfigBuilder;
import io.conclave.launcher.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, validating and merging configuration sources in Consul's order. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private String write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p.toString();
    }

    private Map<String, Object> merge(String... paths) throws ConfigException {
        return ConfigBuilder.merge(List.of(paths), "", Map.of(), Map.of(), List.of(), warnings);
    }

    private String error(String... paths) {
        return assertThrows(ConfigException.class, () -> merge(paths)).getMessage();
    }

    @Test
    void filesInCommandLineOrderThenFlagsThenHclFragments() throws Exception {
        String a = write("a.json", "{\"datacenter\":\"a\",\"node_name\":\"a\",\"log_level\":\"warn\"}");
        String b = write("b.hcl", "datacenter = \"b\"\nnode_name = \"b\"");
        Map<String, Object> values = new LinkedHashMap<>(Map.of("node_name", "flag"));
        Map<String, Object> m = ConfigBuilder.merge(List.of(a, b), "", Map.of(), values,
                List.of("log_level = \"debug\""), warnings);
        assertEquals("b", m.get("datacenter"));
        assertEquals("flag", m.get("node_name"));
        assertEquals("debug", m.get("log_level"));
    }

    @Test
    void directoriesReadJsonAndHclLexicallyAndSkipOthersWithAWarning() throws Exception {
        write("conf.d/20-b.hcl", "node_name = \"second\"");
        write("conf.d/10-a.json", "{\"node_name\":\"first\",\"datacenter\":\"dc7\"}");
        write("conf.d/notes.txt", "ignored");
        write("conf.d/sub/99.json", "{\"node_name\":\"not read\"}");
        Map<String, Object> m = merge(dir.resolve("conf.d").toString());
        assertEquals("second", m.get("node_name"));
        assertEquals("dc7", m.get("datacenter"));
        assertEquals(List.of("skipping file " + dir.resolve("conf.d/notes.txt")
                + ", extension must be .hcl or .json, or config format must be set"), warnings);
    }

    @Test
    void configFormatForcesTheParser() throws Exception {
        String f = write("agent.conf", "datacenter = \"hcl-dc\"");
        Map<String, Object> m = ConfigBuilder.merge(List.of(f), "hcl", Map.of(), Map.of(), List.of(), warnings);
        assertEquals("hcl-dc", m.get("datacenter"));
        assertEquals("config: -config-format must be either 'hcl' or 'json'", assertThrows(ConfigException.class,
                () -> ConfigBuilder.merge(List.of(f), "yaml", Map.of(), Map.of(), List.of(), warnings)).getMessage());
    }

    @Test
    void objectsMergeKeyByKeyListsConcatenateMapsAreReplaced() throws Exception {
        String a = write("a.json", """
                {"ports": {"http": 8501}, "recursors": ["1.1.1.1"], "node_meta": {"rack": "r1", "zone": "z"},
                 "services": [{"name": "a"}], "service": {"name": "b"}}""");
        String b = write("b.hcl", """
                ports { dns = 8653 }
                recursors = ["8.8.8.8"]
                node_meta { rack = "r2" }
                service { name = "c" }
                check { name = "disk", ttl = "30s" }
                """);
        Map<String, Object> m = merge(a, b);
        assertEquals(Map.of("http", 8501L, "dns", 8653L), m.get("ports"));
        assertEquals(List.of("1.1.1.1", "8.8.8.8"), m.get("recursors"));
        assertEquals(Map.of("rack", "r2"), m.get("node_meta")); // Consul's Merge: a later non-empty map wins whole
        assertEquals("[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]", Json.write(m.get("services")));
        assertEquals("[{\"name\":\"disk\",\"ttl\":\"30s\"}]", Json.write(m.get("checks")));
    }

    @Test
    void flagListsComeBeforeFileLists() throws Exception {
        String a = write("a.json", "{\"recursors\": [\"1.1.1.1\"]}");
        Map<String, Object> slices = new LinkedHashMap<>();
        slices.put("recursors", new ArrayList<Object>(List.of("9.9.9.9")));
        Map<String, Object> m = ConfigBuilder.merge(List.of(a), "", slices, Map.of(), List.of(), warnings);
        assertEquals(List.of("9.9.9.9", "1.1.1.1"), m.get("recursors"));
    }

    @Test
    void keysMatchCaseInsensitivelyAndDefinitionsAcceptPascalCase() throws Exception {
        String a = write("a.json", """
                {"Datacenter": "dc2", "Service": {"Name": "web", "EnableTagOverride": true,
                 "Checks": [{"CheckID": "c1", "ScriptArgs": ["true"], "Interval": "5s", "TLSSkipVerify": true}]}}""");
        Map<String, Object> m = merge(a);
        assertEquals("dc2", m.get("datacenter"));
        // definitions are kept exactly as written
        assertEquals("[{\"Name\":\"web\",\"EnableTagOverride\":true,\"Checks\":[{\"CheckID\":\"c1\","
                + "\"ScriptArgs\":[\"true\"],\"Interval\":\"5s\",\"TLSSkipVerify\":true}]}]", Json.write(m.get("services")));
    }

    @Test
    void hclServiceWithCheckBlocksIsShapedLikeJson() throws Exception {
        String h = write("web.hcl", """
                service {
                  name = "web"
                  weights { passing = 3 }
                  checks { http = "http://localhost/health", interval = "10s" }
                  check { ttl = "30s" }
                }
                """);
        assertEquals("[{\"name\":\"web\",\"weights\":{\"passing\":3},\"checks\":[{\"http\":\"http://localhost/health\","
                + "\"interval\":\"10s\"}],\"check\":{\"ttl\":\"30s\"}}]", Json.write(merge(h).get("services")));
    }

    @Test
    void customCheckTypesMayCarryTheirOwnKeys() throws Exception {
        String a = write("a.json", "{\"check\": {\"name\": \"q\", \"type\": \"example\", \"queue\": \"jobs\", \"depth\": 5}}");
        assertEquals("[{\"name\":\"q\",\"type\":\"example\",\"queue\":\"jobs\",\"depth\":5}]",
                Json.write(merge(a).get("checks")));
        String b = write("b.json", "{\"check\": {\"name\": \"q\", \"ttl\": \"5s\", \"queue\": \"jobs\"}}");
        assertEquals("Error parsing " + b + ": invalid config key check.queue", error(b));
    }

    @Test
    void unknownKeysAreNamedWithTheirPathAllAtOnce() throws Exception {
        String a = write("a.json", "{\"node_name\":\"x\",\"colour\":\"red\"}");
        assertEquals("Error parsing " + a + ": invalid config key colour", error(a));
        String b = write("b.hcl", "ports { htp = 1 }\nservice {\n name = \"w\"\n check {\n  script = \"x\"\n  ttl = \"1s\" } }");
        assertEquals("Error parsing " + b + ": 2 errors occurred:\n\t* invalid config key ports.htp"
                + "\n\t* invalid config key service.check.script", error(b));
        String c = write("c.json", "{\"services\":[{\"name\":\"a\"},{\"name\":\"b\",\"prot\":1}]}");
        assertEquals("Error parsing " + c + ": invalid config key services[1].prot", error(c));
    }

    @Test
    void consulKeysNotImplementedSaySo() throws Exception {
        String a = write("srv.json", "{\"serf_lan_allowed_cidrs\":[\"10.0.0.0/8\"]}");
        assertEquals("Error parsing " + a + ": config key serf_lan_allowed_cidrs is not supported by this version of "
                + "Conclave yet", error(a));
        String b = write("p.hcl", "ports { sidecar_min_port = 21000 }");
        assertEquals("Error parsing " + b + ": config key ports.sidecar_min_port is not supported by this version of "
                + "Conclave yet", error(b));
    }

    @Test
    void badValuesNameFileKeyAndReason() throws Exception {
        assertEquals("datacenter: expected a string, got 5", tail(write("a.json", "{\"datacenter\": 5}")));
        assertEquals("ports.dns: invalid port: 70000", tail(write("b.json", "{\"ports\": {\"dns\": 70000}}")));
        assertEquals("check_update_interval: invalid duration: \"5x\": time: unknown unit \"x\" in duration \"5x\"",
                tail(write("c.hcl", "check_update_interval = \"5x\"")));
        assertEquals("dns_config.service_ttl[\"web\"]: invalid duration: \"soon\": time: invalid duration \"soon\"",
                tail(write("d.json", "{\"dns_config\": {\"service_ttl\": {\"web\": \"soon\"}}}")));
        assertEquals("dns_config.udp_answer_limit cannot be -1. Must be greater than or equal to zero",
                tail(write("e.json", "{\"dns_config\": {\"udp_answer_limit\": -1}}")));
        assertEquals("enable_script_checks: expected a boolean, got \"yes\"",
                tail(write("f.json", "{\"enable_script_checks\": \"yes\"}")));
        assertEquals("client_addr: invalid ip address: localhost", tail(write("g.json", "{\"client_addr\": \"localhost\"}")));
        assertEquals("recursors[0]: DNS Recursors cannot be unix sockets: unix:///x",
                tail(write("h.json", "{\"recursors\": [\"unix:///x\"]}")));
        assertEquals("node_meta: node_meta invalid: Couldn't load metadata pair ('consul-x', 'y'): Key prefix 'consul-' is "
                + "reserved for internal use", tail(write("i.json", "{\"node_meta\": {\"consul-x\": \"y\"}}")));
        assertEquals("service: expected a single service, got 2 (use `services` for several)",
                tail(write("j.hcl", "service { name = \"a\" }\nservice { name = \"b\" }")));
        assertEquals("limits.kv_max_value_size: value -1 out of range",
                tail(write("k.json", "{\"limits\": {\"kv_max_value_size\": -1}}")));
    }

    @Test
    void serviceAndCheckDefinitionsAreValidatedLikeConsuls() throws Exception {
        assertEquals("service: Service name missing", tail(write("a.json", "{\"service\": {\"port\": 80}}")));
        assertEquals("service.check: Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or GRPC checks",
                tail(write("b.json", "{\"service\": {\"name\": \"w\", \"check\": {\"args\": [\"true\"]}}}")));
        assertEquals("checks[0]: TTL must be > 0 for TTL checks",
                tail(write("c.json", "{\"checks\": [{\"name\": \"n\"}]}")));
        assertEquals("check: Interval and TTL cannot both be specified",
                tail(write("d.json", "{\"check\": {\"name\": \"n\", \"ttl\": \"5s\", \"interval\": \"5s\"}}")));
        assertEquals("check: Missing check name", tail(write("e.json", "{\"check\": {\"ttl\": \"5s\"}}")));
        assertEquals("service.checks[0].interval: invalid duration: \"10\": time: missing unit in duration \"10\"",
                tail(write("f.json", "{\"service\": {\"name\": \"w\", \"checks\": [{\"tcp\": \"a:1\", \"interval\": \"10\"}]}}")));
        assertEquals("services[0]: Invalid weight definition for service w: Passing must be greater than 0",
                tail(write("g.json", "{\"services\": [{\"name\": \"w\", \"weights\": {\"passing\": 0}}]}")));
        assertEquals("service: invalid meta for service w: Couldn't load metadata pair ('', 'v'): Key cannot be blank",
                tail(write("h.json", "{\"service\": {\"name\": \"w\", \"meta\": {\"\": \"v\"}}}")));
        assertEquals("check: invalid check status \"ok\": must be passing, warning or critical",
                tail(write("i.json", "{\"check\": {\"name\": \"n\", \"ttl\": \"5s\", \"status\": \"ok\"}}")));
        assertEquals("service.tags[1]: expected a string, got 2",
                tail(write("j.json", "{\"service\": {\"name\": \"w\", \"tags\": [\"a\", 2]}}")));
    }

    @Test
    void syntaxErrorsNameTheFile() throws Exception {
        String j = write("broken.json", "{\"datacenter\": }");
        assertTrue(error(j).startsWith("Error parsing " + j + ": invalid character '}'"), error(j));
        String h = write("broken.hcl", "datacenter = \"dc1\"\nports {");
        assertEquals("Error parsing " + h + ": At 2:8: object expected closing '}', got end of input", error(h));
    }

    @Test
    void missingPathsUseConsulsWording() {
        String missing = dir.resolve("missing.json").toString();
        assertEquals("config: Open failed on " + missing + ". open " + missing + ": no such file or directory",
                error(missing));
    }

    @Test
    void hclFragmentsAreNamedInErrors() {
        assertEquals("Error parsing flags-0.hcl: invalid config key bogus", assertThrows(ConfigException.class,
                () -> ConfigBuilder.merge(List.of(), "", Map.of(), Map.of(), List.of("bogus = 1"), warnings))
                .getMessage());
    }

    private String tail(String file) {
        String msg = error(file);
        String prefix = "Error parsing " + file + ": ";
        assertTrue(msg.startsWith(prefix), msg);
        return msg.substring(prefix.length());
    }
}
