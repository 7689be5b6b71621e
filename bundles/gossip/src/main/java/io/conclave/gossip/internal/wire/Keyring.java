package io.conclave.gossip.internal.wire;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * memberlist's keyring and AES-GCM payloads (security.go, keyring.go). A payload is {@code
 * [vsn][nonce 12][ciphertext + tag 16]}: vsn 1 is unpadded (sent at protocol ≥ 2), vsn 0 is
 * PKCS7-padded to the AES block size (still accepted). Encrypt with the primary key (the first),
 * decrypt by trying every key. Packets use no AAD; a stream is the envelope {@code [10][len u32
 * BE][payload]} whose 5 header bytes are the AAD. Overhead of vsn 1: 29 bytes.
 */
public final class Keyring {
  public static final int VERSION_SIZE = 1;
  public static final int NONCE_SIZE = 12;
  public static final int TAG_SIZE = 16;
  private static final int BLOCK_SIZE = 16;

  private final List<byte[]> keys;
  private final SecureRandom random;

  /** @param keys the primary key first; each 16, 24 or 32 bytes */
  public Keyring(List<byte[]> keys, SecureRandom random) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a keyring needs at least one key");
    }
    List<byte[]> copy = new ArrayList<>();
    for (byte[] k : keys) {
      if (k.length != 16 && k.length != 24 && k.length != 32) {
        throw new IllegalArgumentException("key must be 16, 24 or 32 bytes, not " + k.length);
      }
      copy.add(k.clone());
    }
    this.keys = List.copyOf(copy);
    this.random = random;
  }

  public Keyring(List<byte[]> keys) {
    this(keys, new SecureRandom());
  }

  public static int encryptedLength(int vsn, int plainLength) {
    int padding = vsn >= 1 ? 0 : BLOCK_SIZE - plainLength % BLOCK_SIZE;
    return VERSION_SIZE + NONCE_SIZE + plainLength + padding + TAG_SIZE;
  }

  private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] aad) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE * 8, nonce));
    if (aad != null && aad.length > 0) {
      c.updateAAD(aad);
    }
    return c;
  }

  /** Encrypts with the primary key. */
  public byte[] encrypt(int vsn, byte[] plain, byte[] aad) {
    if (vsn != 0 && vsn != 1) {
      throw new IllegalArgumentException("encryption version " + vsn);
    }
    byte[] nonce = new byte[NONCE_SIZE];
    random.nextBytes(nonce);
    byte[] src = plain;
    if (vsn == 0) {
      int pad = BLOCK_SIZE - plain.length % BLOCK_SIZE;
      src = java.util.Arrays.copyOf(plain, plain.length + pad);
      java.util.Arrays.fill(src, plain.length, src.length, (byte) pad);
    }
    try {
      byte[] ct = cipher(Cipher.ENCRYPT_MODE, keys.get(0), nonce, aad).doFinal(src);
      byte[] out = new byte[VERSION_SIZE + NONCE_SIZE + ct.length];
      out[0] = (byte) vsn;
      System.arraycopy(nonce, 0, out, 1, NONCE_SIZE);
      System.arraycopy(ct, 0, out, 1 + NONCE_SIZE, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** A whole UDP packet, vsn 1, no AAD. */
  public byte[] encryptPacket(byte[] plain) {
    return encrypt(1, plain, null);
  }

  /** Tries every key; fails when none opens the payload. */
  public byte[] decrypt(byte[] payload, byte[] aad) throws WireException {
    if (payload.length == 0) {
      throw new WireException("cannot decrypt empty payload");
    }
    int vsn = payload[0] & 0xff;
    if (vsn > 1) {
      throw new WireException("unsupported encryption version " + vsn);
    }
    if (payload.length < encryptedLength(vsn, 0)) {
      throw new WireException("payload too small to decrypt");
    }
    byte[] nonce = java.util.Arrays.copyOfRange(payload, 1, 1 + NONCE_SIZE);
    for (byte[] key : keys) {
      byte[] plain;
      try {
        plain = cipher(Cipher.DECRYPT_MODE, key, nonce, aad)
            .doFinal(payload, 1 + NONCE_SIZE, payload.length - 1 - NONCE_SIZE);
      } catch (GeneralSecurityException e) {
        continue;
      }
      if (vsn == 0) {
        int pad = plain.length == 0 ? 0 : plain[plain.length - 1] & 0xff;
        if (pad == 0 || pad > BLOCK_SIZE || pad > plain.length) {
          throw new WireException("bad PKCS7 padding");
        }
        plain = java.util.Arrays.copyOf(plain, plain.length - pad);
      }
      return plain;
    }
    throw new WireException("no installed key decrypts the payload");
  }

  public byte[] decryptPacket(byte[] packet) throws WireException {
    return decrypt(packet, null);
  }

  /** The stream envelope {@code [10][len u32 BE][payload]}, AAD = the 5 header bytes. */
  public byte[] encryptStream(byte[] plainStream) {
    int len = encryptedLength(1, plainStream.length);
    byte[] header = {(byte) MessageType.ENCRYPT, (byte) (len >>> 24), (byte) (len >>> 16),
        (byte) (len >>> 8), (byte) len};
    byte[] payload = encrypt(1, plainStream, header);
    byte[] out = new byte[5 + payload.length];
    System.arraycopy(header, 0, out, 0, 5);
    System.arraycopy(payload, 0, out, 5, payload.length);
    return out;
  }

  /** Reads the rest of an envelope whose type byte (10) was already consumed. */
  public byte[] decryptStream(WireInput in) throws WireException {
    long len = in.u32();
    if (len > WireInput.MAX_STREAM_BYTES) {
      throw new WireException("encrypted stream of " + len + " bytes is too large");
    }
    byte[] header = {(byte) MessageType.ENCRYPT, (byte) (len >>> 24), (byte) (len >>> 16),
        (byte) (len >>> 8), (byte) len};
    return decrypt(in.bytes(len), header);
  }
}
