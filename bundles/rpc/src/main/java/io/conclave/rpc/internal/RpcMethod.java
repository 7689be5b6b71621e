package io.conclave.rpc.internal;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One call the RPC port serves: its name on the wire, how its request and reply are encoded, and what the
 * server does with it. Encoders are plain functions built once ({@link Methods}), so no call reflects.
 *
 * @param readOnly whether the call changes nothing, so a client may retry it on another server when the
 *                 connection fails after it was sent
 */
record RpcMethod<Q, R>(String name, boolean readOnly,
                       BiConsumer<WireWriter, Q> requestWriter, Function<WireReader, Q> requestReader,
                       BiConsumer<WireWriter, R> replyWriter, Function<WireReader, R> replyReader,
                       BiFunction<Endpoints, Q, CompletionStage<R>> handler) {

    byte[] encodeRequest(Q request) {
        WireWriter w = new WireWriter();
        requestWriter.accept(w, request);
        return w.toByteArray();
    }

    Q decodeRequest(byte[] payload) {
        return requestReader.apply(new WireReader(payload));
    }

    byte[] encodeReply(R reply) {
        WireWriter w = new WireWriter(256);
        replyWriter.accept(w, reply);
        return w.toByteArray();
    }

    R decodeReply(byte[] payload) {
        return replyReader.apply(new WireReader(payload));
    }

    /** Decodes the request and calls the endpoint; the endpoint's own stage, so cancelling it reaches the endpoint. */
    CompletionStage<R> invoke(Endpoints endpoints, byte[] payload) {
        Q request = decodeRequest(payload);
        CompletionStage<R> stage = handler.apply(endpoints, request);
        if (stage == null) {
            throw new IllegalStateException("endpoint returned no answer for " + name);
        }
        return stage;
    }
}
