package io.conclave.http.internal;

import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvOp;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.QueryOptions;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * {@code /v1/kv/<key>}, following Consul's {@code agent/kvs_endpoint.go} line by line: which flags win,
 * which checks come first, and what each answer looks like.
 */
@Path("v1/kv")
public final class KvResource {

    static final String KV_DOCS = "https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size";

    /** How much of a refused body is read and dropped so its sender sees the 413 (beyond that, the connection closes). */
    static final long DRAIN_LIMIT = 4L * 1024 * 1024;

    private final ApiContext api;

    public KvResource(ApiContext api) {
        this.api = api;
    }

    @GET
    @Path("{key: .*}")
    public void get(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Call call = Call.of(request);
        ReadOptions read = ReadOptions.parse(call.query, request.getHeaderString("Cache-Control"));
        if (call.query.has("keys")) {
            keys(request, call, read, async);
            return;
        }
        boolean recurse = call.query.has("recurse");
        if (!recurse && call.key.isEmpty()) {
            throw HttpError.badRequest("Missing key name");
        }
        api.checkDatacenter(read.datacenter());
        QueryOptions options = read.toQueryOptions(api.stagger());
        KvEndpoint kv = api.agent().kv();
        boolean pretty = api.pretty(call.query);
        if (recurse) {
            api.resumeWatched(async, request, options, kv.list(call.key, options), result -> {
                Response.ResponseBuilder r = Meta.apply(Response.status(200), result.meta(), read);
                if (result.value().isEmpty()) {
                    return r.status(404).build();
                }
                return Meta.json(r, result.value().stream().map(DirEntry::of).toList(), pretty).build();
            });
            return;
        }
        boolean raw = call.query.has("raw");
        api.resumeWatched(async, request, options, kv.get(call.key, options), result -> {
            Response.ResponseBuilder r = Meta.apply(Response.status(200), result.meta(), read);
            Optional<KvEntry> entry = result.value();
            if (entry.isEmpty()) {
                return r.status(404).build();
            }
            if (raw) {
                // As Consul: no sniffing, no script (CVE-2020-25864), whatever the value holds.
                byte[] body = entry.get().value() == null ? new byte[0] : entry.get().value();
                return r.entity(body).type("text/plain")
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Content-Security-Policy", "sandbox").build();
            }
            return Meta.json(r, List.of(DirEntry.of(entry.get())), pretty).build();
        });
    }

    private void keys(ContainerRequest request, Call call, ReadOptions read, AsyncResponse async) {
        // Consul still honours its historic misspelling; the right spelling wins when both are given.
        String separator = call.query.has("separator") ? call.query.get("separator") : call.query.get("seperator");
        api.checkDatacenter(read.datacenter());
        QueryOptions options = read.toQueryOptions(api.stagger());
        boolean pretty = api.pretty(call.query);
        api.resumeWatched(async, request, options, api.agent().kv().keys(call.key, separator, options), result -> {
            Response.ResponseBuilder r = Meta.apply(Response.status(200), result.meta(), read);
            List<String> keys = result.value() == null ? List.of() : result.value();
            // No 404 for the root: an empty store lists as [].
            if (keys.isEmpty() && !call.key.isEmpty()) {
                return r.status(404).build();
            }
            return Meta.json(r, keys, pretty).build();
        });
    }

