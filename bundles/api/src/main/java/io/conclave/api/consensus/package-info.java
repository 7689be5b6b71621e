/** Consensus contract: how commands are proposed, ordered and applied. Implemented by consensus-local (dev) and raft. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.conclave.api.consensus;
