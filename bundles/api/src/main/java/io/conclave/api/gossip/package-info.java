/** The gossip transport contract: how the gossip bundle sends packets and opens streams, whoever carries them. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.conclave.api.gossip;
