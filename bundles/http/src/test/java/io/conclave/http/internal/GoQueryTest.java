package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GoQueryTest {

    @Test
    void booleanFlagsArePresenceOnlyWhateverTheirValue() {
        for (String q : List.of("recurse", "recurse=", "recurse=true", "recurse=false", "recurse=0", "x=1&recurse")) {
            GoQuery query = GoQuery.parse(q);
            assertTrue(query.has("recurse"), q);
        }
        assertFalse(GoQuery.parse("recursive=1").has("recurse"));
        assertFalse(GoQuery.parse(null).has("recurse"));
    }

    @Test
    void getReturnsTheFirstValueOrEmpty() {
        GoQuery q = GoQuery.parse("index=5&index=7&stale");
        assertEquals("5", q.get("index"));
        assertEquals("", q.get("stale"));
        assertEquals("", q.get("wait"));
    }

    @Test
    void decodesPlusAsSpaceAndPercentEscapesAsUtf8Bytes() {
        GoQuery q = GoQuery.parse("separator=%2F&k%20ey=a+b&u=%C3%A9&keys");
        assertEquals("/", q.get("separator"));
        assertEquals("a b", q.get("k ey"));
        assertEquals("é", q.get("u"));
        assertTrue(q.has("keys"));
    }

    @Test
    void skipsEmptyPairs() {
        GoQuery q = GoQuery.parse("&&a=1&&");
        assertEquals(1, q.asMap().size());
        assertEquals("1", q.get("a"));
    }

    @Test
    void badEscapesAreRejectedWithGosWording() {
        assertEquals("invalid URL escape \"%zz\"", assertThrows(HttpError.class, () -> GoQuery.parse("a=%zz")).getMessage());
        assertEquals("invalid URL escape \"%4\"", assertThrows(HttpError.class, () -> GoQuery.parse("a=%4")).getMessage());
        assertEquals("invalid URL escape \"%\"", assertThrows(HttpError.class, () -> GoQuery.parse("%=1")).getMessage());
        HttpError semicolon = assertThrows(HttpError.class, () -> GoQuery.parse("a=1;b=2"));
        assertEquals("invalid semicolon separator in query", semicolon.getMessage());
        assertEquals(400, semicolon.status());
    }

    @Test
    void encodeSortsKeysAndEscapesLikeGo() {
        assertEquals("acquire=x+y&cas=1&flags=%2F%C3%A9~-_.", GoQuery.parse("flags=%2F%C3%A9~-_.&cas=1&acquire=x+y").encode());
        assertEquals("keys=&recurse=", GoQuery.parse("recurse&keys").encode());
    }
}
