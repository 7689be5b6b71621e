package io.conclave.http.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.servlet.spi.AsyncContextDelegate;
import org.glassfish.jersey.servlet.spi.AsyncContextDelegateProvider;

/**
 * Servlet 3 asynchronous processing for Jersey's servlet container. jersey-container-servlet-core
 * alone treats the container as Servlet 2.x and refuses {@code @Suspended}; the implementation Jersey
 * ships lives in another artifact (jersey-container-servlet) found through META-INF/services, which
 * is fragile under OSGi. This is the same few lines, bound explicitly. The servlet async timeout is
 * off: each suspended response carries its own deadline.
 */
final class ServletAsync implements AsyncContextDelegateProvider {

    /** Binds this provider into the application's injection manager. */
    static AbstractBinder binder() {
        return new AbstractBinder() {
            @Override
            protected void configure() {
                bind(new ServletAsync()).to(AsyncContextDelegateProvider.class);
            }
        };
    }

    @Override
    public AsyncContextDelegate createDelegate(HttpServletRequest request, HttpServletResponse response) {
        return new Delegate(request, response);
    }

    private static final class Delegate implements AsyncContextDelegate {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AtomicReference<AsyncContext> context = new AtomicReference<>();
        private final AtomicBoolean completed = new AtomicBoolean();

        Delegate(HttpServletRequest request, HttpServletResponse response) {
            this.request = request;
            this.response = response;
        }

        @Override
        public void suspend() {
            if (!completed.get() && context.get() == null) {
                AsyncContext async = request.isAsyncStarted() ? request.getAsyncContext()
                        : request.startAsync(request, response);
                async.setTimeout(0);
                context.set(async);
            }
        }

        @Override
        public void complete() {
            completed.set(true);
            AsyncContext async = context.getAndSet(null);
            if (async != null) {
                async.complete();
            }
        }

        @Override
        public boolean isCompleted() {
            return completed.get();
        }
    }
}
