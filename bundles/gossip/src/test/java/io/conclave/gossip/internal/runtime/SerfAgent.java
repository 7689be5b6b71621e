package io.conclave.gossip.internal.runtime;

import io.conclave.gossip.internal.testing.StockSerf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link StockSerf} agent for the interop tests: tagged {@code role=serf-NODE}, with an event handler that
 * appends each user event to a file, optionally encrypted and joining at start.
 */
final class SerfAgent implements AutoCloseable {

    final String node;
    final Path events;
    private final StockSerf serf;

    private SerfAgent(StockSerf serf, Path events) {
        this.node = serf.node;
        this.events = events;
        this.serf = serf;
    }

    /** @param key base64 gossip key or null; @param join "host:port" to join at start or null */
    static SerfAgent start(String node, String key, String join, Path dir) throws Exception {
        Path events = dir.resolve(node + ".events");
        Path handler = dir.resolve(node + "-handler.sh");
        Files.writeString(handler, "#!/bin/sh\nprintf '%s %s\\n' \"$SERF_USER_EVENT\" \"$(cat)\" >> '" + events + "'\n");
        Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwx------"));
        List<String> flags = new ArrayList<>(List.of("-tag", "role=serf-" + node, "-event-handler=user=" + handler));
        if (key != null) {
            flags.add("-encrypt=" + key);
        }
        if (join != null) {
            flags.add("-join=" + join);
        }
        return new SerfAgent(StockSerf.start(node, flags, Duration.ofSeconds(20)), events);
    }

    String address() {
        return serf.address();
    }

    List<String> log() {
        return serf.log();
    }

    List<String> logLinesAbout(String text) {
        return serf.logLinesAbout(text);
    }

    String cli(String... args) throws Exception {
        return serf.cli(args);
    }

    Map<String, String> members() {
        return serf.members();
    }

    String eventsSeen() {
        try {
            // Our events carry Consul's msgpack payload: bytes, not UTF-8.
            return Files.exists(events) ? Files.readString(events, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        serf.kill();
    }

    /** kill -9: teardown need not wait for a graceful stop. */
    @Override
    public void close() throws InterruptedException {
        serf.kill();
    }
}
