package io.conclave.api.gossip;

/** Serf's key queries, as {@code consul keyring} and {@code /v1/operator/keyring} use them. */
public enum KeyringOperation {
    /** {@code _serf_list-keys}: each member's installed keys. */
    LIST,
    /** {@code _serf_install-key}: add a key to every member's keyring. */
    INSTALL,
    /** {@code _serf_use-key}: make an installed key the one members encrypt with. */
    USE,
    /** {@code _serf_remove-key}: drop a key that is not in use. */
    REMOVE
}
