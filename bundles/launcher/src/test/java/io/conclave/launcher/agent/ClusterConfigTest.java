package io.conclave.launcher.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client and server agents: modes, joining, encryption and what reaches PID io.conclave.agent. */
class ClusterConfigTest {

    private static final String KEY = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=";

    @TempDir
    Path dir;

    private List<String> privateIps = List.of("10.1.2.3");

    private AgentConfig build(String... args) throws Exception {
        Flags f = AgentCommand.flags();
        f.parse(List.of(args));
        return ConfigBuilder.build(f, new ConfigBuilder.Options(ConfigBuilder.Mode.RUN, () -> "host-1", null,
                () -> privateIps));
    }

    private String error(String... args) {
        return assertThrows(ConfigException.class, () -> build(args)).getMessage();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> agentPid(AgentConfig c) {
        return (Map<String, Object>) c.toPids().get(AgentConfig.PID_AGENT);
    }

    @Test
    void withoutDevOrServerTheAgentIsAClient() throws Exception {
        AgentConfig c = build("-data-dir", dir.toString(), "-node", "agent-two", "-bind", "127.0.0.2");
        Map<String, Object> pid = agentPid(c);
        assertEquals(false, pid.get("server"));
        assertEquals(false, pid.get("dev"));
        assertEquals(dir.toString(), pid.get("data_dir"));
        assertEquals("127.0.0.2", pid.get("bind_addr"));
        assertEquals("127.0.0.2", pid.get("advertise_addr"));
        assertEquals("127.0.0.2", pid.get("advertise_addr_wan"));
        assertEquals(0, pid.get("bootstrap_expect"));
        assertEquals("            Server: false (Bootstrap: false)", c.banner().get(5));
        // a client's node ID persists in its data directory, as Consul's does
        assertEquals(c.nodeId(), build("-data-dir", dir.toString(), "-bind", "127.0.0.2").nodeId());
    }

    @Test
    void theTutorialsServerBootstrapsItself() throws Exception {
        AgentConfig c = build("-server", "-bootstrap-expect=1", "-data-dir", dir.toString(), "-node=agent-one",
                "-bind=127.0.0.1");
        Map<String, Object> pid = agentPid(c);
        assertEquals(true, pid.get("server"));
        assertEquals(1, pid.get("bootstrap_expect"));
        assertEquals("            Server: true (Bootstrap: true)", c.banner().get(5));
        assertEquals(List.of("BootstrapExpect is set to 1; this is the same as Bootstrap mode."), c.warnings());
        assertEquals(1, agentPid(build("-server", "-bootstrap", "-data-dir", dir.toString(), "-bind=127.0.0.1"))
                .get("bootstrap_expect"));
        assertEquals(0, agentPid(build("-server", "-data-dir", dir.toString(), "-bind=127.0.0.1"))
                .get("bootstrap_expect"));
    }

    @Test
    void bootstrapRulesAreConsulsAndOnlyOneServerForNow() throws Exception {
        String d = "-data-dir=" + dir;
        assertEquals("'bootstrap_expect > 0' requires 'server = true'", error(d, "-bootstrap-expect=1"));
        assertEquals("'bootstrap_expect > 0' not allowed in dev mode", error("-dev", "-bootstrap-expect=1"));
        assertEquals("'bootstrap = true' requires 'server = true'", error(d, "-bootstrap"));
        assertEquals("'bootstrap_expect > 0' and 'bootstrap = true' are mutually exclusive",
                error(d, "-server", "-bootstrap", "-bootstrap-expect=1"));
        assertTrue(error(d, "-server", "-bootstrap-expect=3").startsWith("bootstrap_expect = 3: this version of "
                + "Conclave runs a single server per datacenter (bootstrap_expect 0 or 1)"));
        assertEquals("Error parsing command-line flags: bootstrap_expect cannot be -1. Must be greater than or equal "
                + "to zero", error(d, "-server", "-bootstrap-expect=-1"));
    }

    @Test
    void dataDirIsRequiredAndMustBeADirectory() throws Exception {
        assertEquals("data_dir cannot be empty", error("-server"));
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertEquals("data_dir \"" + file + "\" is not a directory", error("-data-dir", file.toString()));
    }

    @Test
    void devIsAnInMemoryServerOnLoopback() throws Exception {
        Map<String, Object> pid = agentPid(build("-dev"));
        assertEquals(true, pid.get("server"));
        assertEquals(true, pid.get("dev"));
        assertEquals("127.0.0.1", pid.get("bind_addr"));
        assertEquals("127.0.0.1", pid.get("advertise_addr"));
        assertEquals("", pid.get("data_dir"));
    }

    @Test
    void bindingToAnyAdvertisesTheOnePrivateAddress() throws Exception {
        String d = "-data-dir=" + dir;
        AgentConfig c = build(d);
        assertEquals("0.0.0.0", c.bindAddr());
        assertEquals("10.1.2.3", c.advertiseAddr());
        assertEquals("10.1.2.3", c.cluster().advertiseAddrWan());
        assertEquals(List.of("127.0.0.1"), c.clientAddrs());
        assertEquals("10.9.9.9", build(d, "-advertise", "10.9.9.9").advertiseAddr());
        assertEquals("192.0.2.1", build(d, "-advertise-wan", "192.0.2.1").cluster().advertiseAddrWan());

        privateIps = List.of();
        assertEquals("No private IPv4 address found", error(d));
        privateIps = List.of("10.1.2.3", "192.168.1.4");
        assertEquals("Multiple private IPv4 addresses found. Please configure one with 'bind' and/or 'advertise'.",
                error(d));
        assertEquals("10.1.2.3", build(d, "-bind", "10.1.2.3").advertiseAddr());
        assertEquals("Error parsing command-line flags: advertise_addr_wan: Advertise WAN address cannot be 0.0.0.0, "
                + ":: or [::]", error(d, "-bind=10.1.2.3", "-advertise-wan", "0.0.0.0"));
    }

    @Test
    void joinFlagsComeBeforeFileListsAndReachThePid() throws Exception {
        Path f = Files.writeString(dir.resolve("join.json"), """
                {"retry_join": ["10.0.0.9"], "start_join": ["10.0.0.8:8301"], "retry_interval": "5s",
                 "retry_max": 3, "start_join_wan": ["[::1]:8302"], "retry_join_wan": ["dc2.example"],
                 "retry_interval_wan": "1m", "retry_max_wan": -2, "rejoin_after_leave": true,
                 "reconnect_timeout": "8h", "reconnect_timeout_wan": "0s"}""");
        AgentConfig c = build("-dev", "-config-file", f.toString(), "-retry-join", "10.0.0.1", "-retry-join=host-b",
                "-join", "10.0.0.2");
        Map<String, Object> pid = agentPid(c);
        assertEquals(List.of("10.0.0.1", "host-b", "10.0.0.9"), pid.get("retry_join"));
        assertEquals(List.of("10.0.0.2", "10.0.0.8:8301"), pid.get("start_join"));
        assertEquals("5s", pid.get("retry_interval"));
        assertEquals(3, pid.get("retry_max"));
        assertEquals(List.of("[::1]:8302"), pid.get("start_join_wan"));
        assertEquals(List.of("dc2.example"), pid.get("retry_join_wan"));
        assertEquals("1m", pid.get("retry_interval_wan"));
        assertEquals(0, pid.get("retry_max_wan")); // Consul retries forever for any count below 1
        assertEquals(true, pid.get("rejoin_after_leave"));
        assertEquals("8h", pid.get("reconnect_timeout"));
        assertEquals("72h", pid.get("reconnect_timeout_wan"));

        AgentConfig flags = build("-dev", "-retry-interval=2s", "-retry-max=4", "-join-wan=10.0.0.5",
                "-retry-join-wan=10.0.0.6", "-retry-interval-wan=3s", "-retry-max-wan=5", "-rejoin");
        assertEquals(new AgentConfig.Cluster(true, 0, "127.0.0.1", "", true, true, List.of(), List.of(), "2s", 4,
                List.of("10.0.0.5"), List.of("10.0.0.6"), "3s", 5, "72h", "72h", true), flags.cluster());
    }

    @Test
    void badJoinSettingsAreConfigErrors() {
        assertEquals("invalid value \"soon\" for flag -retry-interval: parse error",
                assertThrows(FlagException.class, () -> build("-dev", "-retry-interval=soon")).getMessage());
        assertEquals("retry_interval cannot be 0s. Must be positive", error("-dev", "-retry-interval=0s"));
        assertEquals("Error parsing command-line flags: retry_join[0]: cloud auto-join (provider=...) is not "
                + "supported by this version of Conclave yet", error("-dev", "-retry-join", "provider=aws tag_key=x"));
        assertEquals("Error parsing command-line flags: start_join[1]: invalid port in address 10.0.0.1:99999",
                error("-dev", "-join", "10.0.0.2", "-join", "10.0.0.1:99999"));
        assertEquals("Error parsing command-line flags: start_join_wan[0]: invalid address: [nope]:1",
                error("-dev", "-join-wan", "[nope]:1"));
    }

    @Test
    void gossipKeysAreCheckedAsConsulChecksThem() throws Exception {
        AgentConfig c = build("-dev", "-encrypt", KEY);
        assertEquals(KEY, agentPid(c).get("encrypt"));
        assertTrue(c.banner().get(8).contains("Encrypt: Gossip: true,"), c.banner().get(8));
        String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
        assertEquals(sixteen, build("-dev", "-hcl", "encrypt = \"" + sixteen + "\"").cluster().encrypt());
        assertEquals("encrypt has invalid key: key size must be 16, 24 or 32 bytes",
                error("-dev", "-encrypt", Base64.getEncoder().encodeToString(new byte[10])));
        assertEquals("encrypt has invalid key: illegal base64 data at input byte 3", error("-dev", "-encrypt", "abc!"));
        assertEquals("encrypt has invalid key: illegal base64 data at input byte 4", error("-dev", "-encrypt", "abcdef"));
        Map<String, Object> pid = agentPid(build("-dev", "-hcl",
                "encrypt_verify_incoming = false\nencrypt_verify_outgoing = false"));
        assertEquals(false, pid.get("encrypt_verify_incoming"));
        assertEquals(false, pid.get("encrypt_verify_outgoing"));
    }

    @Test
    void generatedKeysAreValid32ByteKeys() {
        String key = GossipKey.generate(new SecureRandom());
        assertEquals(32, Base64.getDecoder().decode(key).length);
        assertEquals(null, GossipKey.problem(key));
    }

    @Test
    void reloadKeepsClusterSettingsAndNeverPrintsAKey() throws Exception {
        String id = "-node-id=41958888-acfb-fe9e-13ae-a3b8f8534b2a";
        AgentConfig running = build("-dev", id, "-encrypt", KEY);
        AgentConfig fresh = build("-dev", id, "-retry-join", "10.0.0.1");
        AgentConfig next = Reloader.keepRestartOnly(running, fresh);
        assertEquals(running.cluster(), next.cluster());
        assertEquals(List.of("Reloading encrypt needs a restart: the agent keeps its gossip key",
                "Reloading retry_join needs a restart: the agent keeps [] (the configuration now says [\"10.0.0.1\"])"),
                next.warnings());
    }

    @Test
    void validateAcceptsTheClusterKeys() throws Exception {
        Path f = Files.writeString(dir.resolve("server.hcl"), """
                server = true
                bootstrap_expect = 1
                data_dir = "/opt/conclave"
                bind_addr = "10.0.0.1"
                advertise_addr = "10.0.0.1"
                advertise_addr_wan = "198.51.100.1"
                client_addr = "127.0.0.1 10.0.0.1"
                ports { serf_lan = 8301, serf_wan = 8302, server = 8300, http = 8500, dns = 8600 }
                start_join = ["10.0.0.2"]
                retry_join = ["10.0.0.3", "10.0.0.4:8301"]
                retry_interval = "15s"
                retry_max = 5
                start_join_wan = ["198.51.100.2"]
                retry_join_wan = ["198.51.100.3"]
                retry_interval_wan = "1m"
                retry_max_wan = 0
                encrypt = "%s"
                encrypt_verify_incoming = true
                encrypt_verify_outgoing = true
                reconnect_timeout = "72h"
                reconnect_timeout_wan = "96h"
                rejoin_after_leave = true
                """.formatted(KEY));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Ui ui = new Ui(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
        assertEquals(0, new ValidateCommand(ui).run(List.of(f.toString())), err.toString());
        assertEquals("Configuration is valid!\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("BootstrapExpect is set to 1; this is the same as Bootstrap mode.\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theShippedServerAndClientExamplesAreValid() throws Exception {
        Path conf = Path.of("../../config").toAbsolutePath().normalize();
        for (String name : List.of("server.hcl", "client.hcl", "dev.hcl", "dev.json")) {
            Flags f = AgentCommand.flags();
            f.parse(List.of("-config-file", conf.resolve(name).toString(), "-data-dir", dir.toString(),
                    "-bind", "127.0.0.1"));
            AgentConfig c = ConfigBuilder.build(f, new ConfigBuilder.Options(ConfigBuilder.Mode.VALIDATE,
                    () -> "host-1", null, () -> privateIps));
            assertEquals(name.equals("server.hcl"), c.cluster().server(), name);
        }
        Flags f = AgentCommand.flags();
        f.parse(List.of("-config-file", conf.resolve("client.hcl").toString(), "-data-dir", dir.toString()));
        assertEquals(List.of("10.11.0.31"), ConfigBuilder.build(f, new ConfigBuilder.Options(ConfigBuilder.Mode.RUN,
                () -> "host-1", null, () -> privateIps)).cluster().retryJoin());
    }
}