    @PUT
    @Path("{key: .*}")
    public void put(@Context ContainerRequest request, @Suspended AsyncResponse async) throws IOException {
        Call call = Call.of(request);
        ReadOptions read = ReadOptions.parse(call.query, request.getHeaderString("Cache-Control"));
        if (call.key.isEmpty()) {
            throw HttpError.badRequest("Missing key name");
        }
        conflicting(call.query, "cas", "acquire", "release");

        KvOp op = KvOp.SET;
        long flags = 0;
        long cas = 0;
        String session = null;
        if (call.query.has("flags")) {
            flags = uint(call.query.get("flags"));
        }
        if (call.query.has("cas")) {
            cas = uint(call.query.get("cas"));
            op = KvOp.CAS;
        }
        if (call.query.has("acquire")) {
            session = call.query.get("acquire");
            op = KvOp.LOCK;
        }
        if (call.query.has("release")) {
            session = call.query.get("release");
            op = KvOp.UNLOCK;
        }

        long max = api.settings().kvMaxValueSize();
        byte[] body;
        try {
            body = Bodies.read(request.getEntityStream(), request.getLength(), max);
        } catch (Bodies.TooLarge e) {
            boolean drained = e.size() <= max + DRAIN_LIMIT && Bodies.drain(request.getEntityStream(), DRAIN_LIMIT);
            Response refusal = ErrorMapper.plain(413, "Request body(" + e.size() + " bytes) too large, max size: "
                    + max + " bytes. See " + KV_DOCS + ".");
            async.resume(drained ? refusal : Response.fromResponse(refusal).header("Connection", "close").build());
            return;
        }
        byte[] value = body.length == 0 ? null : body;

        api.checkDatacenter(read.datacenter());
        if (op == KvOp.LOCK || op == KvOp.UNLOCK) {
            sessionsNotYet(op, session, async);
            return;
        }
        KvOp finalOp = op;
        boolean pretty = api.pretty(call.query);
        KvRequest kvRequest = new KvRequest(op, call.key, value, flags, cas, null);
        api.resume(async, api.agent().kv().apply(kvRequest),
                applied -> Meta.json(Response.ok(), finalOp == KvOp.SET || applied, pretty).build());
    }

    /**
     * Sessions do not exist yet, so every session id is unknown, and the state store's answers for an
     * unknown session are fixed ({@code kvsLockTxn}, {@code kvsUnlockTxn}): acquiring fails with
     * {@code invalid session "<id>"}, releasing a lock nobody can hold is {@code false}, and an empty
     * id is {@code missing session}. Replace with a pass-through once sessions land.
     */
    private void sessionsNotYet(KvOp op, String session, AsyncResponse async) {
        if (session.isEmpty()) {
            throw new HttpError(500, "missing session");
        }
        if (op == KvOp.LOCK) {
            throw new HttpError(500, "invalid session " + GoText.quote(session));
        }
        async.resume(Meta.json(Response.ok(), false, false).build());
    }

    @DELETE
    @Path("{key: .*}")
    public void delete(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Call call = Call.of(request);
        ReadOptions read = ReadOptions.parse(call.query, request.getHeaderString("Cache-Control"));
        conflicting(call.query, "recurse", "cas");
        KvRequest kvRequest;
        if (call.query.has("recurse")) {
            kvRequest = KvRequest.deleteTree(call.key);
        } else if (call.key.isEmpty()) {
            throw HttpError.badRequest("Missing key name");
        } else if (call.query.has("cas")) {
            kvRequest = KvRequest.deleteCas(call.key, uint(call.query.get("cas")));
        } else {
            kvRequest = KvRequest.delete(call.key);
        }
        api.checkDatacenter(read.datacenter());
        boolean pretty = api.pretty(call.query);
        boolean useResult = kvRequest.op() == KvOp.DELETE_CAS;
        api.resume(async, api.agent().kv().apply(kvRequest),
                applied -> Meta.json(Response.ok(), !useResult || applied, pretty).build());
    }

    /** Consul's {@code conflictingFlags}: at most one of {@code flags} may be present. */
    private static void conflicting(GoQuery query, String... flags) {
        boolean found = false;
        for (String f : flags) {
            if (query.has(f)) {
                if (found) {
                    throw HttpError.badRequest("Conflicting flags: " + query.encode());
                }
                found = true;
            }
        }
    }

    /**
     * Consul returns the {@code strconv} error itself, which its error handler turns into a 500; a
     * malformed number is the client's mistake, so it is a 400 here with the same text.
     */
    private static long uint(String s) {
        try {
            return GoText.parseUint(s);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    /** The parsed parts of one request: its query and its key (everything after {@code /v1/kv/}, decoded). */
    private record Call(GoQuery query, String key) {
        static Call of(ContainerRequest request) {
            GoQuery query = (GoQuery) request.getProperty(GoQuery.ATTRIBUTE);
            if (query == null) {
                query = GoQuery.parse(RoutingFilter.rawQuery(request));
            }
            String path = (String) request.getProperty(RoutingFilter.PATH);
            if (path == null) {
                path = RoutingFilter.decodePath(RoutingFilter.rawPath(request));
            }
            String key = path.startsWith("/v1/kv/") ? path.substring("/v1/kv/".length()) : "";
            return new Call(query, key);
        }
    }
}
