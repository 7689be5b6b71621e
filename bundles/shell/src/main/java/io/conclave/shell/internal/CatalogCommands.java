package io.conclave.shell.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.Node;
import io.conclave.api.query.QueryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The catalog from the Gogo shell: {@code catalog-nodes}, {@code catalog-services} and
 * {@code catalog-service NAME} (instances with their aggregated health), read through the agent as
 * HTTP and DNS read it.
 */
final class CatalogCommands {

    static final String SERVICE_HELP = "catalog-service NAME [TAG...]: the instances of a service with their health";
    private static final long TIMEOUT_SECONDS = 30;

    private final Agent agent;

    CatalogCommands(Agent agent) {
        this.agent = agent;
    }

    String nodes(List<String> args) throws Exception {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Node", "ID", "Address", "DC"});
        for (Node n : await(agent.catalog().nodes(QueryOptions.now())).value()) {
            rows.add(new String[] {n.node(), n.id().length() > 8 ? n.id().substring(0, 8) : n.id(), n.address(), n.datacenter()});
        }
        return Tables.render(rows);
    }

    String services(List<String> args) throws Exception {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Service", "Tags"});
        for (Map.Entry<String, List<String>> e : await(agent.catalog().services(QueryOptions.now())).value().entrySet()) {
            rows.add(new String[] {e.getKey(), String.join(",", e.getValue())});
        }
        return Tables.render(rows);
    }

    String service(List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: " + SERVICE_HELP);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Node", "ServiceID", "Address", "Port", "Tags", "Health"});
        List<CheckServiceNode> entries = await(agent.health().service(args.get(0), args.subList(1, args.size()), false,
                QueryOptions.now())).value();
        for (CheckServiceNode e : entries) {
            String address = e.service().address().isEmpty() ? e.node().address() : e.service().address();
            rows.add(new String[] {e.node().node(), e.service().id(), address, Integer.toString(e.service().port()),
                    String.join(",", e.service().tags()), Health.aggregate(e.checks())});
        }
        return Tables.render(rows);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
