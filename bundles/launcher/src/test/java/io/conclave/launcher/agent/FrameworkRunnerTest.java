package io.conclave.launcher.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;

/** Which services the launcher waits for before it says the agent is running. */
class FrameworkRunnerTest {

    private static Dictionary<String, Object> service(String objectClass, String key, Object value) {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put(Constants.OBJECTCLASS, new String[] {objectClass});
        d.put(key, value);
        return d;
    }

    private static Filter filter(FrameworkRunner.Awaited a) throws Exception {
        return FrameworkUtil.createFilter(a.filter());
    }

    @Test
    void aServerWaitsForHttpTheLanPoolAndRpcAndAClientForHttpAndTheLanPool() throws Exception {
        assertEquals(List.of("http", "gossip", "rpc"),
                FrameworkRunner.awaited(true).stream().map(FrameworkRunner.Awaited::bundle).toList());
        assertEquals(List.of("http", "gossip"),
                FrameworkRunner.awaited(false).stream().map(FrameworkRunner.Awaited::bundle).toList());
    }

    @Test
    void theFiltersMatchTheListenersServicesByTheirPropertiesAlone() throws Exception {
        List<FrameworkRunner.Awaited> awaited = FrameworkRunner.awaited(true);
        Filter http = filter(awaited.get(0));
        Filter lan = filter(awaited.get(1));
        Filter rpc = filter(awaited.get(2));

        assertTrue(http.match(service("io.conclave.api.agent.HttpListener", "port", 8500)));
        assertTrue(lan.match(service("io.conclave.api.gossip.Membership", "conclave.gossip.pool", "lan")));
        assertFalse(lan.match(service("io.conclave.api.gossip.Membership", "conclave.gossip.pool", "wan")));
        assertFalse(lan.match(service("io.conclave.api.agent.HttpListener", "conclave.gossip.pool", "lan")));
        // the RPC server registers under its bundle's private class: only the property identifies it
        assertTrue(rpc.match(service("io.conclave.rpc.internal.RpcServer", "conclave.rpc.port", 8300)));
        assertFalse(rpc.match(service("io.conclave.rpc.internal.RpcServer", "conclave.rpc.address", "127.0.0.1")));
    }
}
