package io.conclave.launcher.agent;

import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.config.ConfigException;
import io.conclave.launcher.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * {@code conclave reload}, {@code PUT /v1/agent/reload} and SIGHUP: reads every configuration
 * source again with the agent's original command line, validates, and rewrites the hand-off file;
 * the agent bundle's republish service then pushes the PIDs into ConfigAdmin, where only what
 * changed reaches a component.
 *
 * <p>As Consul's reload, it changes what can change while running (services, checks, DNS and
 * script-check settings, node meta, limits, log level) and keeps the rest: a changed node name,
 * datacenter, address or port is logged as needing a restart and the running value stays. A
 * configuration that does not validate changes nothing: {@link #reload()} throws
 * {@link IllegalStateException} whose message names the file, the key and the reason.
 */
public final class Reloader {

    private final List<String> args;
    private volatile AgentConfig current;
    private volatile Path handOff;
    private volatile BiConsumer<String, String> log = (level, message) -> { };

    public Reloader(List<String> args, AgentConfig started) {
        this.args = List.copyOf(args);
        this.current = started;
    }

    /** Where the hand-off file is, and where log lines ({@code level, message}) go. */
    void attach(Path handOffFile, BiConsumer<String, String> logger) {
        this.handOff = handOffFile;
        this.log = logger;
    }

    public AgentConfig current() {
        return current;
    }

    /** Writes the hand-off file so that a reader never sees half of it. */
    static void writeHandOff(Path file, AgentConfig config) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Json.writeIndented(config.toPids(), "  ") + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Re-reads the configuration and rewrites the hand-off file.
     *
     * @throws IllegalStateException if the configuration is invalid or cannot be written; nothing
     *                               has changed then
     */
    public synchronized AgentConfig reload() {
        log.accept("INFO", "Reloading configuration...");
        try {
            AgentConfig next = build();
            for (String w : next.warnings()) {
                log.accept("WARN", w);
            }
            Path file = handOff;
            if (file != null) {
                try {
                    writeHandOff(file, next);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
                }
            }
            current = next;
            return next;
        } catch (IllegalStateException e) {
            log.accept("ERROR", "Reload config failed: error=\"Failed to reload configs: " + e.getMessage() + "\"");
            throw e;
        }
    }

    private AgentConfig build() {
        Flags flags = AgentCommand.flags();
        AgentConfig running = current;
        AgentConfig fresh;
        try {
            flags.parse(args);
            fresh = ConfigBuilder.build(flags, new ConfigBuilder.Options(ConfigBuilder.Mode.RUN,
                    running::nodeName, running.nodeId()));
        } catch (ConfigException | FlagException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return keepRestartOnly(running, fresh);
    }

    /** The new configuration, with the settings that need a restart kept at their running values. */
    static AgentConfig keepRestartOnly(AgentConfig running, AgentConfig fresh) {
        List<String> warnings = new ArrayList<>(fresh.warnings());
        restart(warnings, "node_name", running.nodeName(), fresh.nodeName());
        restart(warnings, "node_id", running.nodeId(), fresh.nodeId());
        restart(warnings, "datacenter", running.datacenter(), fresh.datacenter());
        restart(warnings, "data_dir", running.dataDir(), fresh.dataDir());
        restart(warnings, "client_addr", running.clientAddr(), fresh.clientAddr());
        restart(warnings, "bind_addr", running.bindAddr(), fresh.bindAddr());
        restart(warnings, "advertise_addr", running.advertiseAddr(), fresh.advertiseAddr());
        restart(warnings, "addresses.http", running.httpAddr(), fresh.httpAddr());
        restart(warnings, "ports.http", running.httpPort(), fresh.httpPort());
        restart(warnings, "addresses.dns", running.dnsAddr(), fresh.dnsAddr());
        restart(warnings, "ports.dns", running.dnsPort(), fresh.dnsPort());
        restart(warnings, "ports.server", running.serverPort(), fresh.serverPort());
        restart(warnings, "ports.serf_lan", running.serfLanPort(), fresh.serfLanPort());
        restart(warnings, "ports.serf_wan", running.serfWanPort(), fresh.serfWanPort());
        restartCluster(warnings, running.cluster(), fresh.cluster());
        return new AgentConfig(running.dev(), running.nodeName(), running.nodeId(), running.datacenter(),
                running.dataDir(), running.clientAddrs(), running.bindAddr(), running.advertiseAddr(),
                running.httpAddr(), running.httpPort(), running.dnsAddr(), running.dnsPort(), running.serverPort(),
                running.serfLanPort(), running.serfWanPort(), fresh.logLevel(), running.shell(), running.shellPort(),
                running.version(), running.revision(), fresh.enableScriptChecks(), fresh.enableLocalScriptChecks(),
                fresh.checkUpdateInterval(), fresh.nodeMeta(), fresh.services(), fresh.checks(), fresh.dns(),
                fresh.httpMaxConnsPerClient(), fresh.kvMaxValueSize(), running.cluster(), warnings);
    }

    /** Gossip and server settings are read once, when the agent starts (as Consul's are). */
    private static void restartCluster(List<String> warnings, AgentConfig.Cluster running, AgentConfig.Cluster fresh) {
        for (var c : AgentConfig.Cluster.class.getRecordComponents()) {
            try {
                Object was = c.getAccessor().invoke(running);
                Object now = c.getAccessor().invoke(fresh);
                if (c.getName().equals("encrypt")) {
                    if (!was.equals(now)) { // never print a key
                        warnings.add("Reloading encrypt needs a restart: the agent keeps its gossip key");
                    }
                } else {
                    restart(warnings, snake(c.getName()), was, now);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** {@code retryJoinWan} → {@code retry_join_wan}, the configuration key's spelling. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static void restart(List<String> warnings, String key, Object running, Object fresh) {
        if (!Objects.equals(running, fresh)) {
            warnings.add("Reloading " + key + " needs a restart: the agent keeps " + Json.write(running)
                    + " (the configuration now says " + Json.write(fresh) + ")");
        }
    }
}
