package io.conclave.api.query;

/** A request named a datacenter this agent has no path to (HTTP 500 {@code No path to datacenter}). */
public class DatacenterNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatacenterNotFoundException(String dc) {
        super("No path to datacenter");
    }
}
