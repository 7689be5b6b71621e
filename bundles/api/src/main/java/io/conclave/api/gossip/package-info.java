/**
 * Gossip: the {@link io.conclave.api.gossip.Membership} of each pool (LAN, WAN) with its listener whiteboard,
 * and the transport contract the gossip bundle sends packets and opens streams through, whoever carries them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.conclave.api.gossip;
