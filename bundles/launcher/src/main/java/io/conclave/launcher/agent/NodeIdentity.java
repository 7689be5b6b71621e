package io.conclave.launcher.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** The node's name and ID, found the way Consul finds them. */
public final class NodeIdentity {

    private static final Pattern UUID_FORMAT =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private NodeIdentity() {
    }

    /** The machine's host name, Consul's default node name. */
    public static String hostname() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JDK
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    public static boolean isValid(String nodeId) {
        return UUID_FORMAT.matcher(nodeId.toLowerCase(Locale.ROOT)).matches();
    }

    /** A fresh random node ID, as {@code -dev} uses. */
    public static String random() {
        return UUID.randomUUID().toString();
    }

    /**
     * The node ID persisted in {@code <dataDir>/node-id}, created on first use as Consul does so
     * that a restarted agent keeps its identity.
     */
    public static String persisted(Path dataDir) throws IOException {
        Path file = dataDir.resolve("node-id");
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
            if (!isValid(id)) {
                throw new IOException("node ID in " + file + " is not a valid UUID: " + id);
            }
            return id;
        }
        String id = random();
        Files.createDirectories(dataDir);
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }
}
