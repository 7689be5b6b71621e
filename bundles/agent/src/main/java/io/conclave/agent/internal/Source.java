package io.conclave.agent.internal;

/** Where a definition came from: Consul's {@code ConfigSourceLocal} (config files) or {@code ConfigSourceRemote} (HTTP, shell). */
enum Source {
    LOCAL,
    REMOTE
}
