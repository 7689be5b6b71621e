package io.conclave.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.launcher.http.FakeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client verbs (members, catalog, services, maint, info, reload) against a fake agent that
 * answers canned bodies and records every request; expected outputs follow Consul's commands.
 */
class ClientVerbsTest {

    @RegisterExtension
    final FakeAgent agent = new FakeAgent();

    @TempDir
    Path dir;

    private void answer(String target, String body) {
        agent.replace(target, 200, body);
    }

    private int run(String... args) {
        Cli cli = new Cli(agent.ui(), agent.env());
        agent.requests.clear();
        agent.bodies.clear();
        return cli.run(args);
    }

    private String out() {
        return agent.out();
    }

    private String err() {
        return agent.err();
    }

    // ------------------------------------------------------------------ members

    private static final String MEMBERS = """
            [{"Name":"VM-0-17-centos","Addr":"127.0.0.1","Port":8301,"Status":1,
              "Tags":{"acls":"0","bootstrap":"1","build":"1.9.0:a417fe51","dc":"dc1","id":"def3b026","port":"8300",
                      "raft_vsn":"3","role":"consul","segment":"","vsn":"2","vsn_max":"3","vsn_min":"2"}},
             {"Name":"agent-two","Addr":"10.4.7.14","Port":8301,"Status":4,
              "Tags":{"build":"0.7.5:21e8ff0b","dc":"dc1","role":"node","vsn":"2"}},
             {"Name":"a-v6","Addr":"::1","Port":8301,"Status":3,"Tags":{"role":"other"}}]""";

    @Test
    void membersPrintsConsulsColumns() {
        answer("GET /v1/agent/members", MEMBERS);
        assertEquals(0, run("members"));
        // columnize pads every cell but a line's last, so the unknown member's line ends in spaces
        assertEquals("Node            Address         Status  Type     Build  Protocol  DC   Segment\n"
                + "VM-0-17-centos  127.0.0.1:8301  alive   server   1.9.0  2         dc1  <all>\n"
                + "a-v6            [::1]:8301      left    unknown" + " ".repeat(24) + "\n"
                + "agent-two       10.4.7.14:8301  failed  client   0.7.5  2         dc1  <default>\n", out());
        assertEquals(List.of("GET /v1/agent/members"), agent.requests);
    }

    @Test
    void membersDetailedPrintsSortedTags() {
        answer("GET /v1/agent/members", MEMBERS);
        assertEquals(0, run("members", "-detailed", "-status", "alive"));
        assertEquals("""
                Node            Address         Status  Tags
                VM-0-17-centos  127.0.0.1:8301  alive   acls=0,bootstrap=1,build=1.9.0:a417fe51,dc=dc1,id=def3b026,port=8300,raft_vsn=3,role=consul,segment=<all>,vsn=2,vsn_max=3,vsn_min=2
                """, out());
    }

    @Test
    void membersExitsTwoWhenNothingMatchesAndOneOnBadRegexp() {
        answer("GET /v1/agent/members", MEMBERS);
        assertEquals(2, run("members", "-status", "leaving"));
        assertEquals("", out());
        assertEquals(1, run("members", "-status", "("));
        assertTrue(err().startsWith("Failed to compile status regexp: "), err());
        assertEquals(0, run("members", "-wan"));
        assertEquals(List.of("GET /v1/agent/members?wan=1"), agent.requests);
    }

    @Test
    void membersReportsAgentErrors() {
        agent.replace("GET /v1/agent/members", 500, "boom");
        assertEquals(1, run("members"));
        assertEquals("Error retrieving members: Unexpected response code: 500 (boom)\n", err());
    }

    // ------------------------------------------------------------------ catalog

    private static final String NODES = """
            [{"ID":"41958888-acfb-fe9e-13ae-a3b8f8534b2a","Node":"VM-0-17-centos","Address":"127.0.0.1",
              "Datacenter":"dc1","TaggedAddresses":{"wan":"127.0.0.1","lan":"127.0.0.1"},
              "Meta":{"consul-network-segment":"","rack":"r1"}},
             {"ID":"","Node":"n2","Address":"10.0.0.2","Datacenter":"dc1","TaggedAddresses":null,"Meta":null}]""";

    @Test
    void catalogDatacentersListsOnePerLine() {
        answer("GET /v1/catalog/datacenters", "[\"dc1\",\"dc2\"]");
        assertEquals(0, run("catalog", "datacenters"));
        assertEquals("dc1\ndc2\n", out());
        assertEquals(1, run("catalog", "datacenters", "extra"));
        assertEquals("Too many arguments (expected 0, got 1)\n", err());
    }

