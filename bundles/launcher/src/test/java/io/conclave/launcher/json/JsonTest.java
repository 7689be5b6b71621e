package io.conclave.launcher.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, false, null, \"x\\u00e9\\n\"], \"b\": {}, \"c\": []} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1L, -25.0, true, false), ((List<?>) m.get("a")).subList(0, 4));
        assertNull(((List<?>) m.get("a")).get(4));
        assertEquals("xé\n", ((List<?>) m.get("a")).get(5));
        assertEquals(Map.of(), m.get("b"));
        assertEquals(List.of(), m.get("c"));
        assertEquals(new BigInteger("18446744073709551615"), Json.parse("18446744073709551615"));
    }

    @Test
    void roundTripsThroughCompactAndIndentedWriting() throws Exception {
        String text = "{\"node_name\":\"n1\",\"ports\":{\"http\":8500},\"tags\":[\"a\",\"b\"],\"dev\":true,\"x\":null}";
        Object v = Json.parse(text);
        assertEquals(text, Json.write(v));
        assertEquals(v, Json.parse(Json.writeIndented(v, "  ")));
    }

    @Test
    void indentsAsGoMarshalIndent() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("key", "a");
        e.put("flags", 0L);
        e.put("value", "");
        assertEquals("[\n\t{\n\t\t\"key\": \"a\",\n\t\t\"flags\": 0,\n\t\t\"value\": \"\"\n\t}\n]",
                Json.writeIndented(List.of(e), "\t"));
        assertEquals("[]", Json.writeIndented(List.of(), "\t"));
        assertEquals("{}", Json.writeIndented(Map.of(), "\t"));
    }

    @Test
    void escapesAsGo() {
        assertEquals("\"\\u003cb\\u003e \\u0026 \\\"q\\\" \\\\ \\n\\t\\u0001 \\u2028\"",
                Json.write("<b> & \"q\" \\ \n\t\u0001 \u2028"));
    }

    @Test
    void reportsErrorsAsGo() {
        assertEquals("unexpected end of JSON input",
                assertThrows(JsonException.class, () -> Json.parse("{\"a\":")).getMessage());
        assertEquals("unexpected end of JSON input",
                assertThrows(JsonException.class, () -> Json.parse("   ")).getMessage());
        assertEquals("invalid character 'x' looking for beginning of value (line 1, column 1)",
                assertThrows(JsonException.class, () -> Json.parse("x")).getMessage());
        assertEquals("invalid character '}' after top-level value (line 2, column 1)",
                assertThrows(JsonException.class, () -> Json.parse("{}\n}")).getMessage());
    }
}
