/** The catalog and health model (Consul's structs.Node, NodeService, HealthCheck, …) and their endpoints. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.conclave.api.catalog;
