package io.conclave.launcher.agent;

import io.conclave.api.agent.HttpListener;
import io.conclave.launcher.cli.Ui;

import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogManager;
import java.util.stream.Stream;

/**
 * Boots Felix with the distribution's bundles and runs it until it stops.
 *
 * <ul>
 *   <li>The distribution holds one folder per bundle set, {@code <home>/bundles/<feature>/<level>/}
 *       (the {@code features} module's layout). Every feature is installed except the
 *       server-only one ({@code server}: store, consensus, server endpoints) on a client. Each jar gets its folder's start
 *       level and is started (fragments are only installed); the framework's beginning start
 *       level is the highest level, so level 1 (SPI-Fly) and 2 (slf4j) are active before
 *       anything logs.</li>
 *   <li>FileInstall watches {@code <home>/deploy}; bundles dropped there start at the highest
 *       level.</li>
 *   <li>The configuration is handed over as one JSON file, {@code <run-dir>/conclave-config.json},
 *       named by the framework property {@code conclave.config}; the agent bundle pushes each PID
 *       into ConfigurationAdmin.</li>
 *   <li>The console feature (gogo.shell) is always installed; it reads the terminal only with
 *       {@code -shell}, otherwise it runs with {@code gosh.args=--nointeractive}.</li>
 *   <li>Before anything starts, {@link PortCheck} binds every address the agent's listeners will
 *       bind; if one is taken the launcher prints Consul's {@code ==> Error starting agent: ...}
 *       and exits 1, rather than run an agent whose gossip, RPC, DNS or HTTP listener is missing.</li>
 *   <li>{@code ==> Conclave agent running!} is printed once the listeners' services are registered:
 *       the HTTP bundle's {@code io.conclave.api.agent.HttpListener}, the LAN pool's
 *       {@code io.conclave.api.gossip.Membership} and, on servers, the RPC listener
 *       ({@code conclave.rpc.port}); if that takes longer than
 *       {@code conclave.launcher.startTimeoutSeconds} (60), the launcher says which is missing and
 *       which bundles are not active, and exits 1. The system property
 *       {@code conclave.launcher.ready=started} waits only
 *       for the framework to reach its start level (used to check the core feature alone), and
 *       {@code conclave.launcher.smoke=true} stops right after start-up, exiting 1 unless every
 *       bundle is active (the distribution's build runs this check).</li>
 *   <li>A {@code java.lang.Runnable} service with {@code conclave.launcher=reload} is registered
 *       through the system bundle: running it re-reads the configuration ({@link Reloader}).
 *       SIGHUP runs it, then the agent bundle's {@code conclave.config=republish} service.</li>
 *   <li>SIGINT/SIGTERM stop the framework gracefully and exit 0; so does the framework stopping
 *       by itself ({@code PUT /v1/agent/leave}, {@code exit} in the shell). A second signal forces
 *       exit 1.</li>
 * </ul>
 */
public final class FrameworkRunner {

    static final String HTTP_LISTENER_CLASS = "io.conclave.api.agent.HttpListener";
    static final String MEMBERSHIP_CLASS = "io.conclave.api.gossip.Membership";
    static final String CONFIG_FILE = "conclave-config.json";

    static final String RELOAD_PROPERTY = "conclave.launcher";
    static final String LEAVE_FILTER = "(&(" + Constants.OBJECTCLASS + "=java.lang.Runnable)(conclave.agent=leave))";
    static final String REPUBLISH_FILTER = "(&(" + Constants.OBJECTCLASS + "=java.lang.Runnable)(conclave.config=republish))";

    private final AgentConfig config;
    private final Path home;
    private final Ui ui;
    private final Reloader reloader;
    private final long startTimeoutMillis =
            TimeUnit.SECONDS.toMillis(Long.getLong("conclave.launcher.startTimeoutSeconds", 60));
    private final long stopTimeoutMillis =
            TimeUnit.SECONDS.toMillis(Long.getLong("conclave.launcher.stopTimeoutSeconds", 30));
    private final boolean waitForListeners =
            !"started".equals(System.getProperty("conclave.launcher.ready", "listeners"));
    private final boolean smoke = Boolean.getBoolean("conclave.launcher.smoke");

    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Framework framework;
    private Console console;

    public FrameworkRunner(AgentConfig config, Path home, Ui ui, Reloader reloader) {
        this.config = config;
        this.home = home;
        this.ui = ui;
        this.reloader = reloader;
    }

