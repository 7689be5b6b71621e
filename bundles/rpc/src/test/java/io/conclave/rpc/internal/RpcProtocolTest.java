package io.conclave.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.conclave.api.query.QueryOptions;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire format and the server's bounds, seen from raw sockets. */
class RpcProtocolTest {

    /** A hand-driven connection: what a hostile or broken client can do. */
    private static final class Raw implements AutoCloseable {
        final Socket socket = new Socket();
        final DataOutputStream out;
        final DataInputStream in;

        Raw(InetSocketAddress server) throws IOException {
            socket.connect(server, 2000);
            socket.setSoTimeout(5000);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        }

        Raw handshake() throws IOException {
            out.write(Protocol.RPC_CALLS);
            out.flush();
            return this;
        }

        void call(int id, String method, byte[] payload) throws IOException {
            out.write(Protocol.callFrame(id, method, payload));
            out.flush();
        }

        /** Reads one frame: {id, kind, body}. */
        Object[] frame() throws IOException {
            int length = in.readInt();
            int id = in.readInt();
            int kind = in.readUnsignedByte();
            byte[] body = new byte[length - 5];
            in.readFully(body);
            return new Object[] {id, kind, body};
        }

        /** Reads the next frame, asserts it is call {@code id}'s ERROR of that class, and returns its message. */
        String assertError(int id, ErrorClass expected) throws IOException {
            Object[] f = frame();
            assertEquals(id, f[0]);
            assertEquals(Protocol.ERROR, f[1]);
            WireReader r = new WireReader((byte[]) f[2]);
            assertEquals(expected.code, r.u8());
            return r.str();
        }

        /** Asks for the leader as call {@code id}; the next frame must be its REPLY: the connection still serves. */
        void assertServes(int id) throws IOException {
            call(id, "Status.Leader", new byte[0]);
            Object[] f = frame();
            assertEquals(id, f[0]);
            assertEquals(Protocol.REPLY, f[1]);
        }