    @Test
    void catalogNodesTruncatesIdsUnlessDetailed() {
        answer("GET /v1/catalog/nodes", NODES);
        assertEquals(0, run("catalog", "nodes"));
        assertEquals("""
                Node            ID        Address    DC
                VM-0-17-centos  41958888  127.0.0.1  dc1
                n2                        10.0.0.2   dc1
                """, out());
        assertEquals(0, run("catalog", "nodes", "-detailed", "-node-meta", "rack=r1", "-node-meta", "a=b", "-near", "_agent"));
        assertEquals("Node            ID                                    Address    DC   TaggedAddresses               Meta\n"
                + "VM-0-17-centos  41958888-acfb-fe9e-13ae-a3b8f8534b2a  127.0.0.1  dc1  lan=127.0.0.1, wan=127.0.0.1  "
                + "consul-network-segment=, rack=r1\n"
                + "n2                                                    10.0.0.2   dc1  " + " ".repeat(30) + "\n", out());
        assertEquals(List.of("GET /v1/catalog/nodes?node-meta=rack:r1&node-meta=a:b&near=_agent"), agent.requests);
    }

    @Test
    void catalogNodesForAServiceAndWhenEmpty() {
        answer("GET /v1/catalog/service/web", """
                [{"ID":"41958888-acfb-fe9e-13ae-a3b8f8534b2a","Node":"n1","Address":"127.0.0.1","Datacenter":"dc1",
                  "NodeMeta":{},"ServiceID":"web","ServiceName":"web"}]""");
        assertEquals(0, run("catalog", "nodes", "-service", "web"));
        assertEquals("Node  ID        Address    DC\nn1    41958888  127.0.0.1  dc1\n", out());
        answer("GET /v1/catalog/nodes", "[]");
        assertEquals(0, run("catalog", "nodes"));
        assertEquals("No nodes match the given query - try expanding your search.\n", err());
        assertEquals(1, run("catalog", "nodes", "-node-meta", "nokey"));
        assertTrue(err().startsWith("invalid value \"nokey\" for flag -node-meta: Missing \"=\" value in argument: nokey\n"),
                err());
    }

    @Test
    void catalogServicesWithAndWithoutTags() {
        answer("GET /v1/catalog/services", "{\"web\":[\"java\",\"api\"],\"consul\":[],\"postgresql\":[\"primary\"]}");
        assertEquals(0, run("catalog", "services"));
        assertEquals("consul\npostgresql\nweb\n", out());
        assertEquals(0, run("catalog", "services", "-tags"));
        // Go's tabwriter pads the name column to its widest cell plus 6
        assertEquals("consul          \npostgresql      primary\nweb             api,java\n", out());
    }

    @Test
    void catalogServicesOfANode() {
        answer("GET /v1/catalog/node/n1", """
                {"Node":{"Node":"n1"},"Services":{"web-1":{"ID":"web-1","Service":"web","Tags":["b"]},
                 "web-2":{"ID":"web-2","Service":"web","Tags":["a"]},"db":{"ID":"db","Service":"db","Tags":[]}}}""");
        assertEquals(0, run("catalog", "services", "-node", "n1", "-tags"));
        assertEquals("db       \nweb      a,b\n", out());
        answer("GET /v1/catalog/node/ghost", "null");
        assertEquals(0, run("catalog", "services", "-node", "ghost"));
        assertEquals("No services match the given query - try expanding your search.\n", err());
        assertEquals(0, run("catalog", "services", "-node", "ghost", "-stale", "-datacenter", "dc2"));
        assertEquals(List.of("GET /v1/catalog/node/ghost?dc=dc2&stale"), agent.requests);
    }

    // ------------------------------------------------------------------ services

    @Test
    void servicesRegisterFromFlags() {
        answer("PUT /v1/agent/service/register", "");
        assertEquals(0, run("services", "register", "-name", "web", "-port", "8080", "-tag", "a", "-tag", "b",
                "-meta", "env=prod"));
        assertEquals("Registered service: web\n", out());
        assertEquals(List.of("PUT /v1/agent/service/register"), agent.requests);
        assertEquals("{\"Name\":\"web\",\"Port\":8080,\"Tags\":[\"a\",\"b\"],\"Meta\":{\"env\":\"prod\"}}", agent.bodies.get(0));
    }

