/** The replicated state machine and its read side: point-in-time views, watches and the blocking-query helper. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.conclave.api.state;
