/** Reading typed values out of ConfigAdmin configurations, the same way in every bundle. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.conclave.api.config;
