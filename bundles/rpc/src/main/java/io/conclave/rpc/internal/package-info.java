/** The server RPC port and the client side that forwards endpoint calls to it. */
package io.conclave.rpc.internal;
