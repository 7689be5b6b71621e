package io.conclave.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version and revision stamped into the launcher jar at build time. */
public final class BuildInfo {

    /** Protocol line of {@code consul version}; Conclave speaks the same versions. */
    public static final String PROTOCOL_LINE = "Protocol 2 spoken by default, understands 2 to 3 "
            + "(agent will automatically use protocol >2 when speaking to compatible agents)";

    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall back to the defaults below
        }
        return p;
    }

    /** The Maven project version without {@code -SNAPSHOT}, e.g. {@code 0.1.0}. */
    public static String version() {
        String v = PROPS.getProperty("version", "0.0.0");
        if (v.startsWith("${")) {
            v = "0.0.0";
        }
        return v.endsWith("-SNAPSHOT") ? v.substring(0, v.length() - "-SNAPSHOT".length()) : v;
    }

    /** The git revision the build was made from, or {@code unknown}. */
    public static String revision() {
        String r = PROPS.getProperty("revision", "").trim();
        return r.isEmpty() || r.startsWith("${") ? "unknown" : r;
    }
}
