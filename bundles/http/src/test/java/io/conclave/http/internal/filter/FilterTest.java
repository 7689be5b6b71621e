package io.conclave.http.internal.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** go-bexpr's grammar and semantics, as a table of expressions against one health entry. */
class FilterTest {

    static final String ENTRY = """
            {"Node": {"ID": "0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", "Node": "n1", "Address": "10.0.0.1",
                      "Datacenter": "dc1", "TaggedAddresses": {"lan": "10.0.0.1"}, "Meta": {"rack": "r1", "k-1": "v"},
                      "CreateIndex": 5, "ModifyIndex": 7},
             "Service": {"ID": "web1", "Service": "web", "Tags": ["java", "v1"], "Address": "", "Meta": null,
                         "Port": 8080, "Weights": {"Passing": 1, "Warning": 1}, "EnableTagOverride": false,
                         "Proxy": {"MeshGateway": {}, "Expose": {}}, "Connect": {}, "CreateIndex": 9, "ModifyIndex": 9},
             "Checks": [
               {"Node": "n1", "CheckID": "serfHealth", "Name": "Serf Health Status", "Status": "passing", "Notes": "",
                "Output": "Agent alive and reachable", "ServiceID": "", "ServiceName": "", "ServiceTags": [],
                "Type": "", "Definition": {}, "CreateIndex": 5, "ModifyIndex": 5},
               {"Node": "n1", "CheckID": "service:web1", "Name": "web check", "Status": "critical", "Notes": "",
                "Output": "", "ServiceID": "web1", "ServiceName": "web", "ServiceTags": ["java"], "Type": "ttl",
                "Definition": {}, "CreateIndex": 9, "ModifyIndex": 9}]}
            """;

    static JsonNode entry() throws Exception {
        return new ObjectMapper().readTree(ENTRY);
    }