    @Test
    void servicesRegisterFromJsonAndHclFilesWithApiFieldNames() throws Exception {
        answer("PUT /v1/agent/service/register", "");
        Path json = dir.resolve("web.json");
        Files.writeString(json, """
                {"service": {"name": "web", "tags": ["java"], "port": 8080, "enable_tag_override": true,
                 "check": {"id": "web-http", "http": "http://localhost:8080/health", "interval": "10s",
                           "tls_skip_verify": true}}}""");
        Path hcl = dir.resolve("db.hcl");
        Files.writeString(hcl, "services {\n  name = \"db\"\n  weights { passing = 3 }\n}\n");
        assertEquals(0, run("services", "register", "-tag", "extra", json.toString(), hcl.toString()));
        assertEquals("Registered service: web\nRegistered service: db\n", out());
        assertEquals("{\"Name\":\"web\",\"Tags\":[\"java\",\"extra\"],\"Port\":8080,\"EnableTagOverride\":true,"
                + "\"Check\":{\"CheckID\":\"web-http\",\"HTTP\":\"http://localhost:8080/health\",\"Interval\":\"10s\","
                + "\"TLSSkipVerify\":true}}", agent.bodies.get(0));
        assertEquals("{\"Name\":\"db\",\"Weights\":{\"Passing\":3},\"Tags\":[\"extra\"]}", agent.bodies.get(1));
    }