        /** The server closed the connection within the socket timeout (EOF or reset, never a read timeout). */
        void assertClosedByServer() throws IOException {
            try {
                int b = in.read();
                assertEquals(-1, b, "expected the server to close the connection, got a byte");
            } catch (SocketTimeoutException e) {
                fail("the server did not close the connection");
            } catch (IOException reset) {
                // connection reset: closed too
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static byte[] namedRead(String key) {
        return Methods.KVS_GET.encodeRequest(new Methods.NamedRead(key, QueryOptions.now()));
    }

    @Test
    void aCallFrameIsAnsweredWithAReplyFrameCarryingItsId() throws Exception {
        try (TestRig rig = new TestRig(); Raw raw = new Raw(rig.address).handshake()) {
            raw.call(0x7fff_fffe, "Catalog.ListDatacenters", new byte[0]);
            Object[] f = raw.frame();
            assertEquals(0x7fff_fffe, f[0]);
            assertEquals(Protocol.REPLY, f[1]);
            assertEquals(List.of("dc1", "dc2"), new WireReader((byte[]) f[2]).strList());
        }
    }

    @Test
    void anUnknownMethodIsAnErrorFrameAndTheConnectionStaysUsable() throws Exception {
        try (TestRig rig = new TestRig(); Raw raw = new Raw(rig.address).handshake()) {
            raw.call(1, "Raft.AppendEntries", new byte[] {1, 2, 3});
            assertEquals("rpc: can't find method Raft.AppendEntries", raw.assertError(1, ErrorClass.UNKNOWN_METHOD));

            raw.assertServes(2);
        }
    }

    @Test
    void aGarbageHandshakeIsRefusedAndOthersAreStillServed() throws Exception {
        try (TestRig rig = new TestRig()) {
            try (Raw consulClient = new Raw(rig.address)) {
                consulClient.out.write(new byte[] {0x00, 'K', 'V', 'S'}); // Consul's RPCConsul byte
                consulClient.out.flush();
                consulClient.assertClosedByServer();
            }
            try (Raw http = new Raw(rig.address)) {
                http.out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                http.out.flush();
                http.assertClosedByServer();
            }
            assertEquals(List.of("dc1", "dc2"), new ForwardingCatalog(rig.client).datacenters());
        }
    }

    @Test
    void aSilentConnectionIsClosedAtTheHandshakeDeadline() throws Exception {
        RpcServer.Limits limits = TestRig.limits(Protocol.DEFAULT_MAX_FRAME, 100, 100, Duration.ofMillis(200),
                Duration.ofMinutes(1));
        try (TestRig rig = new TestRig(limits, TestRig.clientSettings(Duration.ofSeconds(5)));
             Raw raw = new Raw(rig.address)) {
            long start = System.nanoTime();
            raw.assertClosedByServer();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis >= 150 && tookMillis < 4000, "closed after " + tookMillis + "ms");
        }
    }

    @Test
    void anOversizeFrameClosesTheConnectionWithoutWaitingForItsBody() throws Exception {
        RpcServer.Limits limits = TestRig.limits(64 * 1024, 100, 100, Duration.ofSeconds(5), Duration.ofMinutes(1));
        try (TestRig rig = new TestRig(limits, TestRig.clientSettings(Duration.ofSeconds(5)));
             Raw raw = new Raw(rig.address).handshake()) {
            raw.out.writeInt(64 * 1024 + 1);
            raw.out.writeInt(1);
            raw.out.write(Protocol.CALL);
            raw.out.flush();
            raw.assertClosedByServer();
            TestRig.waitFor("the connection to be dropped", Duration.ofSeconds(5), () -> rig.server.connectionCount() == 0);
        }
    }

    @Test
    void aFrameAtTheLimitIsAccepted() throws Exception {
        RpcServer.Limits limits = TestRig.limits(64 * 1024, 100, 100, Duration.ofSeconds(5), Duration.ofMinutes(1));
        try (TestRig rig = new TestRig(limits, TestRig.clientSettings(Duration.ofSeconds(5)));
             Raw raw = new Raw(rig.address).handshake()) {
            String method = "KVS.Get";
            int payloadBytes = 64 * 1024 - Protocol.FRAME_OVERHEAD - 1 - method.length();
            byte[] payload = new byte[payloadBytes];
            byte[] real = namedRead("k");
            System.arraycopy(real, 0, payload, 0, real.length); // trailing zeros: fields a newer client added
            raw.call(9, method, payload);
            Object[] f = raw.frame();
            assertEquals(Protocol.REPLY, f[1]);
        }
    }

    @Test
    void malformedFramesCloseTheConnection() throws Exception {
        try (TestRig rig = new TestRig()) {
            try (Raw shortFrame = new Raw(rig.address).handshake()) {
                shortFrame.out.writeInt(2);
                shortFrame.out.writeShort(0);
                shortFrame.out.flush();
                shortFrame.assertClosedByServer();
            }
            try (Raw replyFromClient = new Raw(rig.address).handshake()) {
                replyFromClient.out.write(Protocol.frame(5, Protocol.REPLY, new byte[3], 0, 3));
                replyFromClient.out.flush();
                replyFromClient.assertClosedByServer();
            }
            try (Raw nameOverrun = new Raw(rig.address).handshake()) {
                nameOverrun.out.write(Protocol.frame(5, Protocol.CALL, new byte[] {(byte) 200, 'K'}, 0, 2));
                nameOverrun.out.flush();
                nameOverrun.assertClosedByServer();
            }
            try (Raw duplicate = new Raw(rig.address).handshake()) {
                duplicate.call(3, "KVS.Get", namedRead("never/1"));
                TestRig.waitFor("the first call to park", Duration.ofSeconds(5), () -> rig.kv.neverAnswered.get() == 1);
                duplicate.call(3, "KVS.Get", namedRead("never/2"));
                duplicate.assertClosedByServer();
            }
            TestRig.waitFor("every connection dropped", Duration.ofSeconds(5), () -> rig.server.connectionCount() == 0);
            TestRig.waitFor("the dropped connection's parked call cancelled", Duration.ofSeconds(5),
                    () -> rig.kv.cancelled.get() >= 1);
        }
    }

    @Test
    void callsBeyondThePerConnectionLimitAreRefusedOneByOne() throws Exception {
        RpcServer.Limits limits = TestRig.limits(Protocol.DEFAULT_MAX_FRAME, 100, 2, Duration.ofSeconds(5),
                Duration.ofMinutes(1));
        try (TestRig rig = new TestRig(limits, TestRig.clientSettings(Duration.ofSeconds(5)));
             Raw raw = new Raw(rig.address).handshake()) {
            raw.call(1, "KVS.Get", namedRead("never/a"));
            raw.call(2, "KVS.Get", namedRead("never/b"));
            raw.call(3, "KVS.Get", namedRead("never/c"));
            raw.assertError(3, ErrorClass.TOO_MANY_CALLS);
            // a CANCEL frees a slot; the cancelled call gets no answer, the next call does
            raw.out.write(Protocol.frame(1, Protocol.CANCEL, new byte[0], 0, 0));
            raw.out.flush();
            TestRig.waitFor("the cancel to free a slot", Duration.ofSeconds(5), () -> rig.server.callsInFlight() == 1);
            raw.assertServes(4);
        }
    }

    @Test
    void connectionsPerClientAreBounded() throws Exception {
        RpcServer.Limits limits = TestRig.limits(Protocol.DEFAULT_MAX_FRAME, 2, 100, Duration.ofSeconds(5),
                Duration.ofMinutes(1));
        try (TestRig rig = new TestRig(limits, TestRig.clientSettings(Duration.ofSeconds(5)));
             Raw a = new Raw(rig.address).handshake();
             Raw b = new Raw(rig.address).handshake()) {
            TestRig.waitFor("two connections", Duration.ofSeconds(5), () -> rig.server.connectionCount() == 2);
            try (Raw c = new Raw(rig.address)) {
                c.assertClosedByServer();
            }
            a.assertServes(1);
            a.close();
            TestRig.waitFor("a slot to free up", Duration.ofSeconds(5), () -> rig.server.connectionCount() == 1);
            try (Raw d = new Raw(rig.address).handshake()) {
                d.assertServes(1);
            }
        }
    }

    @Test
    void anIdleConnectionIsClosedButOneWithAParkedCallIsNot() throws Exception {
        RpcServer.Limits limits = TestRig.limits(Protocol.DEFAULT_MAX_FRAME, 100, 100, Duration.ofSeconds(5),
                Duration.ofMillis(300));
        try (TestRig rig = new TestRig(limits, TestRig.clientSettings(Duration.ofSeconds(5)));
             Raw idle = new Raw(rig.address).handshake();
             Raw busy = new Raw(rig.address).handshake()) {
            busy.call(1, "KVS.Get", namedRead("never/parked"));
            idle.assertClosedByServer();
            TestRig.waitFor("the idle connection's removal", Duration.ofSeconds(5), () -> rig.server.connectionCount() == 1);
            busy.assertServes(2);
            assertFalse(busy.socket.isClosed());
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedWhenItsUnreadRepliesPassTheBound() throws Exception {
        stopReading(Duration.ofMinutes(1), 8L * 1024 * 1024);
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedWhenRepliesMakeNoProgress() throws Exception {
        stopReading(Duration.ofMillis(300), 1024L * 1024 * 1024);
    }

    private static void stopReading(Duration writeTimeout, long maxUnread) throws Exception {
        RpcServer.Limits d = RpcServer.Limits.defaults();
        RpcServer.Limits limits = new RpcServer.Limits(d.maxFrameBytes(), d.maxConnections(), d.maxConnsPerClient(),
                d.maxInflightPerConn(), d.handshakeTimeout(), d.idleTimeout(), writeTimeout, maxUnread, d.workers());
        try (TestRig rig = new TestRig(limits, TestRig.clientSettings(Duration.ofSeconds(5)))) {
            byte[] big = new byte[1024 * 1024];
            for (int i = 0; i < 4; i++) {
                TestRig.await(new ForwardingKv(rig.client).apply(io.conclave.api.kv.KvRequest.set("big/" + i, big, 0)));
            }
            try (Raw raw = new Raw(rig.address)) {
                raw.socket.setReceiveBufferSize(4096);
                raw.handshake();
                TestRig.waitFor("the raw connection", Duration.ofSeconds(5), () -> rig.server.connectionCount() == 2);
                byte[] list = Methods.KVS_LIST.encodeRequest(new Methods.NamedRead("big/", QueryOptions.now()));
                for (int id = 1; id <= 16; id++) {
                    raw.call(id, "KVS.List", list); // 16 × 4 MiB of replies that are never read
                }
                TestRig.waitFor("the server to drop the connection", Duration.ofSeconds(10),
                        () -> rig.server.connectionCount() == 1); // only the rig's own client is left
            }
            // the server is fine for everyone else
            assertEquals(List.of("dc1", "dc2"), new ForwardingCatalog(rig.client).datacenters());
        }
    }
}
