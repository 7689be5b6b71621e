package io.conclave.launcher.agent;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Gossip encryption keys as Consul writes them: standard, padded base64 of an AES key of 16, 24
 * or 32 bytes ({@code memberlist.ValidateKey}). {@code conclave keygen} makes 32-byte ones.
 */
public final class GossipKey {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private GossipKey() {
    }

    /** A new random 32-byte key (AES-256), base64-encoded. */
    public static String generate(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * What is wrong with {@code key}, in the words of Go's {@code base64.StdEncoding} and
     * memberlist, or null when it is a valid key.
     */
    public static String problem(String key) {
        int len = key.length();
        for (int i = 0; i < len; i++) {
            char c = key.charAt(i);
            if (c == '=') {
                // padding: only the last one or two characters, and nothing but padding after it
                boolean tail = i >= len - 2 && key.substring(i).chars().allMatch(ch -> ch == '=');
                if (!tail || len % 4 != 0) {
                    return illegal(i);
                }
            } else if (ALPHABET.indexOf(c) < 0) {
                return illegal(i);
            }
        }
        if (len % 4 != 0) {
            return illegal(len - len % 4);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            return illegal(Math.max(0, len - 4));
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            return "key size must be 16, 24 or 32 bytes";
        }
        return null;
    }

    private static String illegal(int at) {
        return "illegal base64 data at input byte " + at;
    }
}