    @Test
    void servicesRegisterErrors() throws Exception {
        assertEquals(1, run("services", "register"));
        assertEquals("Service registration requires at least one argument or flags.\n", err());
        assertEquals(1, run("services", "register", "-name", "x", "file.json"));
        assertEquals("Service registration requires arguments or -id, not both.\n", err());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"service\": {\"name\": \"web\", \"prot\": 1}}");
        assertEquals(1, run("services", "register", bad.toString()));
        assertEquals("Error: Error parsing " + bad + ": invalid config key service.prot\n", err());
        agent.replace("PUT /v1/agent/service/register", 400, "Invalid check: TTL must be > 0");
        assertEquals(1, run("services", "register", "-name", "web"));
        assertEquals("Error registering service \"web\": Unexpected response code: 400 (Invalid check: TTL must be > 0)\n",
                err());
    }

    @Test
    void servicesDeregisterByIdOrFile() throws Exception {
        answer("PUT /v1/agent/service/deregister/web-1", "");
        answer("PUT /v1/agent/service/deregister/db", "");
        answer("PUT /v1/agent/service/deregister/scope/name", "");
        assertEquals(0, run("services", "deregister", "-id", "web-1"));
        assertEquals("Deregistered service: web-1\n", out());
        Path f = dir.resolve("svcs.json");
        Files.writeString(f, "{\"services\": [{\"id\": \"web-1\", \"name\": \"web\"}, {\"name\": \"db\"}]}");
        assertEquals(0, run("services", "deregister", f.toString()));
        assertEquals("Deregistered service: web-1\nDeregistered service: db\n", out());
        assertEquals(List.of("PUT /v1/agent/service/deregister/web-1", "PUT /v1/agent/service/deregister/db"), agent.requests);
        assertEquals(1, run("services", "deregister"));
        assertEquals("Service deregistration requires at least one argument or -id.\n", err());
        agent.replace("PUT /v1/agent/service/deregister/nope", 404,
                "Unknown service ID \"nope\". Ensure that the service ID is passed, not the service name.");
        assertEquals(1, run("services", "deregister", "-id", "nope"));
        assertEquals("Error deregistering service \"nope\": Unexpected response code: 404 (Unknown service ID \"nope\". "
                + "Ensure that the service ID is passed, not the service name.)\n", err());
    }

    // ------------------------------------------------------------------ maint

    private static final String SELF = """
            {"Config":{"Datacenter":"dc1","NodeName":"node-1"},
             "Stats":{"agent":{"checks":"2","services":"1"},"build":{"version":"0.1.0","revision":"abc"},
                      "runtime":{"goroutines":5,"arch":"amd64"},"consul":{"leader":"true","server":"true"}}}""";

    @Test
    void maintListsNodeAndServiceMaintenance() {
        answer("GET /v1/agent/self", SELF);
        answer("GET /v1/agent/checks", """
                {"_service_maintenance:web":{"CheckID":"_service_maintenance:web","ServiceID":"web","Notes":"deploy"},
                 "_node_maintenance":{"CheckID":"_node_maintenance","Notes":"kernel upgrade"},
                 "service:web":{"CheckID":"service:web","ServiceID":"web","Notes":""}}""");
        assertEquals(0, run("maint"));
        assertEquals("Node:\n  Name:   node-1\n  Reason: kernel upgrade\n\n"
                + "Service:\n  ID:     web\n  Reason: deploy\n\n", out());
    }

    @Test
    void maintEnablesAndDisables() {
        answer("GET /v1/agent/self", SELF);
        answer("PUT /v1/agent/maintenance", "");
        answer("PUT /v1/agent/service/maintenance/web", "");
        assertEquals(0, run("maint", "-enable", "-reason", "patching"));
        assertEquals("Node maintenance is now enabled\n", out());
        assertEquals(List.of("GET /v1/agent/self", "PUT /v1/agent/maintenance?enable=true&reason=patching"), agent.requests);
        assertEquals(0, run("maint", "-disable"));
        assertEquals("Node maintenance is now disabled\n", out());
        assertEquals(0, run("maint", "-enable", "-service", "web"));
        assertEquals("Service maintenance is now enabled for \"web\"\n", out());
        assertEquals(0, run("maint", "-disable", "-service", "web"));
        assertEquals("Service maintenance is now disabled for \"web\"\n", out());
        agent.replace("PUT /v1/agent/service/maintenance/nope", 404, "Unknown service ID \"nope\"");
        assertEquals(1, run("maint", "-enable", "-service", "nope"));
        assertEquals("Error enabling service maintenance: Unexpected response code: 404 (Unknown service ID \"nope\")\n",
                err());
    }

    @Test
    void maintRejectsConflictingFlags() {
        assertEquals(1, run("maint", "-enable", "-disable"));
        assertEquals("Only one of -enable or -disable may be provided\n", err());
        assertEquals(1, run("maint", "-reason", "x"));
        assertEquals("Reason may only be provided with -enable\n", err());
        assertEquals(1, run("maint", "-service", "web"));
        assertEquals("Service requires either -enable or -disable\n", err());
        assertEquals(List.of(), agent.requests);
    }

    // ------------------------------------------------------------------ info, reload

    @Test
    void infoRendersStatsSorted() {
        answer("GET /v1/agent/self", SELF);
        assertEquals(0, run("info"));
        assertEquals("agent:\n\tchecks = 2\n\tservices = 1\nbuild:\n\trevision = abc\n\tversion = 0.1.0\n"
                + "consul:\n\tleader = true\n\tserver = true\nruntime:\n\tarch = amd64\n\tgoroutines = 5\n", out());
        answer("GET /v1/agent/self", "{\"Config\":{}}");
        assertEquals(1, run("info"));
        assertEquals("Agent response did not contain 'Stats' key: {\"Config\":{}}\n", err());
    }

    @Test
    void reloadPutsAndReportsLikeConsul() {
        answer("PUT /v1/agent/reload", "");
        assertEquals(0, run("reload"));
        assertEquals("Configuration reload triggered\n", out());
        assertEquals(List.of("PUT /v1/agent/reload"), agent.requests);
        agent.replace("PUT /v1/agent/reload", 500,
                "Failed to reload configs: Error parsing web.json: invalid config key prot");
        assertEquals(1, run("reload"));
        assertEquals("Error reloading: Unexpected response code: 500 (Failed to reload configs: Error parsing web.json: "
                + "invalid config key prot)\n", err());
        assertEquals(1, run("reload", "-http-addr=http://127.0.0.1:1"));
        assertTrue(err().startsWith("Error reloading: Put \"http://127.0.0.1:1/v1/agent/reload\": dial tcp"), err());
    }

    // ------------------------------------------------------------------ validate

    @Test
    void validateSaysValidOrFails() throws Exception {
        Path d = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(d.resolve("base.hcl"), "data_dir = \"/tmp/x\"\nservice { name = \"web\" }\n");
        assertEquals(0, run("validate", d.toString()));
        assertEquals("Configuration is valid!\n", out());
        assertEquals(0, run("validate", "-quiet", d.toString()));
        assertEquals("", out());
        Files.writeString(d.resolve("web.json"), "{\"service\": {\"name\": \"web\", \"check\": {\"ttl\": \"5y\"}}}");
        assertEquals(1, run("validate", d.toString()));
        assertEquals("Config validation failed: Error parsing " + d.resolve("web.json")
                + ": service.check.ttl: invalid duration: \"5y\": time: unknown unit \"y\" in duration \"5y\"\n", err());
        assertEquals(1, run("validate"));
        assertEquals("Must specify at least one config file or directory\n", err());
        Path noDataDir = dir.resolve("min.json");
        Files.writeString(noDataDir, "{}");
        assertEquals(1, run("validate", noDataDir.toString()));
        assertEquals("Config validation failed: data_dir cannot be empty\n", err());
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, "data_dir = \"/tmp/x\"");
        assertEquals(0, run("validate", "-config-format=hcl", conf.toString()));
    }
}
