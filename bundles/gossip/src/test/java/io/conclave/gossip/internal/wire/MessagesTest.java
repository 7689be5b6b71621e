package io.conclave.gossip.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MessagesTest {
  private static final byte[] LOCALHOST = {127, 0, 0, 1};
  private static final byte[] VSN = {1, 5, 2, 2, 5, 4};

  @Test
  void pingOmitsEmptySourceFieldsLikeGo() {
    // go: codec.Encode(ping{SeqNo: 1, Node: "a"}) = 82 a5 SeqNo 01 a4 Node a1 61
    assertEquals("0082a55365714e6f01a44e6f6465a161",
        HexFormat.of().formatHex(new Ping(1, "a").encode()));
  }

  @Test
  void pingWithSourceRoundTrips() throws Exception {
    Ping p = new Ping(0xfffffffeL, "oracle", LOCALHOST, 7946, "me");
    Ping back = Ping.decode(p.encode());
    assertEquals(p.seqNo(), back.seqNo());
    assertEquals("oracle", back.node());
    assertArrayEquals(LOCALHOST, back.sourceAddr());
    assertEquals(7946, back.sourcePort());
    assertEquals("me", back.sourceNode());
  }

  @Test
  void everyMessageRoundTripsByteForByte() throws Exception {
    byte[] ip6 = new byte[16];
    ip6[15] = 1;
    List<byte[]> encoded = List.of(
        new IndirectPing(9, ip6, 8301, "t", true, LOCALHOST, 1, "s").encode(),
        new Ack(3, new byte[] {1, (byte) 0x84}).encode(),
        new Ack(3, null).encode(),
        new Suspect(4, "n", "f").encode(),
        new Alive(5, "n", LOCALHOST, 7946, new byte[] {(byte) 0xff, (byte) 0x80}, VSN).encode(),
        new Dead(6, "n", "n").encode(),
        new Nack(7).encode(),
        new ErrResp("boom").encode());
    assertArrayEquals(encoded.get(0), IndirectPing.decode(encoded.get(0)).encode());
    assertArrayEquals(encoded.get(1), Ack.decode(encoded.get(1)).encode());
    assertNull(Ack.decode(encoded.get(2)).payload());
    assertArrayEquals(encoded.get(3), Suspect.decode(encoded.get(3)).encode());
    assertArrayEquals(encoded.get(4), Alive.decode(encoded.get(4)).encode());
    assertArrayEquals(encoded.get(5), Dead.decode(encoded.get(5)).encode());
    assertArrayEquals(encoded.get(6), Nack.decode(encoded.get(6)).encode());
    assertEquals("boom", ErrResp.decode(encoded.get(7)).error());
  }

  @Test
  void binaryFieldsStayBinary() throws Exception {
    byte[] meta = {(byte) 0xff, (byte) 0xc3, 0, (byte) 0x80};
    Alive a = Alive.decode(new Alive(1, "n", LOCALHOST, 1, meta, VSN).encode());
    assertArrayEquals(meta, a.meta());
    assertArrayEquals(VSN, a.vsn());
  }

  @Test
  void wrongTypeByteIsRejected() {
    assertThrows(WireException.class, () -> Ack.decode(new Ping(1, "a").encode()));
  }

  @Test
  void pushPullReadsFromAnUnframedStream() throws Exception {
    PushNodeState me = new PushNodeState("me", LOCALHOST, 7000, new byte[0], 1, PushNodeState.ALIVE, VSN);
    PushNodeState other = new PushNodeState("o", LOCALHOST, 7001, null, 9, PushNodeState.LEFT, VSN);
    byte[] user = "serf-state".getBytes(StandardCharsets.UTF_8);
    byte[] stream = new PushPull(true, List.of(me, other), user).encode();
    byte[] withTrailer = java.util.Arrays.copyOf(stream, stream.length + 3);
    WireInput in = WireInput.of(new ByteArrayInputStream(withTrailer), 1 << 20);
    assertEquals(MessageType.PUSH_PULL, in.u8());
    PushPull back = PushPull.read(new MsgpackReader(in));
    assertTrue(back.join());
    assertEquals(2, back.nodes().size());
    assertEquals("o", back.nodes().get(1).name());
    assertEquals(PushNodeState.LEFT, back.nodes().get(1).state());
    assertArrayEquals(user, back.userState());
    assertArrayEquals(stream, back.encode());
  }

  @Test
  void compoundToleratesATruncatedTail() throws Exception {
    byte[] a = new Ping(1, "a").encode();
    byte[] b = new Nack(2).encode();
    byte[] c = Compound.encode(List.of(a, b));
    Compound whole = Compound.decode(c);
    assertEquals(2, whole.parts().size());
    assertEquals(0, whole.truncated());
    Compound cut = Compound.decode(java.util.Arrays.copyOf(c, c.length - 1));
    assertEquals(1, cut.parts().size());
    assertEquals(1, cut.truncated());
    assertArrayEquals(a, cut.parts().get(0));
  }

  @Test
  void hasCrcDetectsCorruption() throws Exception {
    byte[] m = new Nack(5).encode();
    byte[] w = HasCrc.wrap(m);
    assertArrayEquals(m, HasCrc.unwrap(w));
    w[w.length - 1] ^= 1;
    assertThrows(WireException.class, () -> HasCrc.unwrap(w));
  }

  @Test
  void lzwStartsWithClearAndEndsWithEof() throws Exception {
    // Go's writer sends clear (256) first; an empty input is clear + eof = 0x100 | 0x101 << 9
    assertEquals("000302", HexFormat.of().formatHex(Lzw.compress(new byte[0])));
    byte[] text = "TOBEORNOTTOBEORTOBEORNOT".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(text, Lzw.decompress(Lzw.compress(text), 1000));
    assertThrows(WireException.class, () -> Lzw.decompress(new byte[] {0, 1}, 1000));
  }

  @Test
  void lzwOutputIsBounded() {
    byte[] zeros = new byte[100_000];
    byte[] c = Lzw.compress(zeros);
    assertThrows(WireException.class, () -> Lzw.decompress(c, 1000));
  }

  @Property(tries = 200)
  void lzwRoundTrips(@ForAll @Size(max = 20000) byte[] data, @ForAll @IntRange(min = 1, max = 4) int alphabet)
      throws Exception {
    byte[] skewed = data.clone();
    for (int i = 0; i < skewed.length; i++) {
      skewed[i] = (byte) Math.floorMod(skewed[i], alphabet * 3);
    }
    assertArrayEquals(data, Lzw.decompress(Lzw.compress(data), 1 << 20));
    assertArrayEquals(skewed, Lzw.decompress(Lzw.compress(skewed), 1 << 20));
  }

  @Test
  void packetsPeelCrcCompressAndCompound() throws Exception {
    byte[] a = new Ack(1, new byte[] {1}).encode();
    byte[] b = new Alive(1, "n", LOCALHOST, 1, null, VSN).encode();
    byte[] packet = HasCrc.wrap(Compress.encode(Compound.encode(List.of(a, b))));
    List<byte[]> msgs = Packets.unwrap(packet);
    assertEquals(2, msgs.size());
    assertArrayEquals(a, msgs.get(0));
    assertArrayEquals(b, msgs.get(1));
  }

  @Property
  void garbageMessagesOnlyEverThrowWireException(@ForAll byte[] garbage, @ForAll @IntRange(max = 13) int type) {
    byte[] m = new byte[garbage.length + 1];
    m[0] = (byte) type;
    System.arraycopy(garbage, 0, m, 1, garbage.length);
    List<Decoder> decoders = List.of(Ping::decode, IndirectPing::decode, Ack::decode, Suspect::decode,
        Alive::decode, Dead::decode, PushPull::decode, Compound::decode, User::decodePacket,
        x -> Compress.decode(x, 1 << 16), Nack::decode, HasCrc::unwrap, ErrResp::decode,
        Packets::unwrap, x -> Lzw.decompress(x, 1 << 16));
    for (Decoder d : decoders) {
      try {
        d.decode(m);
      } catch (WireException expected) {
        // the only permitted failure
      }
      try {
        d.decode(garbage);
      } catch (WireException expected) {
        // the only permitted failure
      }
    }
    assertFalse(decoders.isEmpty());
  }

  interface Decoder {
    Object decode(byte[] b) throws WireException;
  }
}
