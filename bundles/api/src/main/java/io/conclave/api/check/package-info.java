/** The health-check plugin contract: one {@link io.conclave.api.check.CheckType} service per check type. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.conclave.api.check;
