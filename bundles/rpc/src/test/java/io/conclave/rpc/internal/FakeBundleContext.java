package io.conclave.rpc.internal;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Just enough of a BundleContext to see what a component registers and unregisters. */
final class FakeBundleContext {

    record Registered(String type, Object service, Map<String, Object> properties) {
    }

    final List<Registered> registered = new CopyOnWriteArrayList<>();
    final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (method.getName().equals("registerService") && args.length == 3) {
                    String type = args[0] instanceof Class<?> c ? c.getName() : (String) args[0];
                    Map<String, Object> props = new HashMap<>();
                    if (args[2] != null) {
                        Dictionary<?, ?> d = (Dictionary<?, ?>) args[2];
                        for (Object k : Collections.list(d.keys())) {
                            props.put((String) k, d.get(k));
                        }
                    }
                    Registered r = new Registered(type, args[1], props);
                    registered.add(r);
                    return registration(r);
                }
                if (method.getName().equals("toString")) {
                    return "FakeBundleContext";
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private ServiceRegistration<?> registration(Registered r) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        if (!registered.remove(r)) {
                            throw new IllegalStateException("already unregistered");
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    Registered only(String type) {
        List<Registered> matches = registered.stream().filter(r -> r.type().equals(type)).toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected one " + type + ", found " + matches.size() + " in " + registered);
        }
        return matches.get(0);
    }

    List<String> types() {
        return registered.stream().map(Registered::type).sorted().toList();
    }
}
