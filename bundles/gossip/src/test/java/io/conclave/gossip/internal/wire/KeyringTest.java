package io.conclave.gossip.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class KeyringTest {
  private static final byte[] K16 = new byte[16];
  private static final byte[] K24 = new byte[24];
  private static final byte[] K32 = HexFormat.of().parseHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  @Test
  void packetIsVersionNonceCiphertextTag() throws Exception {
    Keyring k = new Keyring(List.of(K32));
    byte[] plain = new Ping(1, "x").encode();
    byte[] enc = k.encryptPacket(plain);
    assertEquals(1, enc[0]);
    assertEquals(plain.length + 29, enc.length);
    assertEquals(Keyring.encryptedLength(1, plain.length), enc.length);
    assertArrayEquals(plain, k.decryptPacket(enc));
  }

  @Test
  void decryptTriesEveryKeyAndEncryptsWithThePrimary() throws Exception {
    Keyring old = new Keyring(List.of(K16));
    Keyring both = new Keyring(List.of(K24, K16));
    byte[] fromOld = old.encryptPacket(new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, both.decryptPacket(fromOld));
    byte[] fromBoth = both.encryptPacket(new byte[] {4});
    assertThrows(WireException.class, () -> old.decryptPacket(fromBoth));
  }

  @Test
  void version0PaddedPayloadsStillDecrypt() throws Exception {
    Keyring k = new Keyring(List.of(K32));
    byte[] enc = k.encrypt(0, new byte[16], null);
    assertEquals(0, enc[0]);
    assertEquals(1 + 12 + 32 + 16, enc.length);
    assertArrayEquals(new byte[16], k.decryptPacket(enc));
  }

  @Test
  void badPaddingIsAWireExceptionNotACrash() throws Exception {
    // a vsn-0 payload whose (authentic) plaintext ends in an impossible pad byte
    byte[] nonce = new byte[12];
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(K32, "AES"), new GCMParameterSpec(128, nonce));
    byte[] ct = c.doFinal(new byte[] {1, 2, (byte) 200});
    byte[] payload = new byte[13 + ct.length];
    System.arraycopy(ct, 0, payload, 13, ct.length);
    Keyring k = new Keyring(List.of(K32));
    assertThrows(WireException.class, () -> k.decryptPacket(payload));
  }

  @Test
  void streamEnvelopeAuthenticatesItsHeader() throws Exception {
    Keyring k = new Keyring(List.of(K32));
    byte[] msg = new PushPull(false, List.of(), new byte[] {9}).encode();
    byte[] env = Streams.wrap(msg, true, k);
    assertEquals(MessageType.ENCRYPT, env[0]);
    long len = ((env[1] & 0xffL) << 24) | ((env[2] & 0xff) << 16) | ((env[3] & 0xff) << 8) | (env[4] & 0xff);
    assertEquals(env.length - 5, len);
    PushPull back = Streams.readPushPull(WireInput.of(new ByteArrayInputStream(env), 1 << 20), k);
    assertArrayEquals(new byte[] {9}, back.userState());
    // the same payload under a different header must not open: the header is the AAD
    byte[] payload = java.util.Arrays.copyOfRange(env, 5, env.length);
    assertThrows(WireException.class, () -> k.decrypt(payload, null));
  }

  @Test
  void plaintextStreamIsRefusedWhenEncryptionIsRequired() {
    Keyring k = new Keyring(List.of(K32));
    byte[] msg = new PushPull(false, List.of(), null).encode();
    assertThrows(WireException.class, () -> Streams.readPushPull(WireInput.of(msg), k));
  }

  @Test
  void badKeySizesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Keyring(List.of(new byte[15])));
  }

  @Property
  void garbageNeverDecryptsOrThrowsAnythingElse(@ForAll byte[] garbage) {
    Keyring k = new Keyring(List.of(K32, K16));
    try {
      k.decryptPacket(garbage);
    } catch (WireException expected) {
      // fine
    }
    byte[] stream = new byte[garbage.length + 1];
    stream[0] = (byte) MessageType.ENCRYPT;
    System.arraycopy(garbage, 0, stream, 1, garbage.length);
    try {
      Streams.readPushPull(WireInput.of(new ByteArrayInputStream(stream), 1 << 16), k);
    } catch (WireException expected) {
      // fine
    }
    try {
      Streams.readPushPull(WireInput.of(garbage), null);
    } catch (WireException expected) {
      // fine
    }
  }
}
