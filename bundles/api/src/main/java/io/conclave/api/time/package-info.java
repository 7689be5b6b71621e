/** Go-compatible duration syntax, used by the HTTP API, the CLI and config files. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.conclave.api.time;
