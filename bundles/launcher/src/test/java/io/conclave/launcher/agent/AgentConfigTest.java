package io.conclave.launcher.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.config.ConfigException;
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
        return ConfigBuilder.build(f, new ConfigBuilder.Options(ConfigBuilder.Mode.RUN, () -> "host-1", null));
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
    void hclFilesAndFragmentsAreRead() throws Exception {
        Path h = write("a.hcl", "datacenter = \"east\"\nports { http = 8502 }");
        AgentConfig c = build("-dev", "-config-file", h.toString(), "-hcl", "node_name = \"frag\"");
        assertEquals("east", c.datacenter());
        assertEquals(8502, c.httpPort());
        assertEquals("frag", c.nodeName());
    }

    @Test
    void validationMessagesAreConsuls() {
        assertEquals("data_dir cannot be empty",
                assertThrows(ConfigException.class, () -> build()).getMessage());
        assertEquals("datacenter cannot be \"d c\". Please use only [a-z0-9-_].",
                assertThrows(ConfigException.class, () -> build("-dev", "-datacenter", "d c"))
                        .getMessage());
        assertEquals("Invalid log level: \"loud\". Valid log levels are: [TRACE DEBUG INFO WARN ERR]",
                assertThrows(ConfigException.class, () -> build("-dev", "-log-level=loud"))
                        .getMessage());
        assertThrows(FlagException.class, () -> build("-dev", "-serf-lan-bind", "10.0.0.1"));
        assertEquals("'bootstrap_expect > 0' not allowed in dev mode",
                assertThrows(ConfigException.class, () -> build("-dev", "-bootstrap-expect=3")).getMessage());
        assertEquals("alt_domain cannot start with {service,connect,node,query,addr,dc1}",
                assertThrows(ConfigException.class, () -> build("-dev", "-alt-domain", "service.example")).getMessage());
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
        assertEquals(List.of("io.conclave.agent", "io.conclave.http", "io.conclave.dns", "io.conclave.shell"),
                List.copyOf(pids.keySet()));
        Map<?, ?> agent = (Map<?, ?>) pids.get("io.conclave.agent");
        assertEquals(List.of("node_name", "node_id", "datacenter", "server", "dev", "data_dir", "client_addr",
                "bind_addr", "advertise_addr", "advertise_addr_wan", "http_port", "dns_port", "server_port",
                "serf_lan_port", "serf_wan_port", "bootstrap_expect", "encrypt", "encrypt_verify_incoming",
                "encrypt_verify_outgoing", "start_join", "retry_join", "retry_interval", "retry_max",
                "start_join_wan", "retry_join_wan", "retry_interval_wan", "retry_max_wan", "reconnect_timeout",
                "reconnect_timeout_wan", "rejoin_after_leave", "log_level", "version", "revision",
                "enable_script_checks", "enable_local_script_checks", "check_update_interval", "node_meta",
                "definitions"), List.copyOf(agent.keySet()));
        assertEquals("127.0.0.1", agent.get("bind_addr"));
        assertEquals("127.0.0.1", agent.get("advertise_addr_wan"));
        assertEquals(0L, agent.get("bootstrap_expect"));
        assertEquals("", agent.get("encrypt"));
        assertEquals(true, agent.get("encrypt_verify_incoming"));
        assertEquals(List.of(), agent.get("retry_join"));
        assertEquals("30s", agent.get("retry_interval"));
        assertEquals(0L, agent.get("retry_max"));
        assertEquals("72h", agent.get("reconnect_timeout"));
        assertEquals(false, agent.get("rejoin_after_leave"));
        assertEquals(true, agent.get("server"));
        assertEquals("", agent.get("data_dir"));
        assertEquals(8300L, agent.get("server_port"));
        assertEquals(false, agent.get("enable_script_checks"));
        assertEquals("5m", agent.get("check_update_interval"));
        assertEquals(List.of(), agent.get("node_meta"));
        assertEquals("{\"services\":[],\"checks\":[]}", agent.get("definitions"));
        assertEquals(Map.of("address", "127.0.0.1", "port", 8500L, "max_conns_per_client", 200L,
                "kv_max_value_size", 524288L, "dev_mode", true), pids.get("io.conclave.http"));
        Map<String, Object> dns = new java.util.LinkedHashMap<>();
        dns.put("address", "127.0.0.1");
        dns.put("port", 8600L);
        dns.put("domain", "consul.");
        dns.put("alt_domain", "");
        dns.put("recursors", List.of());
        dns.put("recursor_timeout", "2s");
        dns.put("node_ttl", "0s");
        dns.put("service_ttl", List.of());
        dns.put("udp_answer_limit", 3L);
        dns.put("a_record_limit", 0L);
        dns.put("only_passing", false);
        dns.put("enable_truncate", false);
        dns.put("allow_stale", true);
        dns.put("disable_compression", false);
        dns.put("soa_refresh", 3600L);
        dns.put("soa_retry", 600L);
        dns.put("soa_expire", 86400L);
        dns.put("soa_min_ttl", 0L);
        dns.put("enable_additional_node_meta_txt", true);
        assertEquals(dns, pids.get("io.conclave.dns"));
        assertEquals(List.copyOf(dns.keySet()), List.copyOf(((Map<?, ?>) pids.get("io.conclave.dns")).keySet()));
        assertEquals(Map.of("remote_port", 8700L, "remote_address", "127.0.0.1"), pids.get("io.conclave.shell"));
    }

    @Test
    void handOffCarriesDefinitionsDnsAndScriptSettingsFromFilesAndFlags() throws Exception {
        Path d = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(d.resolve("web.json"), "{\"service\": {\"name\": \"web\", \"tags\": [\"java\"], \"port\":8080}}");
        Files.writeString(d.resolve("dns.hcl"), """
                domain = "Example"
                alt_domain = "alt.test"
                recursors = ["1.1.1.1"]
                addresses { dns = "127.0.0.2" }
                dns_config {
                  node_ttl = "10s"
                  service_ttl { "*" = "5s", web = "30s" }
                  only_passing = true
                  soa { min_ttl = 60 }
                }
                limits { http_max_conns_per_client = 50, kv_max_value_size = 1024 }
                check { name = "disk", ttl = "30s" }
                checks = [{ name = "ping", args = ["ping", "-c1", "x"], interval = "30s" }]
                """);
        AgentConfig c = build("-dev", "-config-dir", d.toString(), "-recursor", "9.9.9.9", "-node-meta", "rack:r1",
                "-node-meta", "zone:", "-enable-script-checks", "-dns-port", "8653");
        Map<?, ?> pids = (Map<?, ?>) Json.parse(Json.write(c.toPids()));
        Map<?, ?> agent = (Map<?, ?>) pids.get("io.conclave.agent");
        assertEquals(List.of("rack:r1", "zone:"), agent.get("node_meta"));
        assertEquals(true, agent.get("enable_script_checks"));
        assertEquals(true, agent.get("enable_local_script_checks")); // defaults to enable_script_checks
        assertEquals(8653L, agent.get("dns_port"));
        // dns.hcl sorts before web.json: its checks and services come first
        assertEquals("{\"services\":[{\"name\":\"web\",\"tags\":[\"java\"],\"port\":8080}],\"checks\":["
                + "{\"name\":\"ping\",\"args\":[\"ping\",\"-c1\",\"x\"],\"interval\":\"30s\"},"
                + "{\"name\":\"disk\",\"ttl\":\"30s\"}]}", agent.get("definitions"));
        Map<?, ?> dns = (Map<?, ?>) pids.get("io.conclave.dns");
        assertEquals("127.0.0.2", dns.get("address"));
        assertEquals(8653L, dns.get("port"));
        assertEquals("example.", dns.get("domain"));
        assertEquals("alt.test.", dns.get("alt_domain"));
        assertEquals(List.of("9.9.9.9", "1.1.1.1"), dns.get("recursors"));
        assertEquals("10s", dns.get("node_ttl"));
        assertEquals(List.of("*=5s", "web=30s"), dns.get("service_ttl"));
        assertEquals(true, dns.get("only_passing"));
        assertEquals(60L, dns.get("soa_min_ttl"));
        assertEquals(3600L, dns.get("soa_refresh"));
        Map<?, ?> http = (Map<?, ?>) pids.get("io.conclave.http");
        assertEquals(50L, http.get("max_conns_per_client"));
        assertEquals(1024L, http.get("kv_max_value_size"));
        assertTrue(c.warnings().contains(ConfigBuilder.SCRIPT_CHECKS), c.warnings().toString());
    }

    @Test
    void portZeroPassesThroughAndBelowZeroDisablesDns() throws Exception {
        AgentConfig c = build("-dev", "-dns-port", "0", "-http-port", "0", "-serf-lan-port", "0", "-serf-wan-port=0",
                "-server-port", "0");
        assertEquals(List.of(0, 0, 0, 0, 0),
                List.of(c.dnsPort(), c.httpPort(), c.serfLanPort(), c.serfWanPort(), c.serverPort()));
        assertEquals(-1, build("-dev", "-hcl", "ports { dns = -1 }").dnsPort());
        assertEquals(-1, build("-dev", "-serf-wan-port=-1").serfWanPort());
        assertEquals("ports.serf_lan: invalid port -1 (every agent joins the LAN gossip pool)",
                assertThrows(ConfigException.class, () -> build("-dev", "-serf-lan-port=-1")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> build("-dev", "-http-port=-1")).getMessage()
                .startsWith("ports.http: invalid port -1"));
    }

    @Test
    void uiIsAcceptedWithAWarning() throws Exception {
        assertEquals(List.of(ConfigBuilder.NO_UI), build("-dev", "-ui").warnings());
        Path u = write("ui.json", "{\"ui\": true}");
        assertEquals(List.of("The 'ui' field is deprecated. Use the 'ui_config.enabled' field instead.",
                ConfigBuilder.NO_UI), build("-dev", "-config-file", u.toString()).warnings());
        assertEquals(List.of(), build("-dev").warnings());
    }

    @Test
    void reloadKeepsWhatNeedsARestartAndSaysSo() throws Exception {
        AgentConfig running = build("-dev", "-node", "n1");
        AgentConfig fresh = build("-dev", "-node", "n2", "-http-port", "9500", "-hcl", "service { name = \"web\" }");
        AgentConfig next = Reloader.keepRestartOnly(running, fresh);
        assertEquals("n1", next.nodeName());
        assertEquals(8500, next.httpPort());
        assertEquals(running.nodeId(), next.nodeId());
        assertEquals(1, next.services().size());
        assertEquals(List.of("Reloading node_name needs a restart: the agent keeps \"n1\" (the configuration now says \"n2\")",
                "Reloading node_id needs a restart: the agent keeps \"" + running.nodeId()
                        + "\" (the configuration now says \"" + fresh.nodeId() + "\")",
                "Reloading ports.http needs a restart: the agent keeps 8500 (the configuration now says 9500)"),
                next.warnings());
    }

    @Test
    void reloaderRewritesTheHandOffOrChangesNothing() throws Exception {
        Path d = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(d.resolve("web.json"), "{\"service\": {\"name\": \"web\"}}");
        List<String> args = List.of("-dev", "-config-dir", d.toString());
        AgentConfig started = build(args.toArray(new String[0]));
        Path handOff = dir.resolve("conclave-config.json");
        Reloader.writeHandOff(handOff, started);
        List<String> log = new java.util.ArrayList<>();
        Reloader r = new Reloader(args, started);
        r.attach(handOff, (level, msg) -> log.add(level + " " + msg));

        Files.writeString(d.resolve("db.hcl"), "service {\n  name = \"db\"\n  port = 5432\n}\n");
        AgentConfig next = r.reload();
        assertEquals(started.nodeId(), next.nodeId());
        String written = Files.readString(handOff);
        assertTrue(written.contains("\\\"name\\\":\\\"db\\\""), written);
        assertEquals(List.of("INFO Reloading configuration..."), log);

        Files.writeString(d.resolve("zz.json"), "{\"service\": {\"name\": \"x\", \"prot\": 1}}");
        IllegalStateException e = assertThrows(IllegalStateException.class, r::reload);
        assertEquals("Error parsing " + d.resolve("zz.json") + ": invalid config key service.prot", e.getMessage());
        assertEquals(written, Files.readString(handOff));
        assertEquals("ERROR Reload config failed: error=\"Failed to reload configs: " + e.getMessage() + "\"",
                log.get(log.size() - 1));
        assertEquals(next, r.current());
    }

    @Test
    void commandReportsErrorsWithExitOne() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Ui ui = new Ui(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        assertEquals(1, new AgentCommand(ui).run(List.of("-dev", "-disable-keyring-file")));
        assertEquals("==> flag -disable-keyring-file is not supported by this version of Conclave yet\n",
                err.toString());
        err.reset();
        assertEquals(1, new AgentCommand(ui).run(List.of("-dev", "-encrypt", "x")));
        assertEquals("==> encrypt has invalid key: illegal base64 data at input byte 0\n", err.toString());
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
    void scansFeatureLevelsNumericallyAndLeavesServerSetsToServers() throws Exception {
        Path b = dir.resolve("bundles");
        for (String feature : List.of("core", "agent", "server")) {
            for (String level : List.of("10", "2", "x")) {
                Files.createDirectories(b.resolve(feature).resolve(level));
                Files.writeString(b.resolve(feature).resolve(level).resolve(feature + "-z.jar"), "");
                Files.writeString(b.resolve(feature).resolve(level).resolve(feature + "-a.jar"), "");
            }
        }
        Files.writeString(b.resolve("README.txt"), "");
        assertEquals(List.of("agent", "core", "server"), FrameworkRunner.features(b, true));
        assertEquals(List.of("agent", "core"), FrameworkRunner.features(b, false));

        var levels = FrameworkRunner.scanBundles(b, FrameworkRunner.features(b, false));
        assertEquals(List.of(2, 10), List.copyOf(levels.keySet()));
        assertEquals(List.of("agent-a.jar", "agent-z.jar", "core-a.jar", "core-z.jar"),
                levels.get(2).stream().map(p -> p.getFileName().toString()).toList());
        var server = FrameworkRunner.scanBundles(b, FrameworkRunner.features(b, true));
        assertEquals(6, server.get(10).size());
        assertEquals(List.of(), FrameworkRunner.features(dir.resolve("missing"), true));
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
