package io.conclave.gossip.internal.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * serf's keyring file ({@code writeKeyringFile}; Consul's {@code data_dir/serf/local.keyring} and
 * {@code remote.keyring}): a JSON array of base64 keys, the primary first, mode 0600. It exists so
 * keys installed at run time ({@code consul keyring -install/-use}) survive a restart.
 */
public final class KeyringFile {

    private static final Pattern STRING = Pattern.compile("\"([A-Za-z0-9+/=]*)\"");
    private static final int MAX_BYTES = 64 * 1024;

    private KeyringFile() {
    }

    public static List<byte[]> read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is too large to be a keyring");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw new IOException(file + ": a keyring file is a JSON array of base64 keys");
        }
        List<byte[]> keys = new ArrayList<>();
        Matcher m = STRING.matcher(text);
        while (m.find()) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(m.group(1));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": not base64: " + m.group(1), e);
            }
            if (key.length != 16 && key.length != 24 && key.length != 32) {
                throw new IOException(file + ": key size must be 16, 24 or 32 bytes");
            }
            keys.add(key);
        }
        if (keys.isEmpty()) {
            throw new IOException(file + " holds no keys");
        }
        return keys;
    }

    /** Writes atomically (a temporary file renamed over the old one). */
    public static void write(Path file, List<byte[]> keys) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < keys.size(); i++) {
            sb.append("  \"").append(Base64.getEncoder().encodeToString(keys.get(i))).append('"')
                    .append(i + 1 < keys.size() ? ",\n" : "\n");
        }
        sb.append(']');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: no POSIX modes.
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
