package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import org.junit.jupiter.api.Test;

class GoTextTest {

    @Test
    void parseUintTakesTheWholeUnsigned64BitRange() {
        assertEquals(0, GoText.parseUint("0"));
        assertEquals(42, GoText.parseUint("0042"));
        assertEquals(Long.MAX_VALUE, GoText.parseUint("9223372036854775807"));
        assertEquals(-1L, GoText.parseUint("18446744073709551615"));
    }

    @Test
    void parseUintRejectsWhatGoRejects() {
        for (String bad : new String[]{"", "-1", "+1", " 1", "1 ", "1_000", "0x10", "1e3", "１"}) {
            NumberFormatException e = assertThrows(NumberFormatException.class, () -> GoText.parseUint(bad), bad);
            assertEquals("strconv.ParseUint: parsing " + GoText.quote(bad) + ": invalid syntax", e.getMessage());
        }
        assertEquals("strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
                assertThrows(NumberFormatException.class, () -> GoText.parseUint("18446744073709551616")).getMessage());
        // Go reports the overflow it meets before a later bad character.
        assertEquals("strconv.ParseUint: parsing \"99999999999999999999x\": value out of range",
                assertThrows(NumberFormatException.class, () -> GoText.parseUint("99999999999999999999x")).getMessage());
    }

    @Property(tries = 300)
    void parseUintAgreesWithBigInteger(@ForAll @BigRange(min = "0", max = "36893488147419103231") BigInteger n) {
        String s = n.toString();
        if (n.bitLength() <= 64) {
            assertEquals(n, new BigInteger(Long.toUnsignedString(GoText.parseUint(s))));
        } else {
            assertThrows(NumberFormatException.class, () -> GoText.parseUint(s));
        }
    }

    @Test
    void quoteEscapesLikeGo() {
        assertEquals("\"abc\"", GoText.quote("abc"));
        assertEquals("\"a\\\"b\\\\\"", GoText.quote("a\"b\\"));
        assertEquals("\"\\n\\t\\x01\\x7f\"", GoText.quote("\n\t\u0001\u007f"));
        assertEquals("\"é日本\"", GoText.quote("é日本"));
        assertEquals("\"\\u200b\"", GoText.quote("\u200b"));
    }
}