    public int run() {
        Optional<String> conflict = PortCheck.firstConflict(config);
        if (conflict.isPresent()) {
            ui.output(config.banner().get(0));
            ui.error("==> Error starting agent: " + conflict.get());
            return 1;
        }
        Path bundles = home.resolve("bundles");
        TreeMap<Integer, List<Path>> levels;
        List<String> features;
        try {
            features = features(bundles, config.cluster().server());
            levels = scanBundles(bundles, features);
        } catch (IOException e) {
            ui.error("==> Error reading " + bundles + ": " + e.getMessage());
            return 1;
        }
        if (levels.isEmpty()) {
            ui.error("==> No bundles found under " + bundles + " (is CONCLAVE_HOME or -Dconclave.home right?)");
            return 1;
        }

        Path runDir;
        try {
            runDir = config.dev() ? Files.createTempDirectory("conclave-dev-")
                    : Files.createDirectories(Path.of(config.dataDir()).toAbsolutePath());
            Reloader.writeHandOff(runDir.resolve(CONFIG_FILE), config);
            Files.createDirectories(home.resolve("deploy"));
        } catch (IOException e) {
            ui.error("==> Error preparing the agent's run directory: " + e);
            return 1;
        }

        if (config.dev()) {
            // Normally the finally block below deletes it; this covers System.exit from a bundle
            // (the Gogo shell's "exit" command does that).
            Path dir = runDir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "conclave-cleanup"));
        }
        configureLogging();
        console = Console.install(!config.shell());
        config.banner().forEach(console::line);
        config.warnings().forEach(w -> console.log("WARN", w));
        console.log("INFO", "Bundle sets: " + String.join(", ", features)
                + (config.cluster().server() ? "" : " (a client: no " + String.join(", ", SERVER_ONLY_FEATURES) + ")"));
        reloader.attach(runDir.resolve(CONFIG_FILE), console::log);

        int code;
        try {
            code = boot(levels, runDir);
        } finally {
            if (config.dev()) {
                deleteTree(runDir);
            }
            finished.countDown();
        }
        console.flush();
        return code;
    }

    private int boot(TreeMap<Integer, List<Path>> levels, Path runDir) {
        int maxLevel = levels.lastKey();
        Map<String, String> props = frameworkProperties(runDir, maxLevel);
        Framework fw = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"))
                .newFramework(props);
        framework = fw;
        try {
            fw.init();
            installSignalHandlers();
            BundleContext ctx = fw.getBundleContext();
            // PUT /v1/agent/reload (agent bundle) runs this, then its own republish service.
            Hashtable<String, Object> reloadProps = new Hashtable<>();
            reloadProps.put(RELOAD_PROPERTY, "reload");
            ctx.registerService(Runnable.class, () -> reloader.reload(), reloadProps);

            CountDownLatch started = new CountDownLatch(1);
            ctx.addFrameworkListener(event -> {
                if (event.getType() == FrameworkEvent.STARTED) {
                    started.countDown();
                }
            });
            List<ServiceWatch> listeners = new ArrayList<>();
            for (Awaited awaited : awaited(config.cluster().server())) {
                listeners.add(ServiceWatch.listen(ctx, awaited));
            }

            List<Bundle> installed = new ArrayList<>();
            for (Map.Entry<Integer, List<Path>> level : levels.entrySet()) {
                for (Path jar : level.getValue()) {
                    Bundle b;
                    try {
                        // Copied into the cache (no "reference:"), so that rebuilding the
                        // distribution under a running agent cannot pull jars from under it.
                        b = ctx.installBundle(jar.toUri().toString());
                    } catch (BundleException e) {
                        console.line("==> Error installing bundle " + jar + ": " + e.getMessage());
                        return stop(fw, 1);
                    }
                    b.adapt(BundleStartLevel.class).setStartLevel(level.getKey());
                    installed.add(b);
                }
            }
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    try {
                        b.start();
                    } catch (BundleException e) {
                        console.log("ERROR", "Error starting " + b.getSymbolicName() + ": " + e.getMessage());
                    }
                }
            }
            fw.start();

            long deadline = System.currentTimeMillis() + startTimeoutMillis;
            boolean frameworkStarted = await(started, deadline, fw);
            Awaited missing = null;
            if (frameworkStarted && waitForListeners) {
                for (ServiceWatch w : listeners) {
                    w.checkRegistered(ctx);
                    if (missing == null && !await(w.up, deadline, fw)) {
                        missing = w.awaited;
                    }
                }
            }
            if (!frameworkStarted || missing != null) {
                if (shuttingDown.get() || !isRunning(fw)) {
                    return waitForStop(fw);
                }
                reportNotStarted(ctx, missing);
                return stop(fw, 1);
            }
            List<String> inactive = inactiveBundles(ctx);
            if (!inactive.isEmpty()) {
                console.log("WARN", "bundles not active: " + String.join(", ", inactive));
            }
            ServiceReference<?> http = listeners.get(0).reference.get();
            if (http != null) {
                console.log("INFO", "HTTP API listening: " + describe(http));
            }
            console.line("==> Conclave agent running!");
            if (smoke) {
                int count = ctx.getBundles().length;
                if (inactive.isEmpty()) {
                    console.line("==> Smoke check passed: " + count + " bundles, all active; stopping");
                    return stop(fw, 0);
                }
                console.line("==> Smoke check failed: bundles not active: " + String.join(", ", inactive));
                return stop(fw, 1);
            }
            return waitForStop(fw);
        } catch (BundleException | InvalidSyntaxException | RuntimeException e) {
            console.line("==> Error starting agent: " + e);
            return stop(fw, 1);
        }
    }

    private static String describe(ServiceReference<?> ref) {
        return ref.getProperty(HttpListener.PROP_ADDRESS) + ":" + ref.getProperty(HttpListener.PROP_PORT);
    }

    /**
     * A listener's service the launcher waits for before it says the agent is running.
     *
     * @param bundle      the bundle that registers it, named when every bundle is active yet it is missing
     * @param description what did not start, and which service says so
     */
    record Awaited(String filter, String bundle, String description) {
    }

    /** The HTTP API first (its address is logged), then the LAN gossip pool and, on servers, the RPC port. */
    static List<Awaited> awaited(boolean server) {
        List<Awaited> out = new ArrayList<>();
        out.add(new Awaited("(" + Constants.OBJECTCLASS + "=" + HTTP_LISTENER_CLASS + ")", "http",
                "the HTTP API did not start (no " + HTTP_LISTENER_CLASS + " service was registered)"));
        out.add(new Awaited("(&(" + Constants.OBJECTCLASS + "=" + MEMBERSHIP_CLASS + ")(conclave.gossip.pool=lan))",
                "gossip", "the LAN gossip pool did not start (no " + MEMBERSHIP_CLASS
                + " service with conclave.gossip.pool=lan was registered)"));
        if (server) {
            out.add(new Awaited("(conclave.rpc.port=*)", "rpc",
                    "the server RPC listener did not start (no service with conclave.rpc.port was registered)"));
        }
        return out;
    }

    /** Hears of one awaited service's registration, whether it comes before or after {@link #checkRegistered}. */
    private static final class ServiceWatch {
        final Awaited awaited;
        final CountDownLatch up = new CountDownLatch(1);
        final AtomicReference<ServiceReference<?>> reference = new AtomicReference<>();

        private ServiceWatch(Awaited awaited) {
            this.awaited = awaited;
        }

        /**
         * An AllServiceListener: the launcher's own class path holds the api jar, so for the system
         * bundle the bundles' service classes are "not assignable" and a plain ServiceListener would
         * never hear of them. Only the properties are read.
         */
        static ServiceWatch listen(BundleContext ctx, Awaited awaited) throws InvalidSyntaxException {
            ServiceWatch w = new ServiceWatch(awaited);
            ctx.addServiceListener((AllServiceListener) event -> {
                if (event.getType() == ServiceEvent.REGISTERED) {
                    w.found(event.getServiceReference());
                }
            }, awaited.filter());
            return w;
        }

        void checkRegistered(BundleContext ctx) throws InvalidSyntaxException {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(null, awaited.filter());
            if (refs != null && refs.length > 0) {
                found(refs[0]);
            }
        }

        private void found(ServiceReference<?> ref) {
            reference.compareAndSet(null, ref);
            up.countDown();
        }
    }

    /** Waits on a latch until the deadline, giving up early if the framework stops. */
    private static boolean await(CountDownLatch latch, long deadline, Framework fw) {
        try {
            while (System.currentTimeMillis() < deadline) {
                if (latch.await(100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (!isRunning(fw)) {
                    return false;
                }
            }
            return latch.getCount() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isRunning(Framework fw) {
        int s = fw.getState();
        return s == Bundle.STARTING || s == Bundle.ACTIVE;
    }

    /** @param missing the first awaited service that did not appear; null when the framework did not start */
    private void reportNotStarted(BundleContext ctx, Awaited missing) {
        long secs = TimeUnit.MILLISECONDS.toSeconds(startTimeoutMillis);
        if (missing == null) {
            console.line("==> Conclave agent did not start within " + secs + "s: the framework did not reach "
                    + "its start level.");
        } else {
            console.line("==> Conclave agent did not start within " + secs + "s: " + missing.description() + ".");
        }
        List<String> inactive = inactiveBundles(ctx);
        if (inactive.isEmpty() && missing != null) {
            console.line("    Every installed bundle is active: either the " + missing.bundle() + " bundle is missing "
                    + "from " + home.resolve("bundles") + ", it could not bind its address (its ERROR line above "
                    + "says why), or a component it needs waits for a service no bundle provides (`scr:list` in "
                    + "`conclave agent -shell` shows which).");
        } else if (inactive.isEmpty()) {
            console.line("    Every installed bundle is active.");
        } else {
            console.line("    Bundles not active:");
            inactive.forEach(b -> console.line("        " + b));
        }
    }

    static List<String> inactiveBundles(BundleContext ctx) {
        List<String> out = new ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            if (b.getBundleId() == 0 || b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            if (b.getState() != Bundle.ACTIVE) {
                out.add(b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "]: "
                        + stateName(b.getState()));
            }
        }
        return out;
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> String.valueOf(state);
        };
    }

    /** Blocks until the framework stops, by a signal, {@code leave} or the shell. */
    private int waitForStop(Framework fw) {
        try {
            FrameworkEvent ev = fw.waitForStop(0);
            if (ev.getType() == FrameworkEvent.ERROR) {
                console.log("ERROR", "framework stopped with an error: " + ev.getThrowable());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        console.line("==> Conclave agent stopped");
        return 0;
    }

    private int stop(Framework fw, int code) {
        try {
            fw.stop();
            fw.waitForStop(stopTimeoutMillis);
        } catch (BundleException | InterruptedException e) {
            console.log("WARN", "stopping the framework: " + e);
        }
        return code;
    }

    // ------------------------------------------------------------------ signals

    private void installSignalHandlers() {
        try {
            for (String name : List.of("INT", "TERM", "HUP")) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> onSignal(sig.getName()));
            }
        } catch (IllegalArgumentException | LinkageError e) {
            // No sun.misc.Signal here: a shutdown hook does the same for INT and TERM.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                onSignal("TERM");
            }, "conclave-shutdown"));
        }
    }

    private void onSignal(String name) {
        String goName = switch (name) {
            case "INT" -> "interrupt";
            case "TERM" -> "terminated";
            case "HUP" -> "hangup";
            default -> name;
        };
        if (name.equals("HUP")) {
            console.log("INFO", "Caught signal: " + goName);
            reloadAndRepublish();
            return;
        }
        if (!shuttingDown.compareAndSet(false, true)) {
            console.log("WARN", "Caught signal: " + goName + " again: forced exit");
            console.flush();
            Runtime.getRuntime().halt(1);
        }
        console.log("INFO", "Caught signal: " + goName);
        console.log("INFO", "Gracefully shutting down agent...");
        if (!config.cluster().server()) {
            // Consul's defaults: a client leaves its pools on interrupt and on terminate (others see it "left");
            // a server does not, so that a restart does not look like a departure.
            try {
                runService(LEAVE_FILTER);
            } catch (RuntimeException e) {
                console.log("ERROR", "Error leaving the cluster: " + e.getMessage());
            }
        }
        Framework fw = framework;
        try {
            if (fw != null) {
                fw.stop();
            }
            if (!finished.await(stopTimeoutMillis + 5_000, TimeUnit.MILLISECONDS)) {
                console.log("ERROR", "Timed out when stopping the agent");
                console.flush();
                Runtime.getRuntime().halt(1);
            }
        } catch (BundleException | InterruptedException e) {
            console.log("ERROR", "Error stopping the agent: " + e);
            console.flush();
            Runtime.getRuntime().halt(1);
        }
        // The main thread returns 0 and the launcher halts with it.
    }

    /**
     * SIGHUP: the launcher's own reload, then the agent bundle's republish service (found through
     * the system bundle; both are plain {@link Runnable}s, so no class-space question arises). An
     * invalid configuration is logged and the agent keeps running with the old one.
     */
    void reloadAndRepublish() {
        try {
            reloader.reload();
        } catch (IllegalStateException e) {
            return; // logged by the reloader
        }
        try {
            if (!runService(REPUBLISH_FILTER)) {
                console.log("WARN", "Reload: the configuration file is rewritten but no republish service "
                        + "(conclave.config=republish) is registered to apply it");
            }
        } catch (RuntimeException e) {
            console.log("ERROR", "Reload config failed: error=\"Failed to reload configs: " + e.getMessage() + "\"");
        }
    }

    /**
     * Runs the first {@link Runnable} service matching {@code filter} in the running framework, on this thread.
     *
     * @return false when the framework is not running or no such service is registered
     */
    private boolean runService(String filter) {
        Framework fw = framework;
        BundleContext ctx = fw == null ? null : fw.getBundleContext();
        if (ctx == null) {
            return false;
        }
        ServiceReference<?>[] refs;
        try {
            refs = ctx.getAllServiceReferences(null, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        if (refs == null || refs.length == 0) {
            return false;
        }
        Object svc = ctx.getService(refs[0]);
        try {
            if (svc instanceof Runnable r) {
                r.run();
                return true;
            }
            return false;
        } finally {
            ctx.ungetService(refs[0]);
        }
    }

    // ------------------------------------------------------------------ set-up

    private Map<String, String> frameworkProperties(Path runDir, int maxLevel) {
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, runDir.resolve("felix-cache").toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, String.valueOf(maxLevel));
        p.put("felix.log.level", switch (config.logLevel()) {
            case "trace" -> "4";
            case "debug" -> "3";
            default -> "2";
        });
        p.put("felix.fileinstall.dir", home.resolve("deploy").toString());
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.start.level", String.valueOf(maxLevel));
        p.put("felix.fileinstall.log.level", "1");
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("gosh.args", config.shell() ? "" : "--nointeractive");
        p.put("dnsjava.nio.register_shutdown_hook", "false");
        p.put("conclave.config", runDir.resolve(CONFIG_FILE).toAbsolutePath().toString());
        p.put("conclave.home", home.toString());
        p.put("conclave.version", config.version());
        return p;
    }

    /** slf4j-simple and dnsjava read system properties, so they are set before any bundle runs. */
    private void configureLogging() {
        String level = config.logLevel().equals("err") ? "error" : config.logLevel();
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.out");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        if (!level.equals("trace") && !level.equals("debug")) {
            // Jetty's start-up chatter is not Consul's; keep its warnings.
            System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        }
        System.setProperty("dnsjava.nio.register_shutdown_hook", "false");

        Path jul = home.resolve("conf").resolve("logging.properties");
        if (System.getProperty("java.util.logging.config.file") == null && Files.isRegularFile(jul)) {
            try (InputStream in = Files.newInputStream(jul)) {
                LogManager.getLogManager().readConfiguration(in);
            } catch (IOException e) {
                ui.error("==> Warning: cannot read " + jul + ": " + e.getMessage());
            }
        }
    }

    /**
     * The bundle sets a server alone installs: a client keeps no replicated state, so it has no
     * state store, no consensus and no server endpoints (it forwards to a server over RPC).
     */
    static final Set<String> SERVER_ONLY_FEATURES = Set.of("server");

    /** The feature folders under {@code dir} this agent installs, by name. */
    static List<String> features(Path dir, boolean server) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> server || !SERVER_ONLY_FEATURES.contains(name))
                    .sorted()
                    .toList();
        }
    }

    /**
     * {@code bundles/<feature>/<level>/*.jar} of the given features, merged level by level: by
     * numeric level, then by file name. Folders that are not numbers are ignored.
     */
    static TreeMap<Integer, List<Path>> scanBundles(Path dir, List<String> features) throws IOException {
        TreeMap<Integer, List<Path>> levels = new TreeMap<>();
        for (String feature : features) {
            Path featureDir = dir.resolve(feature);
            if (!Files.isDirectory(featureDir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(featureDir)) {
                for (Path levelDir : s.filter(Files::isDirectory).toList()) {
                    int level;
                    try {
                        level = Integer.parseInt(levelDir.getFileName().toString());
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (level < 1) {
                        continue;
                    }
                    try (Stream<Path> jars = Files.list(levelDir)) {
                        jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
                                .map(Path::toAbsolutePath)
                                .forEach(jar -> levels.computeIfAbsent(level, k -> new ArrayList<>()).add(jar));
                    }
                }
            }
        }
        levels.values().forEach(l -> l.sort(Comparator.comparing(p -> p.getFileName().toString())));
        return levels;
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp directory
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
