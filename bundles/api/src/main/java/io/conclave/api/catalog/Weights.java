package io.conclave.api.catalog;

/** SRV weights by health; Consul's default is 1/1. */
public record Weights(int passing, int warning) {
    public static final Weights DEFAULT = new Weights(1, 1);
}
