package io.conclave.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conclave.launcher.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HCL 1 subset, on the shapes Consul's documentation uses. */
class HclTest {

    private static String json(String hcl) throws Exception {
        return Json.write(Hcl.parse(hcl));
    }

    @Test
    void serviceBlockFromConsulsDocs() throws Exception {
        String hcl = """
                service {
                  name = "web"
                  tags = ["rails"]
                  port = 80
                  check {
                    args     = ["curl", "localhost"]
                    interval = "10s"
                  }
                }
                """;
        assertEquals("{\"service\":{\"name\":\"web\",\"tags\":[\"rails\"],\"port\":80,"
                + "\"check\":{\"args\":[\"curl\",\"localhost\"],\"interval\":\"10s\"}}}", json(hcl));
    }

    @Test
    void nestedObjectsEitherAsBlocksOrAssignments() throws Exception {
        assertEquals("{\"ports\":{\"http\":8501,\"dns\":-1},\"dns_config\":{\"soa\":{\"min_ttl\":5}}}",
                json("ports { http = 8501, dns = -1 }\ndns_config = { soa { min_ttl = 5 } }"));
    }

    @Test
    void repeatedBlocksBecomeAListAndRepeatedScalarsKeepTheLast() throws Exception {
        Map<String, Object> m = Hcl.parse("""
                services { name = "a" }
                services { name = "b" }
                datacenter = "one"
                datacenter = "two"
                """);
        assertEquals(List.of(Map.of("name", "a"), Map.of("name", "b")), m.get("services"));
        assertEquals("two", m.get("datacenter"));
    }

    @Test
    void listsOfObjectsScalarsAndTrailingCommas() throws Exception {
        assertEquals("{\"services\":[{\"name\":\"a\",\"port\":1},{\"name\":\"b\"}],\"recursors\":[\"8.8.8.8\",\"1.1.1.1\"]}",
                json("services = [\n  { name = \"a\", port = 1 },\n  { name = \"b\" },\n]\n"
                        + "recursors = [\"8.8.8.8\", \"1.1.1.1\",]"));
    }

    @Test
    void allThreeCommentStyles() throws Exception {
        assertEquals("{\"a\":1,\"b\":true,\"c\":\"x # not a comment\"}", json("""
                # hash comment
                a = 1 // slash comment
                /* block
                   comment */ b = true
                c = "x # not a comment"
                """));
    }

    @Test
    void stringsNumbersAndBooleans() throws Exception {
        Map<String, Object> m = Hcl.parse("s = \"tab\\there \\\"q\\\" \\u00e9 ${var.x}\"\n"
                + "hex = 0x1F\noct = 017\nneg = -3\nf = 1.5\ne = 1e3\nt = true\nf2 = false");
        assertEquals("tab\there \"q\" \u00e9 ${var.x}", m.get("s"));
        assertEquals(31L, m.get("hex"));
        assertEquals(15L, m.get("oct"));
        assertEquals(-3L, m.get("neg"));
        assertEquals(1.5, m.get("f"));
        assertEquals(1000.0, m.get("e"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f2"));
    }

    @Test
    void heredocsPlainAndIndented() throws Exception {
        Map<String, Object> m = Hcl.parse("a = <<EOF\nline 1\n  line 2\nEOF\nb = <<-EOT\n    x\n      y\n    EOT\n");
        assertEquals("line 1\n  line 2\n", m.get("a"));
        assertEquals("x\n  y\n", m.get("b"));
    }

    @Test
    void quotedKeysAndLabelledBlocks() throws Exception {
        assertEquals("{\"node_meta\":{\"rack-id\":\"r1\"},\"service_ttl\":{\"web\":{\"x\":1}}}",
                json("node_meta { \"rack-id\" = \"r1\" }\nservice_ttl \"web\" { x = 1 }"));
    }

    @Test
    void errorsSayWhere() {
        assertEquals("At 2:11: key \"node_name\" expected start of object ('{') or assignment ('='), got NUMBER 5",
                assertThrows(Hcl.HclException.class, () -> Hcl.parse("a = 1\nnode_name 5")).getMessage());
        assertEquals("At 1:13: nested object expected: '{' got: '='",
                assertThrows(Hcl.HclException.class, () -> Hcl.parse("service \"x\" = 5")).getMessage());
        assertEquals("At 1:5: literal not terminated",
                assertThrows(Hcl.HclException.class, () -> Hcl.parse("a = \"abc\nb = 1")).getMessage());
        assertEquals("At 1:14: object expected closing '}', got end of input",
                assertThrows(Hcl.HclException.class, () -> Hcl.parse("ports { a = 1")).getMessage());
        assertEquals("At 1:5: unknown token: IDENT bare",
                assertThrows(Hcl.HclException.class, () -> Hcl.parse("a = bare")).getMessage());
        assertEquals("At 1:1: comment not terminated",
                assertThrows(Hcl.HclException.class, () -> Hcl.parse("/* never closed")).getMessage());
        assertEquals("At 1:5: heredoc not terminated",
                assertThrows(Hcl.HclException.class, () -> Hcl.parse("a = <<EOF\nno end")).getMessage());
        assertEquals("At 1:1: unexpected '}'",
                assertThrows(Hcl.HclException.class, () -> Hcl.parse("}")).getMessage());
    }

    @Test
    void emptyDocumentIsAnEmptyObject() throws Exception {
        assertEquals(Map.of(), Hcl.parse("  # nothing\n"));
    }
}
