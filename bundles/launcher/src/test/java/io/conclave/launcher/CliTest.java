package io.conclave.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.launcher.cli.Ui;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        Ui ui = new Ui(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        return new Cli(ui, Map.of()).run(args);
    }

    private static final String USAGE = "Usage: conclave [--version] [--help] <command> [<args>]\n\n"
            + "Available commands are:\n"
            + "    agent          Runs a Conclave agent\n"
            + "    catalog        Interact with the catalog\n"
            + "    event          Fire a new event\n"
            + "    force-leave    Forces a member of the cluster to enter the \"left\" state\n"
            + "    info           Provides debugging information for operators.\n"
            + "    join           Tell Conclave agent to join cluster\n"
            + "    keygen         Generates a new encryption key\n"
            + "    keyring        Manages gossip layer encryption keys\n"
            + "    kv             Interact with the key-value store\n"
            + "    leave          Gracefully leaves the Conclave cluster and shuts down\n"
            + "    maint          Controls node or service maintenance mode\n"
            + "    members        Lists the members of a Conclave cluster\n"
            + "    reload         Triggers the agent to reload configuration files\n"
            + "    services       Interact with services\n"
            + "    shell          Attaches to the Gogo shell of a running agent\n"
            + "    validate       Validate config files/directories\n"
            + "    version        Prints the Conclave version\n"
            + "    watch          Watch for changes in Conclave\n\n";

    @Test
    void noArgumentsPrintsCommandListAndExits127LikeConsul() {
        assertEquals(127, run());
        assertEquals(USAGE, out.toString());
        assertEquals(127, run("frobnicate"));
        assertEquals(USAGE, out.toString());
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, run("--help"));
        assertEquals(USAGE, out.toString());
        assertEquals(0, run("-h"));
        assertEquals(0, run("kv", "get", "-h"));
        assertTrue(out.toString().startsWith("Usage: conclave kv get [options] [KEY_OR_PREFIX]"), out.toString());
    }

    @Test
    void versionFlagsAndVerb() {
        for (String[] args : new String[][] {{"version"}, {"-v"}, {"--version"}, {"agent", "-v"}}) {
            assertEquals(0, run(args));
            assertEquals("Conclave v" + BuildInfo.version() + "\nRevision " + BuildInfo.revision() + "\n"
                    + "Protocol 2 spoken by default, understands 2 to 3 (agent will automatically use protocol >2 "
                    + "when speaking to compatible agents)\n", out.toString());
        }
        assertTrue(BuildInfo.version().matches("\\d+\\.\\d+\\.\\d+"), BuildInfo.version());
    }

    @Test
    void groupVerbPrintsSubcommandsAndExitsOne() {
        assertEquals(1, run("kv"));
        assertTrue(out.toString().contains("Subcommands:\n    delete    Removes data from the KV store\n"),
                out.toString());
    }

    @Test
    void catalogAndServicesGroupTheirSubcommands() {
        assertEquals(1, run("catalog"));
        assertTrue(out.toString().startsWith("Usage: conclave catalog <subcommand> [options] [args]"), out.toString());
        assertTrue(out.toString().endsWith("Subcommands:\n"
                + "    datacenters    Lists all known datacenters\n"
                + "    nodes          Lists all nodes in the given datacenter\n"
                + "    services       Lists all registered services in a datacenter\n"), out.toString());
        assertEquals(1, run("services"));
        assertTrue(out.toString().contains("Subcommands:\n    deregister    Deregister services with the local agent\n"
                + "    register      Register services with the local agent\n"), out.toString());
        assertEquals(0, run("catalog", "nodes", "-h"));
        assertTrue(out.toString().contains("  -node-meta=<key=value>\n"), out.toString());
    }

    @Test
    void leaveReportsUnreachableAgent() {
        assertEquals(1, run("leave", "-http-addr=http://127.0.0.1:1"));
        assertTrue(err.toString().startsWith("Error leaving: Put \"http://127.0.0.1:1/v1/agent/leave\": dial tcp"),
                err.toString());
    }
}
