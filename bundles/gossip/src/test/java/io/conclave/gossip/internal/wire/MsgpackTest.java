package io.conclave.gossip.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class MsgpackTest {
  private static String hex(MsgpackWriter w) {
    return HexFormat.of().formatHex(w.toByteArray());
  }

  private static MsgpackReader reader(byte[] b) {
    return new MsgpackReader(WireInput.of(b));
  }

  @Test
  void integersTakeGoMsgpackSmallestForms() {
    assertEquals("7f", hex(new MsgpackWriter().uint(127)));
    assertEquals("cc80", hex(new MsgpackWriter().uint(128)));
    assertEquals("ccff", hex(new MsgpackWriter().uint(255)));
    assertEquals("cd0100", hex(new MsgpackWriter().uint(256)));
    assertEquals("ce00010000", hex(new MsgpackWriter().uint(65536)));
    assertEquals("cf0000000100000000", hex(new MsgpackWriter().uint(1L << 32)));
    assertEquals("cfffffffffffffffff", hex(new MsgpackWriter().uint(-1L)));
    assertEquals("ff", hex(new MsgpackWriter().sint(-1)));
    assertEquals("e0", hex(new MsgpackWriter().sint(-32)));
    assertEquals("d0df", hex(new MsgpackWriter().sint(-33)));
    assertEquals("d1ff7f", hex(new MsgpackWriter().sint(-129)));
    assertEquals("cc80", hex(new MsgpackWriter().sint(128)));
  }

  @Test
  void stringsAndBytesAreRawStrNeverStr8OrBin() {
    assertEquals("a3616263", hex(new MsgpackWriter().str("abc")));
    byte[] b32 = new byte[32];
    assertTrue(hex(new MsgpackWriter().bin(b32)).startsWith("da0020"));
    assertTrue(hex(new MsgpackWriter().bin(new byte[70000])).startsWith("db00011170"));
    assertEquals("c0", hex(new MsgpackWriter().bin(null)));
  }

  @Test
  void decoderAcceptsStr8ForStringsAndBinOnlyForBytes() throws Exception {
    assertEquals("ab", reader(new byte[] {(byte) 0xd9, 2, 'a', 'b'}).str());
    assertArrayEquals(new byte[] {1, 2}, reader(new byte[] {(byte) 0xc4, 2, 1, 2}).bin());
    assertThrows(WireException.class, () -> reader(new byte[] {(byte) 0xc4, 2, 'a', 'b'}).str());
    assertNull(reader(new byte[] {(byte) 0xc0}).bin());
    assertEquals("", reader(new byte[] {(byte) 0xc0}).str());
  }

  @Test
  void structFromMapSkipsUnknownKeysAndFromArrayByPosition() throws Exception {
    byte[] map = new MsgpackWriter().mapHeader(3)
        .str("Extra").mapHeader(1).str("x").arrayHeader(2).uint(1).float64(2.5)
        .str("B").str("bee")
        .str("A").uint(300)
        .toByteArray();
    Object[] got = new Object[2];
    reader(map).struct(List.of("A", "B"), (i, r) -> got[i] = i == 0 ? r.integer() : r.str());
    assertEquals(300L, got[0]);
    assertEquals("bee", got[1]);

    byte[] arr = new MsgpackWriter().arrayHeader(3).uint(7).str("x").bool(true).toByteArray();
    Object[] got2 = new Object[2];
    reader(arr).struct(List.of("A", "B"), (i, r) -> got2[i] = i == 0 ? r.integer() : r.str());
    assertEquals(7L, got2[0]);
    assertEquals("x", got2[1]);
  }

  @Test
  void fieldNamesAreCaseSensitive() throws Exception {
    byte[] map = new MsgpackWriter().mapHeader(1).str("seqno").uint(5).toByteArray();
    long[] got = {-1};
    reader(map).struct(List.of("SeqNo"), (i, r) -> got[0] = r.integer());
    assertEquals(-1, got[0]);
  }

  @Test
  void truncatedInputIsAWireException() {
    assertThrows(WireException.class, () -> reader(new byte[] {(byte) 0xda, 0, 5, 'a'}).str());
    assertThrows(WireException.class, () -> reader(new byte[] {(byte) 0xdb, 0x7f, -1, -1, -1}).bin());
    assertThrows(WireException.class, () -> reader(new byte[] {(byte) 0xce, 1}).integer());
    assertThrows(WireException.class, () -> reader(new byte[] {(byte) 0xc1}).skip());
  }

  @Test
  void streamInputRespectsItsBudget() throws Exception {
    byte[] data = new MsgpackWriter().str("hello").uint(9).toByteArray();
    MsgpackReader r = new MsgpackReader(WireInput.of(new ByteArrayInputStream(data), 100));
    assertEquals("hello", r.str());
    assertEquals(9, r.integer());
    assertThrows(WireException.class, r::integer);
    MsgpackReader small = new MsgpackReader(WireInput.of(new ByteArrayInputStream(data), 3));
    assertThrows(WireException.class, small::str);
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    byte[] deep = new byte[100_000];
    java.util.Arrays.fill(deep, (byte) 0x91);
    assertThrows(WireException.class, () -> reader(deep).skip());
  }

  @Property
  void signedIntegersRoundTrip(@ForAll long v) throws Exception {
    assertEquals(v, reader(new MsgpackWriter().sint(v).toByteArray()).integer());
  }

  @Property
  void unsignedIntegersRoundTrip(@ForAll long v) throws Exception {
    assertEquals(v, reader(new MsgpackWriter().uint(v).toByteArray()).integer());
  }

  @Property
  void stringsRoundTrip(@ForAll String s) throws Exception {
    String clean = new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.nio.charset.StandardCharsets.UTF_8);
    MsgpackReader r = reader(new MsgpackWriter().str(s).bool(true).toByteArray());
    assertEquals(clean, r.str());
    assertTrue(r.bool());
  }

  @Property
  void bytesRoundTripAndSkip(@ForAll byte[] b, @ForAll double d) throws Exception {
    byte[] enc = new MsgpackWriter().bin(b).float64(d).bool(false).toByteArray();
    MsgpackReader r = reader(enc);
    assertArrayEquals(b, r.bin());
    assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(r.float64()));
    assertFalse(r.bool());
    MsgpackReader s = reader(enc);
    s.skip();
    s.skip();
    s.skip();
    assertEquals(0, s.input().remaining());
  }

  @Property
  void garbageOnlyEverThrowsWireException(@ForAll byte[] garbage) {
    for (int mode = 0; mode < 4; mode++) {
      MsgpackReader r = reader(garbage);
      try {
        while (true) {
          switch (mode) {
            case 0 -> r.skip();
            case 1 -> r.struct(List.of("A", "B"), (i, x) -> x.bin());
            case 2 -> r.str();
            default -> r.integer();
          }
        }
      } catch (WireException expected) {
        // the only permitted failure
      }
    }
  }
}
