/** Key/value records and the KV endpoint. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.conclave.api.kv;
