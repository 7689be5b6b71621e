package io.conclave.itests;

import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * The Pax Exam options every in-container test shares: a dev agent's bundle sets as the distribution
 * ships them ({@code core}, {@code agent}, {@code server}), an HTTP listener on an ephemeral port,
 * gossip and server RPC on ephemeral loopback ports, DNS off, and a FileInstall-watched deploy
 * folder whose path the test reads back from the framework property {@value #DEPLOY_DIR}.
 */
final class DevAgentOptions {

    static final String DEPLOY_DIR = "conclave.itest.deploy";

    private DevAgentOptions() {
    }

    /** @param extraAgentConfig extra JSON members for the {@code io.conclave.agent} PID, e.g. {@code "enable_script_checks": true} */
    static Option[] options(String extraAgentConfig, Option... extra) throws IOException {
        Path deploy = Files.createTempDirectory("conclave-itest-deploy");
        Path config = Files.createTempFile("conclave-itest-config", ".json");
        Files.writeString(config, """
                {"io.conclave.agent": {"node_name": "itest", "datacenter": "dc1", "node_id": "0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11",
                                       "server": true, "dev": true, "bind_addr": "127.0.0.1", "advertise_addr": "127.0.0.1",
                                       "serf_lan_port": 0, "serf_wan_port": 0, "server_port": 0%s},
                 "io.conclave.http": {"address": "127.0.0.1", "port": 0},
                 "io.conclave.dns": {"address": "127.0.0.1", "port": -1}}
                """.formatted(extraAgentConfig.isEmpty() ? "" : ", " + extraAgentConfig));
        List<Option> options = new ArrayList<>(List.of(
                composite(Features.bundles("core", "agent", "server")),
                frameworkStartLevel(10),
                frameworkProperty("conclave.config").value(config.toString()),
                frameworkProperty("felix.fileinstall.dir").value(deploy.toString()),
                frameworkProperty("felix.fileinstall.poll").value("100"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("felix.fileinstall.log.level").value("1"),
                frameworkProperty(DEPLOY_DIR).value(deploy.toString()),
                frameworkProperty("dnsjava.nio.register_shutdown_hook").value("false"),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
                junitBundles(),
                cleanCaches()));
        options.addAll(List.of(extra));
        return options.toArray(new Option[0]);
    }
}
