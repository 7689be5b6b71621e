package io.conclave.shell.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.QueryOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.felix.service.command.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands in scope {@code conclave}. Gogo maps a command name to a method by name, and
 * {@code kv-get} is no Java identifier, so each command is registered as its own {@link Function}.
 */
@Component(immediate = true)
public class ShellCommands {

    static final String SCOPE = "conclave";
    private static final long TIMEOUT_SECONDS = 30;

    private final Agent agent;
    private final BundleContext context;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    public ShellCommands(@Reference Agent agent, BundleContext context) {
        this.agent = agent;
        this.context = context;
        register("kv-get", "kv-get KEY: print the value stored at KEY", this::kvGet);
        register("kv-put", "kv-put KEY VALUE: store VALUE at KEY", this::kvPut);
        register("kv-delete", "kv-delete [-recurse] KEY: delete KEY (or every key under the prefix)", this::kvDelete);
        register("kv-list", "kv-list [PREFIX]: list keys under PREFIX", this::kvList);
        GossipCommands gossip = new GossipCommands(agent);
        register("members", GossipCommands.MEMBERS_HELP, gossip::members);
        register("join", GossipCommands.JOIN_HELP, gossip::join);
        register("force-leave", GossipCommands.FORCE_LEAVE_HELP, gossip::forceLeave);
        register("event", GossipCommands.EVENT_HELP, gossip::event);
        register("bundles", "bundles: Conclave's own bundles and their states", args -> bundles());
        LocalStateCommands local = new LocalStateCommands(agent);
        register("services", "services: the services registered with this agent", local::services);
        register("checks", "checks: this agent's checks with their status", local::checks);
        register("check-types", "check-types: the installed check types", local::checkTypes);
        register("service-register", LocalStateCommands.SERVICE_REGISTER_HELP, local::serviceRegister);
        register("service-deregister", "service-deregister ID: deregister a service and its checks",
                local::serviceDeregister);
        register("maint", LocalStateCommands.MAINT_HELP, local::maint);
        CatalogCommands catalog = new CatalogCommands(agent);
        register("catalog-nodes", "catalog-nodes: the nodes in the catalog", catalog::nodes);
        register("catalog-services", "catalog-services: the services in the catalog with their tags", catalog::services);
        register("catalog-service", CatalogCommands.SERVICE_HELP, catalog::service);
    }

    private interface Command {
        Object run(List<String> args) throws Exception;
    }

    private void register(String name, String help, Command command) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", SCOPE);
        props.put("osgi.command.function", new String[] {name});
        Function function = (session, arguments) -> {
            List<String> args = new ArrayList<>();
            for (Object a : arguments) {
                args.add(String.valueOf(a));
            }
            if (args.contains("--help") || args.contains("-h")) {
                return help;
            }
            try {
                return command.run(args);
            } catch (UsageException e) {
                throw new IllegalArgumentException("usage: " + help);
            }
        };
        registrations.add(context.registerService(Function.class, function, props));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping and unregistered it first
            }
        }
        registrations.clear();
    }

    String kvGet(List<String> args) throws Exception {
        require(args.size() == 1);
        Optional<KvEntry> entry = await(agent.kv().get(args.get(0), QueryOptions.now())).value();
        if (entry.isEmpty()) {
            throw new IllegalArgumentException("Error! No key exists at: " + args.get(0));
        }
        byte[] value = entry.get().value();
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }

    String kvPut(List<String> args) throws Exception {
        require(args.size() == 2);
        boolean ok = await(agent.kv().apply(KvRequest.set(args.get(0), args.get(1).getBytes(StandardCharsets.UTF_8), 0)));
        return ok ? "Success! Data written to: " + args.get(0) : "Error! Did not write to " + args.get(0);
    }

    String kvDelete(List<String> args) throws Exception {
        boolean recurse = args.remove("-recurse");
        require(args.size() == 1);
        String key = args.get(0);
        await(agent.kv().apply(recurse ? KvRequest.deleteTree(key) : KvRequest.delete(key)));
        return recurse ? "Success! Deleted keys with prefix: " + key : "Success! Deleted key: " + key;
    }

    String kvList(List<String> args) throws Exception {
        require(args.size() <= 1);
        String prefix = args.isEmpty() ? "" : args.get(0);
        return String.join("\n", await(agent.kv().keys(prefix, "", QueryOptions.now())).value());
    }

    String bundles() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "State", "Version", "Name"});
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.conclave.")) {
                rows.add(new String[] {Long.toString(b.getBundleId()), state(b.getState()),
                        b.getVersion().toString(), b.getSymbolicName()});
            }
        }
        return Tables.render(rows);
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "Active";
            case Bundle.RESOLVED -> "Resolved";
            case Bundle.INSTALLED -> "Installed";
            case Bundle.STARTING -> "Starting";
            case Bundle.STOPPING -> "Stopping";
            default -> "Uninstalled";
        };
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new UsageException();
        }
    }

    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
