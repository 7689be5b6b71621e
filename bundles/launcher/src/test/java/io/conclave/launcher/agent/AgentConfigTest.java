package io.conclave.launcher.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path dir;

    private AgentConfig build(String... args) throws Exception {
        Flags f = AgentCommand.flags();
        f.parse(List.of(args));
        return AgentCommand.build(f, ConfigFiles.load(f.getList("config")), () -> "host-1");
    }

    private Path write(String name, String json) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    @Test
    void devDefaultsAreConsuls() throws Exception {
        AgentConfig c = build("-dev");
        assertEquals("host-1", c.nodeName());
        assertEquals("dc1", c.datacenter());
        assertEquals(List.of("127.0.0.1"), c.clientAddrs());
        assertEquals(8500, c.httpPort());
        assertEquals("info", c.logLevel());
        assertTrue(NodeIdentity.isValid(c.nodeId()), c.nodeId());
    }

    @Test
    void filesMergeInOrderAndFlagsWin() throws Exception {
        Path a = write("a.json", "{\"datacenter\":\"east\",\"node_name\":\"from-a\",\"ports\":{\"http\":8600}}");
        Path b = write("b.json", "{\"node_name\":\"from-b\",\"log_level\":\"debug\"}");
        AgentConfig c = build("-dev", "-config-file", a.toString(), "-config-file=" + b, "-http-port=9500");
        assertEquals("east", c.datacenter());
        assertEquals("from-b", c.nodeName());
        assertEquals("debug", c.logLevel());
        assertEquals(9500, c.httpPort());
        assertEquals("flag", build("-dev", "-config-file", a.toString(), "-node", "flag").nodeName());
    }

    @Test
    void configDirReadsJsonFilesLexically() throws Exception {
        Path d = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(d.resolve("20-b.json"), "{\"node_name\":\"second\"}");
        Files.writeString(d.resolve("10-a.json"), "{\"node_name\":\"first\",\"datacenter\":\"dc7\"}");
        Files.writeString(d.resolve("notes.txt"), "ignored");
        AgentConfig c = build("-dev", "-config-dir", d.toString());
        assertEquals("second", c.nodeName());
        assertEquals("dc7", c.datacenter());
    }

    @Test
    void unknownKeyNamesFileAndKey() throws Exception {
        Path a = write("bad.json", "{\"node_name\":\"x\",\"colour\":\"red\"}");
        ConfigFiles.ConfigException e = assertThrows(ConfigFiles.ConfigException.class,
                () -> build("-dev", "-config-file", a.toString()));
        assertEquals("Error parsing " + a + ": invalid config key colour", e.getMessage());
    }

    @Test
    void consulKeysNotImplementedSaySo() throws Exception {
        Path a = write("srv.json", "{\"bootstrap_expect\":3}");
        assertEquals("Error parsing " + a + ": config key bootstrap_expect is not supported by this version of "
                        + "Conclave yet",
                assertThrows(ConfigFiles.ConfigException.class, () -> build("-dev", "-config-file", a.toString()))
                        .getMessage());
        Path p = write("ports.json", "{\"ports\":{\"dns\":53}}");
        assertTrue(assertThrows(ConfigFiles.ConfigException.class,
                () -> build("-dev", "-config-file", p.toString())).getMessage().contains("ports.dns is not supported"));
    }

    @Test
    void hclAndBrokenJsonFailClearly() throws Exception {
        Path h = write("a.hcl", "datacenter = \"dc1\"");
        assertTrue(assertThrows(ConfigFiles.ConfigException.class, () -> build("-dev", "-config-file", h.toString()))
                .getMessage().contains("HCL configuration files are not supported"));
        Path j = write("broken.json", "{\"datacenter\": }");
        assertTrue(assertThrows(ConfigFiles.ConfigException.class, () -> build("-dev", "-config-file", j.toString()))
                .getMessage().startsWith("Error parsing " + j + ": invalid character '}'"));
        Path t = write("type.json", "{\"datacenter\": 5}");
        assertEquals("Error parsing " + t + ": datacenter: expected a string, got 5",
                assertThrows(ConfigFiles.ConfigException.class, () -> build("-dev", "-config-file", t.toString()))
                        .getMessage());
        Path missing = dir.resolve("missing.json");
        assertTrue(assertThrows(ConfigFiles.ConfigException.class,
                () -> build("-dev", "-config-file", missing.toString())).getMessage().contains("no such file"));
    }

    @Test
    void validationMessagesAreConsuls() {
        assertEquals("data_dir cannot be empty",
                assertThrows(ConfigFiles.ConfigException.class, () -> build()).getMessage());
        assertTrue(assertThrows(ConfigFiles.ConfigException.class, () -> build("-data-dir", dir.toString()))
                .getMessage().startsWith("Only -dev mode is supported"));
        assertEquals("datacenter cannot be \"d c\". Please use only [a-z0-9-_].",
                assertThrows(ConfigFiles.ConfigException.class, () -> build("-dev", "-datacenter", "d c"))
                        .getMessage());
        assertEquals("Invalid log level: \"loud\". Valid log levels are: [TRACE DEBUG INFO WARN ERR]",
                assertThrows(ConfigFiles.ConfigException.class, () -> build("-dev", "-log-level=loud"))
                        .getMessage());
        assertThrows(FlagException.class, () -> build("-dev", "-server"));
    }

    @Test
    void bannerMatchesConsulsLayout() throws Exception {
        AgentConfig c = build("-dev", "-node", "VM-0-17-centos", "-node-id", "41958888-acfb-fe9e-13ae-a3b8f8534b2a");
        assertEquals(List.of(
                "==> Starting Conclave agent...",
                "           Version: '" + c.version() + "'",
                "           Node ID: '41958888-acfb-fe9e-13ae-a3b8f8534b2a'",
                "         Node name: 'VM-0-17-centos'",
                "        Datacenter: 'dc1' (Segment: '<all>')",
                "            Server: true (Bootstrap: false)",
                "       Client Addr: [127.0.0.1] (HTTP: 8500, HTTPS: -1, gRPC: -1, DNS: 8600)",
                "      Cluster Addr: 127.0.0.1 (LAN: 8301, WAN: 8302)",
                "           Encrypt: Gossip: false, TLS-Outgoing: false, TLS-Incoming: false, Auto-Encrypt-TLS: false",
                "",
                "==> Log data will now stream in as it occurs:",
                ""), c.banner());
    }

    @Test
    void configHandOffHasTheContractedPidsAndKeys() throws Exception {
        AgentConfig c = build("-dev", "-shell-port=8700", "-client", "127.0.0.1");
        Map<?, ?> pids = (Map<?, ?>) Json.parse(Json.writeIndented(c.toPids(), "  "));
        Map<?, ?> agent = (Map<?, ?>) pids.get("io.conclave.agent");
        assertEquals(List.of("node_name", "node_id", "datacenter", "server", "dev", "data_dir", "client_addr",
                "advertise_addr", "http_port", "dns_port", "server_port", "serf_lan_port", "serf_wan_port",
                "log_level", "version", "revision"), List.copyOf(agent.keySet()));
        assertEquals(true, agent.get("server"));
        assertEquals("", agent.get("data_dir"));
        assertEquals(8300L, agent.get("server_port"));
        assertEquals(Map.of("address", "127.0.0.1", "port", 8500L, "max_conns_per_client", 200L,
                "kv_max_value_size", 524288L, "dev_mode", true), pids.get("io.conclave.http"));
        assertEquals(Map.of("remote_port", 8700L, "remote_address", "127.0.0.1"), pids.get("io.conclave.shell"));
    }

    @Test
    void commandReportsErrorsWithExitOne() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Ui ui = new Ui(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        assertEquals(1, new AgentCommand(ui).run(List.of("-dev", "-ui")));
        assertEquals("==> flag -ui is not supported by this version of Conclave yet\n", err.toString());
        err.reset();
        assertEquals(1, new AgentCommand(ui).run(List.of("-bogus")));
        assertTrue(err.toString().startsWith("flag provided but not defined: -bogus\nUsage: conclave agent"),
                err.toString());
        err.reset();
        assertEquals(1, new AgentCommand(ui).run(List.of()));
        assertEquals("==> data_dir cannot be empty\n", err.toString());
        err.reset();
        assertEquals(1, new AgentCommand(ui).run(List.of("-dev", "extra")));
        assertEquals("==> config: Unknown extra arguments: [extra]\n", err.toString());
    }

    @Test
    void scansBundleLevelsNumerically() throws Exception {
        Path b = dir.resolve("bundles");
        for (String level : List.of("10", "2", "x")) {
            Files.createDirectories(b.resolve(level));
            Files.writeString(b.resolve(level).resolve("z.jar"), "");
            Files.writeString(b.resolve(level).resolve("a.jar"), "");
        }
        var levels = FrameworkRunner.scanBundles(b);
        assertEquals(List.of(2, 10), List.copyOf(levels.keySet()));
        assertEquals("a.jar", levels.get(2).get(0).getFileName().toString());
    }

    @Test
    void consoleIndentsLogLinesButNotBannerLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console c = Console.over(out);
        c.line("==> Starting");
        c.println("log one");
        c.print("partial ");
        c.println("line");
        c.println();
        c.line("==> running!");
        assertEquals("==> Starting\n    log one\n    partial line\n\n==> running!\n",
                out.toString(StandardCharsets.UTF_8));
    }
}
