package io.conclave.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {

    private static Flags flags() {
        return new Flags()
                .bool("dev", "dev mode")
                .string("node", "value", "", "node name")
                .integer("http-port", "int", "8500", "port")
                .unsigned("flags", "uint", "0", "flags")
                .listInto("config", "config-file", "value", "file")
                .listInto("config", "config-dir", "value", "dir")
                .unsupported("server", "bootstrap-expect");
    }

    @Test
    void acceptsEqualsAndSeparateValueSyntaxesWithOneOrTwoDashes() throws Exception {
        Flags f = flags();
        List<String> rest = f.parse(List.of("-node=a", "--http-port", "9000", "--dev"));
        assertEquals(List.of(), rest);
        assertEquals("a", f.getString("node", ""));
        assertEquals(9000, f.getLong("http-port", 0));
        assertTrue(f.getBool("dev"));
    }

    @Test
    void booleanTakesOnlyAnAttachedValue() throws Exception {
        Flags f = flags();
        List<String> rest = f.parse(List.of("-dev", "false"));
        assertTrue(f.getBool("dev"));
        assertEquals(List.of("false"), rest, "a bool flag never consumes the next argument");
        Flags g = flags();
        g.parse(List.of("-dev=false"));
        assertFalse(g.getBool("dev"));
        assertTrue(g.isSet("dev"));
    }

    @Test
    void repeatableFlagsKeepCommandLineOrderAcrossFlags() throws Exception {
        Flags f = flags();
        f.parse(List.of("-config-file=a.json", "-config-dir", "d", "--config-file", "b.json"));
        assertEquals(List.of("config-file=a.json", "config-dir=d", "config-file=b.json"), f.getList("config"));
    }

    @Test
    void stopsAtFirstNonFlagLoneDashAndDoubleDash() throws Exception {
        assertEquals(List.of("key", "-dev"), flags().parse(List.of("-dev", "key", "-dev")));
        assertEquals(List.of("-", "x"), flags().parse(List.of("-", "x")));
        assertEquals(List.of("-dev"), flags().parse(List.of("--", "-dev")));
    }

    @Test
    void unknownFlagIsReportedAsGoDoes() {
        FlagException e = assertThrows(FlagException.class, () -> flags().parse(List.of("-nope")));
        assertEquals("flag provided but not defined: -nope", e.getMessage());
        assertTrue(e.showUsage());
    }

    @Test
    void consulFlagsNotImplementedYetSaySo() {
        FlagException e = assertThrows(FlagException.class,
                () -> flags().parse(List.of("-dev", "-bootstrap-expect=3")));
        assertEquals("==> flag -bootstrap-expect is not supported by this version of Conclave yet", e.getMessage());
        assertFalse(e.showUsage());
    }

    @Test
    void missingAndMalformedValues() {
        assertEquals("flag needs an argument: -node",
                assertThrows(FlagException.class, () -> flags().parse(List.of("-node"))).getMessage());
        assertEquals("invalid value \"abc\" for flag -http-port: parse error",
                assertThrows(FlagException.class, () -> flags().parse(List.of("-http-port=abc"))).getMessage());
        assertEquals("invalid value \"-1\" for flag -flags: parse error",
                assertThrows(FlagException.class, () -> flags().parse(List.of("-flags=-1"))).getMessage());
        assertEquals("invalid value \"99999999999999999999\" for flag -http-port: value out of range",
                assertThrows(FlagException.class,
                        () -> flags().parse(List.of("-http-port=99999999999999999999"))).getMessage());
        assertEquals("invalid boolean value \"yes\" for -dev: parse error",
                assertThrows(FlagException.class, () -> flags().parse(List.of("-dev=yes"))).getMessage());
        assertEquals("bad flag syntax: ---dev",
                assertThrows(FlagException.class, () -> flags().parse(List.of("---dev"))).getMessage());
    }

    @Test
    void usageListsFlagsWithExamplesAndDefaults() {
        String u = new Flags().string("separator", "string", "/", "Separator.").httpClientFlags(true)
                .usage("Usage: conclave kv get [options]\n");
        assertTrue(u.startsWith("Usage: conclave kv get [options]\n\nHTTP API Options\n\n  -http-addr=<address>\n"), u);
        assertTrue(u.contains("Command Options\n\n  -separator=<string>\n     Separator. (/)"), u);
        for (String line : u.split("\n")) {
            assertTrue(line.length() <= 72, line);
        }
    }

    @Test
    void mapFlagsTakeKeyEqualsValueAndLaterKeysWin() throws Exception {
        Flags f = new Flags().map("meta", "key=value", "Meta.");
        f.parse(List.of("-meta", "a=1", "-meta=b=x=y", "-meta", "a=2", "-meta", "c="));
        assertEquals(Map.of("a", "2", "b", "x=y", "c", ""), f.getMap("meta"));
        assertEquals(List.of("a", "b", "c"), List.copyOf(f.getMap("meta").keySet()));
        assertEquals("invalid value \"nokey\" for flag -meta: Missing \"=\" value in argument: nokey",
                assertThrows(FlagException.class, () -> new Flags().map("meta", "k=v", "M.")
                        .parse(List.of("-meta", "nokey"))).getMessage());
        assertEquals(Map.of(), new Flags().map("meta", "k=v", "M.").getMap("meta"));
    }

    @Test
    void columnizeAndTabwriterAlignAsGoDoes() {
        assertEquals("a    bb  c\nddd  e", Columnize.format(List.of("a\u001fbb\u001fc", " ddd \u001fe")));
        assertEquals("x        1\nlonger   2\n", Columnize.tabwriter(List.of(new String[] {"x", "1"},
                new String[] {"longer", "2"}), 0, 3));
    }
}
