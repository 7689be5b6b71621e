package io.conclave.http.internal.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a client sends as {@code ?filter=}, compiling it either succeeds or fails with a
 * {@link FilterException}, and evaluating what compiled either answers or fails with one: never another
 * exception, never a stack overflow, never a hang.
 */
class FilterPropertyTest {

    private static final List<String> TOKENS = List.of(
            "Node", "Node.Node", "Service.Service", "Service.Tags", "Service.Port", "Service.Meta.env",
            "Node.Meta[\"k-1\"]", "Checks.Status", "Checks", "Service.Weights.Passing", "Service.EnableTagOverride",
            "Service.Proxy.Upstreams.LocalBindPort", "Node.TaggedAddresses.lan", "Bogus", "Service.Bogus", "Meta.",
            "==", "!=", " == ", " != ", " in ", " not in ", " contains ", " not contains ", " matches ",
            " not matches ", " is empty", " is not empty", " and ", " or ", "not ", " not ", "(", ")", "[", "]",
            "\"web\"", "`raw`", "\"\\x41\"", "\"\\q\"", "\"unterminated", "`", "\"", "8080", "-1", "0", "1.5",
            "10.10.10.10", "0x10", "true", "false", "passing", "\"^w.*b$\"", "\"(\"", "\"(.*){1,32000}[bc]\"",
            " ", "\t", "\n", ".", "..", ".0", "\\", "é", "\u0000", "\ud800", "😀");

    @Property(tries = 3000)
    void tokenSoupOnlyEverFailsWithAFilterException(@ForAll("soup") String expression) throws Exception {
        exercise(expression);
    }

    @Property(tries = 1000)
    void arbitraryTextOnlyEverFailsWithAFilterException(@ForAll String expression) throws Exception {
        exercise(expression);
    }

    @Property(tries = 1000)
    void wellFormedExpressionsCompileOrAreRefusedForTheirTypes(@ForAll("wellFormed") String expression) throws Exception {
        exercise(expression);
    }

    private static void exercise(String expression) throws Exception {
        JsonNode entry = FilterTest.entry();
        for (Field type : List.of(ConsulTypes.CHECK_SERVICE_NODE, ConsulTypes.NODE, ConsulTypes.HEALTH_CHECK)) {
            Filter f;
            try {
                f = Filter.compile(expression, type);
            } catch (FilterException expected) {
                continue;
            }
            if (f == null) {
                continue;
            }
            try {
                f.matches(entry);
            } catch (FilterException expected) {
                // a regular expression over its budget
            }
        }
    }

    @Provide
    Arbitrary<String> soup() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(24).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> wellFormed() {
        Arbitrary<String> selector = Arbitraries.of("Node.Node", "Service.Service", "Service.Tags", "Service.Port",
                "Service.Meta.env", "Checks.Status", "Checks.ServiceTags", "Node.Meta", "Service.EnableTagOverride");
        Arbitrary<String> op = Arbitraries.of(" == ", " != ", " contains ", " not contains ", " matches ", " not matches ");
        Arbitrary<String> value = Arbitraries.of("web", "\"web\"", "8080", "true", "\"\"", "`a.*`", "\"java\"", "x");
        Arbitrary<String> match = Arbitraries.oneOf(
                Combinators.combine(selector, op, value).as((s, o, v) -> s + o + v),
                Combinators.combine(value, Arbitraries.of(" in ", " not in "), selector).as((v, o, s) -> v + o + s),
                selector.map(s -> s + " is empty"), selector.map(s -> s + " is not empty"));
        return match.list().ofMinSize(1).ofMaxSize(6).flatMap(ms -> Arbitraries.of(" and ", " or ").list()
                .ofSize(ms.size() - 1).map(joins -> {
                    StringBuilder sb = new StringBuilder(ms.get(0));
                    for (int i = 1; i < ms.size(); i++) {
                        sb.append(joins.get(i - 1)).append(i % 3 == 0 ? "not (" + ms.get(i) + ")" : ms.get(i));
                    }
                    return sb.toString();
                }));
    }
}
