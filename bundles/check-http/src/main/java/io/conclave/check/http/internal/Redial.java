package io.conclave.check.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Java's HTTP client reports a failed connect as a bare {@code ConnectException} and drops the reason
 * (JDK 17). An operator needs to tell "connection refused" from "no route to host", so after such a
 * failure the address is dialled once more, asynchronously, to learn the reason in the OS's words.
 */
final class Redial {

    static final String UNKNOWN = "connection failed";

    private Redial() {
    }

    /** The reason a connect to {@code address} fails now, lower-cased as Go prints it. */
    static CompletableFuture<String> reason(InetSocketAddress address) {
        CompletableFuture<String> out = new CompletableFuture<>();
        AsynchronousSocketChannel ch;
        try {
            ch = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(UNKNOWN);
        }
        out.whenComplete((r, e) -> {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        });
        try {
            ch.connect(address, null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void result, Void attachment) {
                    out.complete(UNKNOWN);
                }

                @Override
                public void failed(Throwable e, Void attachment) {
                    String m = e.getMessage();
                    out.complete(m == null || m.isEmpty() ? UNKNOWN : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1));
                }
            });
        } catch (RuntimeException e) {
            out.complete(UNKNOWN);
        }
        return out;
    }
}
