package io.conclave.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.conclave.api.gossip.GossipEndpoint;
import io.conclave.api.gossip.GossipStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class HostileDatagramsTest {

    /** Random datagrams, some of which make the handler throw, never stop later packets from arriving. */
    @Property(tries = 40, seed = "20261127")
    void randomDatagramsNeverStopPacketDelivery(@ForAll @Size(max = 20) List<@Size(max = 2048) byte[]> junk)
            throws Exception {
        UdpTransport transport = new UdpTransport();
        transport.start();
        LinkedBlockingQueue<byte[]> delivered = new LinkedBlockingQueue<>();
        try (GossipEndpoint e = transport.open("lan", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        (from, payload, nanos) -> {
                            if (payload.length > 0 && payload[0] % 3 == 0) {
                                throw new IllegalStateException("hostile packet");
                            }
                            if (payload.length > 1 && payload[0] % 3 == 1) {
                                throw new ArrayIndexOutOfBoundsException(payload[1]);
                            }
                            delivered.add(payload);
                        }, GossipStream::close);
                DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (byte[] b : junk) {
                raw.send(new DatagramPacket(b, b.length, e.localAddress()));
            }
            byte[] marker = {(byte) 2, 'o', 'k'};
            raw.send(new DatagramPacket(marker, marker.length, e.localAddress()));
            byte[] got;
            do {
                got = delivered.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "the marker packet was not delivered");
            } while (!java.util.Arrays.equals(marker, got));
            assertArrayEquals(marker, got);
        } finally {
            transport.deactivate();
        }
    }
}
