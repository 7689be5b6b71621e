package io.conclave.server.internal;

/** go-uuid's {@code ParseUUID} checks, with its error texts (Consul reports them as {@code Bad node ID: …}). */
final class Uuids {

    private Uuids() {
    }

    /** @return {@code null} for a well-formed UUID, else go-uuid's reason */
    static String parseError(String uuid) {
        if (uuid.length() != 36) {
            return "uuid string is wrong length";
        }
        if (uuid.charAt(8) != '-' || uuid.charAt(13) != '-' || uuid.charAt(18) != '-' || uuid.charAt(23) != '-') {
            return "uuid is improperly formatted";
        }
        for (int i = 0; i < uuid.length(); i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                continue;
            }
            char c = uuid.charAt(i);
            if (Character.digit(c, 16) < 0 || c > 0x7f) {
                // encoding/hex.InvalidByteError
                return String.format("encoding/hex: invalid byte: U+%04X '%c'", (int) c, c);
            }
        }
        return null;
    }
}
