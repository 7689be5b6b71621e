package io.conclave.gossip.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.gossip.internal.testing.StockSerf;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our codec against the stock serf 0.9.4 agent on loopback: a UDP ping must come back as an ack,
 * a joining TCP push-pull must come back with serf's node states, with and without encryption.
 */
class SerfOracleTest {
  private static final byte[] LOOPBACK = {127, 0, 0, 1};
  private static final byte[] CONSUL_VSN = {1, 5, 2, 2, 5, 4};
  private static final long WAIT_MS = 10_000;
  private static final Duration ORACLE_START_BOUND = Duration.ofSeconds(30);

  private static byte[] key;
  private static StockSerf plain;
  private static StockSerf encrypted;

  @BeforeAll
  static void startOracles() throws Exception {
    key = new byte[32];
    new SecureRandom().nextBytes(key);
    plain = StockSerf.start("oracle", List.of(), ORACLE_START_BOUND);
    encrypted = StockSerf.start("oracle", List.of("-encrypt=" + Base64.getEncoder().encodeToString(key)),
        ORACLE_START_BOUND);
  }

  @AfterAll
  static void stopOracles() throws Exception {
    if (plain != null) {
      plain.close();
    }
    if (encrypted != null) {
      encrypted.close();
    }
  }

  /** Sends each packet in turn and collects the acks that come back until {@code want} arrives. */
  private static Map<Long, Ack> pingUntilAcked(StockSerf oracle, List<byte[]> packets, long want,
      Keyring keyring) throws Exception {
    return pingUntilAcked(oracle, packets, java.util.Set.of(want), keyring);
  }

