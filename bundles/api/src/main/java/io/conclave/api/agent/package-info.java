/** The local agent: identity, routing of calls to endpoints, lifecycle. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.conclave.api.agent;
