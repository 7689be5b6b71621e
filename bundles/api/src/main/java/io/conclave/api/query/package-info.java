/** Query options and metadata shared by every read endpoint (blocking index, wait, consistency). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.conclave.api.query;
