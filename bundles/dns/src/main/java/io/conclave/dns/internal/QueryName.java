package io.conclave.dns.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * What a name under the domain asks for, parsed as Consul's {@code dispatch} does: the right-most
 * keyword label ({@code service}, {@code node}, {@code addr}, {@code query}, …) splits the name into the
 * parts before it and an optional datacenter after it; for SRV questions a right-most label starting with
 * {@code _} also starts an RFC 2782 service name, so the {@code service} label may be left out.
 *
 * <p>Unlike Consul, names that exist only because names below them do ({@code service.consul},
 * {@code node.dc1.consul}, {@code dc1.consul}) parse as {@link EmptyNonTerminal}: RFC 8020 resolvers take
 * NXDOMAIN to mean nothing exists below a name, so they get NODATA instead.
 */
sealed interface QueryName {

    /** The zone apex itself. */
    record Apex() implements QueryName {
    }

    /** {@code [name].node[.dc]}: {@code datacenter} is lower case, {@code null} for the agent's own. */
    record Node(String node, String datacenter) implements QueryName {
    }

    /** {@code [tag.]name.service[.dc]} or {@code _name._tag[.service][.dc]}; {@code tag} {@code null} for none. */
    record Service(String service, String tag, String datacenter) implements QueryName {
    }

    /** {@code <hex>.addr[.dc]}. */
    record Addr(InetAddress address, String datacenter) implements QueryName {
    }

    /** A name with no records but with names below it, in {@code datacenter} when not {@code null}. */
    record EmptyNonTerminal(String datacenter) implements QueryName {
    }

    /** A lone label that may be a datacenter ({@code dc1.consul}). */
    record MaybeDatacenter(String datacenter) implements QueryName {
    }

    /** Prepared queries and the mesh forms ({@code connect}, {@code ingress}, {@code virtual}): not served yet. */
    record Unsupported(String kind) implements QueryName {
    }

    /** Nothing Consul would answer. */
    record Invalid() implements QueryName {
    }

    /**
     * @param labels the labels in front of the domain, left to right, in the case the client wrote them
     */
    static QueryName parse(List<String> labels, int qtype) {
        int n = labels.size();
        if (n == 0) {
            return new Apex();
        }
        List<String> lower = new ArrayList<>(n);
        for (String l : labels) {
            lower.add(l.toLowerCase(Locale.ROOT));
        }
        String kind = null;
        List<String> parts = null;
        List<String> suffixes = null;
        for (int i = n - 1; i >= 0 && kind == null; i--) {
            switch (lower.get(i)) {
                case "service", "connect", "virtual", "ingress", "node", "query", "addr" -> {
                    kind = lower.get(i);
                    parts = labels.subList(0, i);
                    suffixes = lower.subList(i + 1, n);
                }
                default -> {
                    if (qtype == Type.SRV && lower.get(i).startsWith("_")) {
                        kind = "service";
                        parts = labels.subList(0, i + 1);
                        suffixes = lower.subList(i + 1, n);
                    }
                }
            }
        }
        if (kind == null) {
            return n == 1 ? new MaybeDatacenter(lower.get(0)) : new Invalid();
        }
        String dc;
        switch (suffixes.size()) {
            case 0 -> dc = null;
            case 1 -> dc = suffixes.get(0);
            case 2 -> {
                if (!suffixes.get(1).equals("dc")) {
                    return new Invalid();
                }
                dc = suffixes.get(0);
            }
            default -> {
                return new Invalid();
            }
        }
        if (parts.isEmpty()) {
            return kind.equals("service") || kind.equals("node") || kind.equals("addr") || kind.equals("query")
                    ? new EmptyNonTerminal(dc) : new Invalid();
        }
        switch (kind) {
            case "service" -> {
                int p = parts.size();
                if (p == 2 && parts.get(0).startsWith("_") && parts.get(1).startsWith("_")) {
                    String tag = parts.get(1).substring(1);
                    // _tcp (and, in Conclave, _udp) is the protocol, not a tag filter.
                    if (tag.equalsIgnoreCase("tcp") || tag.equalsIgnoreCase("udp")) {
                        tag = null;
                    }
                    return new Service(parts.get(0).substring(1), tag == null || tag.isEmpty() ? null : tag, dc);
                }
                String tag = p >= 2 ? String.join(".", parts.subList(0, p - 1)) : null;
                return new Service(parts.get(p - 1), tag, dc);
            }
            case "node" -> {
                return new Node(String.join(".", parts), dc);
            }
            case "addr" -> {
                if (parts.size() != 1) {
                    return new Invalid();
                }
                InetAddress a = IpLiterals.fromHex(parts.get(0));
                return a == null ? new Invalid() : new Addr(a, dc);
            }
            default -> {
                return new Unsupported(kind);
            }
        }
    }

    /** The labels of {@code qname} in front of its last {@code domainLabels} labels (root included). */
    static List<String> relativeLabels(Name qname, int domainLabels) {
        int n = qname.labels() - domainLabels;
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(qname.getLabelString(i));
        }
        return out;
    }
}
