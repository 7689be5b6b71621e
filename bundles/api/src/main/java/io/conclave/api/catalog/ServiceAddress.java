package io.conclave.api.catalog;

/** One entry of a service's {@code TaggedAddresses}. */
public record ServiceAddress(String address, int port) {
}