  private static Map<Long, Ack> pingUntilAcked(StockSerf oracle, List<byte[]> packets,
      java.util.Set<Long> want, Keyring keyring) throws Exception {
    Map<Long, Ack> acks = new HashMap<>();
    try (DatagramSocket udp = new DatagramSocket(0, StockSerf.LOOPBACK)) {
      for (byte[] p : packets) {
        udp.send(new DatagramPacket(p, p.length, new InetSocketAddress(StockSerf.LOOPBACK, oracle.port)));
      }
      long deadline = System.currentTimeMillis() + WAIT_MS;
      byte[] buf = new byte[65536];
      while (!acks.keySet().containsAll(want)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          break;
        }
        udp.setSoTimeout((int) left);
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
          udp.receive(in);
        } catch (SocketTimeoutException e) {
          break;
        }
        byte[] data = Arrays.copyOf(in.getData(), in.getLength());
        if (keyring != null) {
          data = keyring.decryptPacket(data);
        }
        for (byte[] m : Packets.unwrap(data)) {
          if ((m[0] & 0xff) == MessageType.ACK) {
            Ack a = Ack.decode(m);
            acks.put(a.seqNo(), a);
          }
        }
      }
    }
    return acks;
  }

  private static void assertSerfCoordinate(byte[] payload) throws Exception {
    assertNotNull(payload, "serf puts its Vivaldi coordinate in the ack");
    assertEquals(1, payload[0], "serf ping payload version byte");
    MsgpackReader r = new MsgpackReader(WireInput.of(payload, 1, payload.length - 1));
    List<Double> vec = new ArrayList<>();
    double[] height = {-1};
    r.struct(List.of("Vec", "Error", "Adjustment", "Height"), (i, x) -> {
      if (i == 0) {
        long n = x.arrayHeader();
        for (long j = 0; j < n; j++) {
          vec.add(x.float64());
        }
      } else if (i == 3) {
        height[0] = x.float64();
      } else {
        x.float64();
      }
    });
    assertEquals(8, vec.size());
    assertTrue(height[0] > 0);
  }

  /** The first byte of the last stream reply: 9 = compressed, 10 = encrypted envelope. */
  private static int lastReplyFirstByte;

  private static PushPull joinPushPull(StockSerf oracle, String me, int myPort, Keyring keyring) throws Exception {
    return joinPushPull(oracle, me, myPort, new byte[0], false, keyring);
  }

  private static PushPull joinPushPull(StockSerf oracle, String me, int myPort, byte[] meta, boolean compress,
      Keyring keyring) throws Exception {
    PushNodeState self = new PushNodeState(me, LOOPBACK, myPort, meta, 1, PushNodeState.ALIVE, CONSUL_VSN);
    byte[] request = Streams.wrap(new PushPull(true, List.of(self), null).encode(), compress, keyring);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(StockSerf.LOOPBACK, oracle.port), (int) WAIT_MS);
      s.setSoTimeout((int) WAIT_MS);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      java.io.PushbackInputStream in = new java.io.PushbackInputStream(s.getInputStream(), 1);
      int first = in.read();
      in.unread(first);
      lastReplyFirstByte = first;
      return Streams.readPushPull(WireInput.of(in, WireInput.MAX_STREAM_BYTES), keyring);
    }
  }

  private static void assertOracleListsItselfAlive(PushPull reply, StockSerf oracle) {
    // memberlist's handleConn passes the request's Join flag back into its reply (sendLocalState(conn, join))
    assertTrue(reply.join(), "serf echoes Join=true in the reply to a join");
    PushNodeState o = reply.nodes().stream().filter(n -> n.name().equals("oracle")).findFirst().orElseThrow();
    assertEquals(PushNodeState.ALIVE, o.state());
    assertArrayEquals(LOOPBACK, o.addr());
    assertEquals(oracle.port, o.port());
    // the serf agent's own versions and its empty tags (0xff + empty msgpack map)
    assertArrayEquals(new byte[] {1, 5, 2, 2, 5, 5}, o.vsn());
    assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0x80}, o.meta());
    assertTrue(reply.userState().length > 0, "serf sends its push-pull user state");
    assertEquals(2, reply.userState()[0], "serf user state starts with its messagePushPull type");
  }

  @Test
  void serfAnswersOurPingWithAMatchingAck() throws Exception {
    Map<Long, Ack> acks = pingUntilAcked(plain, List.of(new Ping(4242, "oracle").encode()), 4242, null);
    assertTrue(acks.containsKey(4242L), "no ack from serf; log: " + plain.log());
    assertSerfCoordinate(acks.get(4242L).payload());
  }

  @Test
  void serfDropsAPingAddressedToAnotherNode() throws Exception {
    Map<Long, Ack> acks = pingUntilAcked(plain,
        List.of(new Ping(7, "someone-else").encode(), new Ping(8, "oracle").encode()), 8, null);
    assertTrue(acks.containsKey(8L));
    assertFalse(acks.containsKey(7L));
  }

  @Test
  void serfAcceptsOurJoinPushPullAndListsItselfAlive() throws Exception {
    try (DatagramSocket mine = new DatagramSocket(0, StockSerf.LOOPBACK)) {
      PushPull reply = joinPushPull(plain, "conclave-join", mine.getLocalPort(), null);
      assertOracleListsItselfAlive(reply, plain);
      assertEquals(MessageType.COMPRESS, lastReplyFirstByte, "serf compresses every stream (EnableCompression)");
      assertTrue(plain.awaitLog("EventMemberJoin: conclave-join 127.0.0.1", WAIT_MS),
          "serf did not take us as a member: " + plain.log());
    }
  }

  @Test
  void encryptedPingIsAckedWithTheRightKeyOnly() throws Exception {
    Keyring right = new Keyring(List.of(key));
    byte[] other = key.clone();
    other[0] ^= 1;
    Keyring wrong = new Keyring(List.of(other));
    // serf reads one socket in order: once the right-key ping (sent second) is acked, the
    // wrong-key one has been processed and dropped
    Map<Long, Ack> acks = pingUntilAcked(encrypted, List.of(
        wrong.encryptPacket(new Ping(11, "oracle").encode()),
        new Ping(12, "oracle").encode(),
        right.encryptPacket(new Ping(13, "oracle").encode())), 13, right);
    assertTrue(acks.containsKey(13L), "no ack to the encrypted ping; log: " + encrypted.log());
    assertFalse(acks.containsKey(11L), "wrong key was answered");
    assertFalse(acks.containsKey(12L), "plaintext was answered by an encrypted agent");
    assertSerfCoordinate(acks.get(13L).payload());
  }

  @Test
  void encryptedJoinPushPullWorksWithTheRightKeyOnly() throws Exception {
    Keyring right = new Keyring(List.of(key));
    try (DatagramSocket mine = new DatagramSocket(0, StockSerf.LOOPBACK)) {
      PushPull reply = joinPushPull(encrypted, "conclave-enc", mine.getLocalPort(), right);
      assertOracleListsItselfAlive(reply, encrypted);
      assertEquals(MessageType.ENCRYPT, lastReplyFirstByte);
      assertTrue(encrypted.awaitLog("EventMemberJoin: conclave-enc 127.0.0.1", WAIT_MS));
    }
    byte[] other = key.clone();
    other[31] ^= 1;
    Keyring wrong = new Keyring(List.of(other));
    // serf answers with an errResp encrypted under its own key, which the intruder cannot open
    assertThrows(WireException.class, () -> joinPushPull(encrypted, "intruder", 1, wrong));
    assertFalse(encrypted.log().stream().anyMatch(l -> l.contains("EventMemberJoin: intruder")));
  }

  @Test
  void serfReadsOurCompressedCrcAndCompoundPackets() throws Exception {
    List<byte[]> packets = List.of(
        Compress.encode(new Ping(21, "oracle").encode()),
        HasCrc.wrap(new Ping(22, "oracle").encode()),
        Compound.encode(List.of(new Ping(23, "oracle").encode(), new Ping(24, "oracle").encode())),
        HasCrc.wrap(Compress.encode(Compound.encode(List.of(new Ping(25, "oracle").encode())))));
    Map<Long, Ack> acks = pingUntilAcked(plain, packets, java.util.Set.of(21L, 22L, 23L, 24L, 25L), null);
    assertEquals(java.util.Set.of(21L, 22L, 23L, 24L, 25L), acks.keySet(), "log: " + plain.log());
  }

  @Test
  void serfReadsOurLzwCompressedPushPullWithWideCodes() throws Exception {
    // 500 random meta bytes (legacy role tag, no 0xff) push the LZW table past 512 codes, so
    // Go's reader must follow our code-width growth
    byte[] meta = new byte[500];
    new SecureRandom().nextBytes(meta);
    meta[0] = 'r';
    try (DatagramSocket mine = new DatagramSocket(0, StockSerf.LOOPBACK)) {
      PushPull reply = joinPushPull(plain, "conclave-lzw", mine.getLocalPort(), meta, true, null);
      assertOracleListsItselfAlive(reply, plain);
      assertTrue(plain.awaitLog("EventMemberJoin: conclave-lzw 127.0.0.1", WAIT_MS), "log: " + plain.log());
    }
  }

  @Test
  void goMisreadsCompoundsOf128PartsOrMore() throws Exception {
    // memberlist 0.2.2 decodeCompoundMessage computes numParts*2 in uint8, so the parts of a
    // compound with >= 128 entries are sliced from the wrong offset; Compound.MAX_PARTS is 127
    List<byte[]> big = new ArrayList<>();
    List<byte[]> ok = new ArrayList<>();
    for (int i = 0; i < 130; i++) {
      big.add(new Ping(1000 + i, "oracle").encode());
    }
    for (int i = 0; i < Compound.MAX_PARTS; i++) {
      ok.add(new Ping(2000 + i, "oracle").encode());
    }
    java.util.Set<Long> wantOk = new java.util.HashSet<>();
    for (long i = 0; i < Compound.MAX_PARTS; i++) {
      wantOk.add(2000 + i);
    }
    Map<Long, Ack> acks = pingUntilAcked(plain, List.of(Compound.encodeUnchecked(big), Compound.encode(ok)),
        wantOk, null);
    assertTrue(acks.keySet().containsAll(wantOk), "127 parts must all be read; log: " + plain.log());
    assertTrue(acks.keySet().stream().noneMatch(k -> k < 2000), "Go read a 130-part compound: " + acks.keySet());
    // the misaligned slices start inside the other parts' bytes
    assertTrue(plain.awaitLog("not supported from=127.0.0.1", WAIT_MS), "log: " + plain.log());
    assertThrows(IllegalArgumentException.class, () -> Compound.encode(big));
  }
}
