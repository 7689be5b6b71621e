package io.conclave.launcher.http;

import io.conclave.launcher.Command;
import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.json.Json;
import io.conclave.launcher.json.JsonException;

import java.util.List;
import java.util.Map;

/**
 * Base of the client verbs written after Consul's {@code command/*}: flags parsed as Go's
 * {@code flag} package parses them (errors print the usage), then {@link #execute}.
 */
public abstract class HttpCommand implements Command {

    protected final Ui ui;
    protected final Map<String, String> env;

    protected HttpCommand(Ui ui, Map<String, String> env) {
        this.ui = ui;
        this.env = env;
    }

    /** The command's flags, a fresh set each call. */
    protected abstract Flags flags();

    /** The text above the flags in {@code -h}. */
    protected abstract String helpText();

    /** Runs with parsed flags and the remaining arguments; returns the exit status. */
    protected abstract int execute(Flags flags, List<String> args);

    @Override
    public String help() {
        return flags().usage(helpText());
    }

    @Override
    public int run(List<String> args) {
        Flags flags = flags();
        List<String> rest;
        try {
            rest = flags.parse(args);
        } catch (FlagException e) {
            return Commands.flagError(ui, e, help());
        }
        return execute(flags, rest);
    }

    /** The API client, or null after printing Consul's {@code Error connecting to ... agent}. */
    protected AgentClient client(Flags flags) {
        try {
            return AgentClient.fromFlags(flags, env);
        } catch (AgentClient.AgentException e) {
            ui.error("Error connecting to Conclave agent: " + e.getMessage());
            return null;
        }
    }

    /**
     * The client once the agent has answered {@code GET /v1/agent/self}, as Consul's event and
     * watch commands check it before their real call; null after printing
     * {@code Error querying Conclave agent: ...} (or the connection error).
     */
    protected AgentClient reachableClient(Flags flags) {
        AgentClient client = client(flags);
        if (client == null) {
            return null;
        }
        try {
            AgentClient.requireOk(client.get("/v1/agent/self", Map.of()));
        } catch (AgentClient.AgentException e) {
            ui.error("Error querying Conclave agent: " + e.getMessage());
            return null;
        }
        return client;
    }

    /**
     * {@code PUT path} with an empty body, requiring a 200; otherwise prints
     * {@code <failure>: <error>} and returns false.
     */
    protected boolean putOk(AgentClient client, String path, Map<String, String> query, String failure) {
        try {
            AgentClient.requireOk(client.put(path, query, new byte[0]));
            return true;
        } catch (AgentClient.AgentException e) {
            ui.error(failure + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * Consul's answer to arguments the command cannot use: the reason, a blank line and the
     * usage, on standard error; returns the exit status 1.
     */
    protected int usageError(String reason) {
        ui.error(reason);
        ui.error("");
        ui.error(help());
        return 1;
    }

    /** A 200 answer's JSON body; anything else is the Go client's {@code Unexpected response code}. */
    protected static Object json(AgentClient.Response r) throws AgentClient.AgentException {
        AgentClient.requireOk(r);
        try {
            return Json.parse(r.text());
        } catch (JsonException e) {
            throw new AgentClient.AgentException("invalid JSON in the agent's answer: " + e.getMessage());
        }
    }

    /** Go's {@code %q} for the strings these commands quote. */
    protected static String quote(String s) {
        return Json.write(s).replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&");
    }
}
