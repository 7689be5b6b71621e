package io.conclave.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the launcher's configuration hand-off into ConfigAdmin configurations. The launcher runs
 * outside the framework and cannot call ConfigAdmin itself; it writes one JSON file
 * ({@code {"<pid>": {"key": value}}}) and names it in the framework property {@code conclave.config}.
 * Each PID is written with {@code updateIfDifferent}, so re-publishing an unchanged file (a reload)
 * restarts nothing.
 *
 * <p>Registered as a {@link Runnable} with {@code conclave.config=republish}: running it re-reads the
 * file and republishes it (the launcher calls it after rewriting the file on SIGHUP; {@code reload}
 * calls it after the launcher's own reload step), throwing {@link IllegalStateException} when the file
 * cannot be read.
 */
@Component(immediate = true, service = Runnable.class, property = ConfigPublisher.REPUBLISH + "=republish")
public class ConfigPublisher implements Runnable {

    static final String FRAMEWORK_PROPERTY = "conclave.config";
    static final String REPUBLISH = "conclave.config";
    private static final Logger LOG = LoggerFactory.getLogger("agent.config");

    private final ConfigurationAdmin configAdmin;
    private final BundleContext context;

    @Activate
    public ConfigPublisher(@Reference ConfigurationAdmin configAdmin, BundleContext context) throws IOException {
        this.configAdmin = configAdmin;
        this.context = context;
        publish();
    }

    @Override
    public void run() {
        try {
            publish();
        } catch (IOException e) {
            throw new IllegalStateException("Failed to read the configuration: " + e.getMessage(), e);
        }
    }

    private synchronized void publish() throws IOException {
        String file = context.getProperty(FRAMEWORK_PROPERTY);
        if (file == null || file.isBlank()) {
            LOG.debug("no {} framework property: components use their defaults", FRAMEWORK_PROPERTY);
            return;
        }
        for (Map.Entry<String, Dictionary<String, Object>> pid : read(Path.of(file)).entrySet()) {
            Configuration configuration = configAdmin.getConfiguration(pid.getKey(), "?");
            configuration.updateIfDifferent(pid.getValue());
        }
    }

    static Map<String, Dictionary<String, Object>> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected a JSON object of PIDs");
        }
        Map<String, Dictionary<String, Object>> pids = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> pid = it.next();
            if (!pid.getValue().isObject()) {
                throw new IOException(file + ": " + pid.getKey() + " is not an object");
            }
            Hashtable<String, Object> props = new Hashtable<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = pid.getValue().fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                Object value = toValue(field.getValue());
                if (value == null) {
                    throw new IOException(file + ": " + pid.getKey() + "." + field.getKey()
                            + " must be a string, number, boolean or array of strings");
                }
                props.put(field.getKey(), value);
            }
            pids.put(pid.getKey(), props);
        }
        return pids;
    }

    private static Object toValue(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        } else if (node.isBoolean()) {
            return node.booleanValue();
        } else if (node.isIntegralNumber()) {
            return node.canConvertToInt() ? (Object) node.intValue() : (Object) node.longValue();
        } else if (node.isNumber()) {
            return node.doubleValue();
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isValueNode()) {
                    return null;
                }
                items.add(item.asText());
            }
            return items.toArray(new String[0]);
        }
        return null;
    }
}
