package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.HttpListener;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Dictionary;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The DS component's lifecycle, driven by hand: listener up, service registered with the real port; then both gone. */
class HttpServerComponentTest {

    @Test
    void registersTheBoundListenerAndWithdrawsItOnDeactivate() throws Exception {
        AtomicReference<Object[]> registered = new AtomicReference<>();
        AtomicBoolean unregistered = new AtomicBoolean();
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{ServiceRegistration.class}, (p, m, a) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered.set(true);
                    }
                    return null;
                });
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{BundleContext.class}, (p, m, a) -> {
                    if (m.getName().equals("registerService")) {
                        registered.set(a);
                        return registration;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });

        HttpServer component = new HttpServer();
        Field agent = HttpServer.class.getDeclaredField("agent");
        agent.setAccessible(true);
        agent.set(component, new FakeAgent());

        component.activate(context, Map.of("address", "127.0.0.1", "port", 0));
        Object[] args = registered.get();
        assertNotNull(args, "no service registered");
        assertEquals(HttpListener.class, args[0]);
        HttpListener listener = (HttpListener) args[1];
        Dictionary<?, ?> props = (Dictionary<?, ?>) args[2];
        assertEquals("127.0.0.1", props.get(HttpListener.PROP_ADDRESS));
        int port = (Integer) props.get(HttpListener.PROP_PORT);
        assertNotEquals(0, port);
        assertEquals(new HttpListener("127.0.0.1", port), listener);
        assertEquals(200, RawHttp.exchange(port, "GET", "/v1/status/leader", null, Harness.BOUND).status());

        component.deactivate();
        assertTrue(unregistered.get());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }
}