    static Stream<Arguments> matches() {
        return Stream.of(
                Arguments.of("Service.Service == web", true),
                Arguments.of("Service.Service == \"web\"", true),
                Arguments.of("Service.Service==`web`", true),
                Arguments.of("Service.Service != \"web\"", false),
                Arguments.of("Service.Port == 8080", true),
                Arguments.of("Service.Port == \"0x1F90\"", true),
                Arguments.of("Service.Port == \"017620\"", true),
                Arguments.of("Service.Port == \"8_080\"", true),
                Arguments.of("Service.Port != 80", true),
                Arguments.of("\"java\" in Service.Tags", true),
                Arguments.of("Service.Tags contains \"v2\"", false),
                Arguments.of("Service.Tags not contains \"v2\"", true),
                Arguments.of("\"v1\" not in Service.Tags", false),
                Arguments.of("Service.Tags is empty", false),
                Arguments.of("Service.Tags is not empty", true),
                Arguments.of("Node.Meta.rack == r1", true),
                Arguments.of("Node.Meta[\"k-1\"] == \"v\"", true),
                Arguments.of("Node.Meta[`k-1`] == v", true),
                Arguments.of("Node.Meta.missing == \"\"", false),
                Arguments.of("Node.Meta.missing != \"x\"", true),
                Arguments.of("Node.Meta.missing matches \".*\"", false),
                Arguments.of("rack in Node.Meta", true),
                Arguments.of("\"nope\" in Node.Meta", false),
                Arguments.of("Service.Meta is empty", true),
                Arguments.of("Node.Meta is not empty", true),
                Arguments.of("Checks.Status == critical", true),
                Arguments.of("Checks.Status != passing", true),
                Arguments.of("Checks.CheckID == nope", false),
                Arguments.of("Checks.ServiceTags contains java", true),
                Arguments.of("Checks is empty", false),
                Arguments.of("Checks is not empty", true),
                Arguments.of("Service.Service matches \"^w.b$\"", true),
                Arguments.of("Service.Service not matches \"^x\"", true),
                Arguments.of("Node.Node matches \"1\"", true),
                Arguments.of("Node.Node matches `(?P<n>\\d)`", true),
                Arguments.of("Service.EnableTagOverride == false", true),
                Arguments.of("Service.EnableTagOverride == 0", true),
                Arguments.of("Service.EnableTagOverride != T", true),
                Arguments.of("Service.Proxy.DestinationServiceName == \"\"", true),
                Arguments.of("Service.Proxy.LocalServicePort == 0", true),
                Arguments.of("Service.Proxy.Upstreams is empty", true),
                Arguments.of("Service.Connect.Native == false", true),
                Arguments.of("Service.Weights.Passing == 1", true),
                Arguments.of("Service.Kind == \"\"", true),
                Arguments.of("Service.Service == web and Service.Port == 80", false),
                Arguments.of("Service.Service == web or Service.Port == 80", true),
                Arguments.of("Service.Port == 80 or Service.Port == 81 or Node.Node == n1", true),
                Arguments.of("Node.Node == n1 and Service.Port == 8080 and Checks.Status == passing", true),
                Arguments.of("not Service.Port == 80", true),
                Arguments.of("not not Service.Port == 80", false),
                Arguments.of("not (Service.Port == 80 or Node.Node == n2)", true),
                Arguments.of("(Service.Service == web)", true),
                Arguments.of(" ( (Service.Service == web) and (Node.Node == n1) ) ", true),
                Arguments.of("Service.Port == 80 and (Node.Node == n1 or Node.Node == n2)", false),
                Arguments.of("Node.Address contains \"10.0\"", true),
                Arguments.of("\"10.0\" in Node.Address", true),
                Arguments.of("Service.Address == \"\"", true),
                Arguments.of("Node.TaggedAddresses.lan == \"10.0.0.1\"", true),
                Arguments.of("Node.Meta.rack == \"\\x72\\u0031\"", true),
                Arguments.of("Node.Meta.rack == \"\\162\\61\"".replace("\\61", "\\061"), true),
                Arguments.of("Node.Datacenter == dc1\n and\tService.Tags contains v1", true));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource
    void matches(String expression, boolean expected) throws Exception {
        Filter f = Filter.compile(expression, ConsulTypes.CHECK_SERVICE_NODE);
        assertEquals(expected, f.matches(entry()), expression);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                // Consul issue #7338, word for word
                Arguments.of("foo", "1:4 (3): no match found, expected: \"!=\", \".\", \"==\", \"[\", [ \\t\\r\\n] or [a-zA-Z0-9_]"),
                // Consul issue #9441, word for word
                Arguments.of("Address == 10.10.10.10 ", "1:17 (16): rule \"number\": Invalid number literal"),
                Arguments.of("Service.Port == 0x1F90", "1:18 (17): rule \"number\": Invalid number literal"),
                Arguments.of("Node.Node==host-name",
                        "1:16 (15): no match found, expected: \".\", \"[\", EOF, [ \\t\\r\\n] or [a-zA-Z0-9_]"),
                Arguments.of("Service.Service == \"abc", "1:24 (23): rule \"string\": Unterminated string literal"),
                Arguments.of("(Service.Service == web", "1:24 (23): rule \"grouping\": Unmatched parentheses"),
                Arguments.of("\"web\" in ", "1:10 (9): rule \"match\": Invalid selector"),
                Arguments.of("Node.Meta[web] == 1", "1:11 (10): rule \"index\": Invalid index"),
                Arguments.of("Node.Meta[\"a\" == 1", "1:15 (14): rule \"index\": Unclosed index expression"),
                Arguments.of("Service.Service == \"a\\qb\"", "1:20 (19): rule \"string\": invalid syntax"),
                Arguments.of("Service.Foo == 1", "Selector [\"Service\" \"Foo\"] is not valid"),
                Arguments.of("Node.Meta.rack.x == 1", "Selector [\"Node\" \"Meta\" \"rack\" \"x\"] is not valid"),
                Arguments.of("Service.Proxy.Config.x == 1", "Selector [\"Service\" \"Proxy\" \"Config\" \"x\"] is not valid"),
                Arguments.of("Service.CreateIndex == 1", "Selector [\"Service\" \"CreateIndex\"] is not valid"),
                Arguments.of("Checks.Definition.HTTP == x", "Selector [\"Checks\" \"Definition\"] is not valid"),
                Arguments.of("Service.Port matches \"x\"", "Invalid match operator \"Matches\" for selector \"Service.Port\""),
                Arguments.of("Service.Tags == java", "Invalid match operator \"Equal\" for selector \"Service.Tags\""),
                Arguments.of("Service is empty", "Invalid match operator \"Is Empty\" for selector \"Service\""),
                Arguments.of("Service.Service is empty", "Invalid match operator \"Is Empty\" for selector \"Service.Service\""),
                Arguments.of("Checks contains x", "Invalid match operator \"In\" for selector \"Checks\""),
                Arguments.of("Service.Port == abc",
                        "Failed to coerce value \"abc\" for selector \"Service.Port\": strconv.ParseInt: parsing \"abc\": invalid syntax"),
                Arguments.of("Service.Port == 99999999999999999999",
                        "Failed to coerce value \"99999999999999999999\" for selector \"Service.Port\": strconv.ParseInt: parsing \"99999999999999999999\": value out of range"),
                Arguments.of("Service.EnableTagOverride == yes",
                        "Failed to coerce value \"yes\" for selector \"Service.EnableTagOverride\": strconv.ParseBool: parsing \"yes\": invalid syntax"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusals(String expression, String message) {
        FilterException e = assertThrows(FilterException.class, () -> Filter.compile(expression, ConsulTypes.CHECK_SERVICE_NODE));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aBadRegularExpressionIsRefusedWhenCompiled() {
        FilterException e = assertThrows(FilterException.class,
                () -> Filter.compile("Service.Service matches \"(\"", ConsulTypes.CHECK_SERVICE_NODE));
        assertEquals(true, e.getMessage().startsWith("Failed to compile regular expression \"(\": "), e.getMessage());
    }

    @Test
    void anEmptyExpressionIsNoFilter() throws Exception {
        assertNull(Filter.compile("", ConsulTypes.NODE));
        assertNull(Filter.compile(null, ConsulTypes.NODE));
    }

    @Test
    void aFilterKeepsTheMatchingItemsInOrder() throws Exception {
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> nodes = List.of(m.readTree("{\"Node\":\"a\",\"Meta\":{\"env\":\"prod\"}}"),
                m.readTree("{\"Node\":\"b\",\"Meta\":null}"), m.readTree("{\"Node\":\"c\",\"Meta\":{\"env\":\"prod\"}}"));
        Filter f = Filter.compile("Meta.env == prod", ConsulTypes.NODE);
        assertEquals(List.of("a", "c"), f.apply(nodes).stream().map(n -> n.get("Node").asText()).toList());
        Filter none = Filter.compile("Meta.env != prod", ConsulTypes.NODE);
        assertEquals(List.of("b"), none.apply(nodes).stream().map(n -> n.get("Node").asText()).toList());
    }

    @Test
    void longChainsAndDeepNestingDoNotBlowTheStack() throws Exception {
        String chain = String.join(" and ", java.util.Collections.nCopies(20_000, "Node.Node == n1"));
        assertEquals(true, Filter.compile(chain, ConsulTypes.CHECK_SERVICE_NODE).matches(entry()));
        String nots = "not ".repeat(10_001) + "Node.Node == n1";
        assertEquals(false, Filter.compile(nots, ConsulTypes.CHECK_SERVICE_NODE).matches(entry()));
        String deep = "(".repeat(10_000) + "Node.Node == n1" + ")".repeat(10_000);
        FilterException e = assertThrows(FilterException.class, () -> Filter.compile(deep, ConsulTypes.CHECK_SERVICE_NODE));
        assertEquals(true, e.getMessage().contains("nest more than"), e.getMessage());
        String ok = "(".repeat(FilterParser.MAX_NESTING) + "Node.Node == n1" + ")".repeat(FilterParser.MAX_NESTING);
        assertEquals(true, Filter.compile(ok, ConsulTypes.CHECK_SERVICE_NODE).matches(entry()));
    }

    @Test
    void aCatastrophicRegexFailsInsteadOfHanging() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode n = m.readTree("{\"Node\":\"" + "a".repeat(40) + "\"}");
        Filter f = Filter.compile("Node matches \"(.*){1,32000}[bc]\"", ConsulTypes.NODE);
        FilterException e = assertThrows(FilterException.class, () -> f.matches(n));
        assertEquals(true, e.getMessage().contains("too expensive"), e.getMessage());
    }

    @Test
    void selectorsFollowEachConsulType() throws Exception {
        Filter.compile("ServiceMeta.env == x and ServiceTags contains a and NodeMeta.k == v and ServicePort == 1"
                + " and ServiceTaggedAddresses.lan.Port == 1 and ServiceWeights.Warning == 1", ConsulTypes.SERVICE_NODE);
        Filter.compile("Status == passing and ServiceTags is empty and Type == ttl", ConsulTypes.HEALTH_CHECK);
        Filter.compile("Tags contains x and TaggedAddresses.wan.Address == y and Weights.Passing == 1", ConsulTypes.NODE_SERVICE);
        assertThrows(FilterException.class, () -> Filter.compile("ServicePort == 1", ConsulTypes.NODE));
    }
}
