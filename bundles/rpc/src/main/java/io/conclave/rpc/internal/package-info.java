/**
 * The server RPC port (Consul's 8300) and the client side that forwards endpoint calls to it.
 *
 * <ul>
 *   <li>{@link io.conclave.rpc.internal.Protocol}: the wire format — a protocol byte at connect time, then
 *       length-prefixed frames (call id, kind, body) multiplexing any number of calls on one connection.</li>
 *   <li>{@link io.conclave.rpc.internal.Methods}: the append-only table of calls, named as Consul's
 *       ({@code KVS.Get}, {@code Catalog.Register}, {@code Health.ServiceNodes}, {@code Status.Leader}, …), with
 *       hand-written payload encodings ({@link io.conclave.rpc.internal.Codecs}) and typed error classes
 *       ({@link io.conclave.rpc.internal.ErrorClass}).</li>
 *   <li>{@link io.conclave.rpc.internal.RpcServer} / {@link io.conclave.rpc.internal.RpcServerComponent}: one
 *       NIO selector thread for every connection; endpoints answer asynchronously, so parked blocking queries
 *       hold no thread.</li>
 *   <li>{@link io.conclave.rpc.internal.RpcClient} / {@link io.conclave.rpc.internal.RpcClientComponent}: the
 *       forwarding endpoints of a client agent, its server list (from LAN gossip tags) and one multiplexed
 *       connection per server.</li>
 * </ul>
 */
package io.conclave.rpc.internal;
