package io.conclave.dns.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.DatacenterNotFoundException;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * The {@code .consul} zone: turns one question under the domain into an {@link Answer} from the
 * agent's catalog and health endpoints, following Consul's {@code agent/dns.go} (1.9–1.12): node,
 * service, RFC 2782 and addr lookups, SRV targets {@code <node>.node.<dc>.<domain>} or
 * {@code <hex>.addr.<dc>.<domain>}, health filtering, SRV weights, shuffling, the A-record limit,
 * CNAMEs for host-name addresses, SOA and NS at the apex.
 *
 * <p>Negative answers follow RFC 2308 rather than Consul where the two differ: a name that exists with
 * no record of the asked type is NODATA with the SOA, whatever the query form.
 */
final class ConsulZone {

    private static final Logger LOG = LoggerFactory.getLogger("agent.dns");

    /** How deep CNAME targets inside the domain are followed (Consul's maxRecursionLevelDefault). */
    static final int MAX_RECURSION = 3;
    /** Records kept from a host name's resolution for non-EDNS clients (Consul's maxRecurseRecords). */
    private static final int MAX_RECURSE_RECORDS = 5;
    /** Consul's {@code structs.ConsulServiceName}: every server registers it. */
    private static final String SERVERS_SERVICE = "consul";
    /** Node names that cannot be NS targets (Consul's {@code InvalidNameRe}). */
    private static final Pattern INVALID_NS_NAME = Pattern.compile("[^A-Za-z0-9\\-]+");

    private static final int ACCEPT_V4 = 1;
    private static final int ACCEPT_V6 = 2;
    private static final int ACCEPT_ANY = 4;
    private static final int ACCEPT_DOMAIN = 8;

    private final Supplier<Agent> agents;
    private final DnsSettings settings;
    private final Recursor recursor;
    private final LongSupplier epochSeconds;

    ConsulZone(Supplier<Agent> agents, DnsSettings settings, Recursor recursor, LongSupplier epochSeconds) {
        this.agents = agents;
        this.settings = settings;
        this.recursor = recursor;
        this.epochSeconds = epochSeconds;
    }

    /**
     * The zone {@code qname} falls in (the domain or the alternative domain, the longer when both
     * match), or {@code null} when it is outside both.
     */
    Name zoneOf(Name qname) {
        Name best = null;
        if (qname.subdomain(settings.domain())) {
            best = settings.domain();
        }
        Name alt = settings.altDomain();
        if (alt != null && qname.subdomain(alt) && (best == null || alt.labels() > best.labels())) {
            best = alt;
        }
        return best;
    }

    /** What one question is, with what answering it needs to carry along. */
    record Question(Name qname, int qtype, Name zone, Name responseDomain, boolean edns, int depth) {
    }

    Answer answer(Name qname, int qtype, Name zone, boolean edns, int depth) {
        Name responseDomain = new Name(qname, qname.labels() - zone.labels());
        Question q = new Question(qname, qtype, zone, responseDomain, edns, depth);
        QueryName parsed = QueryName.parse(QueryName.relativeLabels(qname, zone.labels()), qtype);
        try {
            if (parsed instanceof QueryName.Apex) {
                return apex(q);
            } else if (parsed instanceof QueryName.Node node) {
                return node(node, q);
            } else if (parsed instanceof QueryName.Service service) {
                return service(service, q);
            } else if (parsed instanceof QueryName.Addr addr) {
                return addr(addr, q);
            } else if (parsed instanceof QueryName.EmptyNonTerminal ent) {
                return ent.datacenter() == null || knownDatacenter(ent.datacenter()) ? nodata(q) : nxdomain(q);
            } else if (parsed instanceof QueryName.MaybeDatacenter dc) {
                return knownDatacenter(dc.datacenter()) ? nodata(q) : nxdomain(q);
            } else if (parsed instanceof QueryName.Invalid) {
                LOG.debug("QName invalid: qname={}", qname);
            }
            return nxdomain(q);
        } catch (LookupException e) {
            LOG.debug("lookup failed: qname={} rcode={} reason={}", qname, Rcode.string(e.rcode), e.getMessage());
            return e.rcode == Rcode.NXDOMAIN ? nxdomain(q) : Answer.of(e.rcode);
        }
    }

    // ---- apex: SOA and NS ----

    private Answer apex(Question q) {
        Answer a = new Answer();
        switch (q.qtype()) {
            case Type.SOA, Type.NS, Type.ANY -> {
                List<Record> glue = new ArrayList<>();
                List<Record> ns = nameservers(q, glue);
                if (q.qtype() == Type.NS) {
                    a.answer.addAll(ns);
                } else {
                    a.answer.add(soa(q.zone()));
                    (q.qtype() == Type.ANY ? a.answer : a.authority).addAll(ns);
                }
                a.additional.addAll(glue);
                return a;
            }
            default -> {
                return nodata(q);
            }
        }
    }

    SOARecord soa(Name zone) {
        try {
            return new SOARecord(zone, DClass.IN, settings.soaMinTtl(), Name.concatenate(Name.fromConstantString("ns"), zone),
                    Name.concatenate(Name.fromConstantString("hostmaster"), zone), epochSeconds.getAsLong() & 0xFFFF_FFFFL,
                    settings.soaRefresh(), settings.soaRetry(), settings.soaExpire(), settings.soaMinTtl());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the domain is too long for its SOA names", e);
        }
    }

    /**
     * Up to three healthy servers (instances of the {@code consul} service), shuffled, as
     * {@code <node>.node.<dc>.<domain>} with their addresses as glue; this agent when none is known.
     */
    private List<Record> nameservers(Question q, List<Record> glue) {
        long ttl = settings.nodeTtlSeconds();
        List<Record> ns = new ArrayList<>();
        String dc;
        List<CheckServiceNode> servers;
        try {
            dc = localDatacenter();
            servers = new ArrayList<>(healthy(instances(SERVERS_SERVICE, null), null));
        } catch (LookupException e) {
            LOG.warn("Unable to get list of servers: error={}", e.getMessage());
            return ns;
        }
        Collections.shuffle(servers, ThreadLocalRandom.current());
        Set<String> seen = new HashSet<>();
        for (CheckServiceNode s : servers) {
            String node = s.node().node();
            if (INVALID_NS_NAME.matcher(node).find()) {
                LOG.warn("Skipping invalid node for NS records: node={}", node);
                continue;
            }
            if (!seen.add(node.toLowerCase(Locale.ROOT))) {
                continue;
            }
            Name target = name((node + ".node." + dc).toLowerCase(Locale.ROOT), lower(q.responseDomain()));
            if (target == null) {
                continue;
            }
            ns.add(new NSRecord(q.responseDomain(), DClass.IN, ttl, target));
            glue.addAll(nodeAddressRecords(s.node(), Type.ANY, target, ttl, q));
            if (ns.size() >= 3) {
                break;
            }
        }
        if (ns.isEmpty()) {
            Agent agent = agents.get();
            if (agent != null) {
                AgentIdentity id = agent.identity();
                Name target = name((id.nodeName() + ".node." + id.datacenter()).toLowerCase(Locale.ROOT),
                        lower(q.responseDomain()));
                InetAddress ip = IpLiterals.parse(id.advertiseAddr());
                if (target != null) {
                    ns.add(new NSRecord(q.responseDomain(), DClass.IN, ttl, target));
                    if (ip != null) {
                        glue.add(address(ip, target, ttl));
                    }
                }
            }
        }
        return ns;
    }

    // ---- nodes ----

    private Answer node(QueryName.Node query, Question q) throws LookupException {
        Node node = findNode(query.node(), query.datacenter());
        if (node == null) {
            return nxdomain(q);
        }
        int qtype = q.qtype();
        if (qtype != Type.A && qtype != Type.AAAA && qtype != Type.ANY && qtype != Type.TXT) {
            return nodata(q);
        }
        long ttl = settings.nodeTtlSeconds();
        Answer a = new Answer();
        if (qtype != Type.TXT) {
            a.answer.addAll(nodeAddressRecords(node, qtype, q.qname(), ttl, q));
        }
        if (settings.nodeMetaTxt() || qtype == Type.TXT || qtype == Type.ANY) {
            List<Record> txt = NodeMetaTxt.records(q.qname(), node.meta(), ttl);
            (qtype == Type.TXT || qtype == Type.ANY ? a.answer : a.additional).addAll(txt);
        }
        return a.answer.isEmpty() ? nodata(q) : a;
    }

    /** A/AAAA for the node's address, or a CNAME to its host name and what that resolves to. */
    private List<Record> nodeAddressRecords(Node node, int qtype, Name owner, long ttl, Question q) {
        String addr = translate(node.address(), node.taggedAddresses().get("lan_ipv4"),
                node.taggedAddresses().get("lan_ipv6"), accept(qtype));
        if (addr.isEmpty()) {
            return List.of();
        }
        InetAddress ip = IpLiterals.parse(addr);
        if (ip == null) {
            Name target = fqdn(node.address());
            if (target == null) {
                return List.of();
            }
            List<Record> out = new ArrayList<>();
            out.add(new CNAMERecord(owner, DClass.IN, ttl, target));
            out.addAll(resolveHostName(target, q, ttl));
            return out;
        }
        Record r = addressFor(qtype, ip, owner, ttl);
        return r == null ? List.of() : List.of(r);
    }

    // ---- services ----

    private Answer service(QueryName.Service query, Question q) throws LookupException {
        List<CheckServiceNode> nodes = new ArrayList<>(healthy(instances(query.service(), query.datacenter()),
                query.tag()));
        if (nodes.isEmpty()) {
            return nxdomain(q);
        }
        Collections.shuffle(nodes, ThreadLocalRandom.current());
        String dc = query.datacenter() == null ? localDatacenter() : query.datacenter();
        long ttl = settings.serviceTtls().ttlFor(query.service()).getSeconds();
        Answer a = new Answer();
        switch (q.qtype()) {
            case Type.SRV -> addSrvRecords(nodes, q, dc, ttl, a);
            case Type.A, Type.AAAA, Type.ANY -> addAddressRecords(nodes, q, dc, ttl, a);
            default -> {
                // nothing: NODATA below
            }
        }
        return a.answer.isEmpty() ? nodata(q) : a;
    }

    private void addAddressRecords(List<CheckServiceNode> nodes, Question q, String dc, long ttl, Answer a) {
        Set<String> handled = new HashSet<>();
        List<Record> cnameAnswer = null;
        int count = 0;
        for (CheckServiceNode n : nodes) {
            Records r = serviceRecords(n, q, dc, ttl);
            if (r.answers.isEmpty()) {
                continue;
            }
            // The same address twice (one node, two instances) is one record.
            if (!handled.add(r.answers.get(0).toString())) {
                continue;
            }
            if (r.answers.get(0) instanceof CNAMERecord) {
                // A CNAME answer is used only when no instance has an address record.
                if (cnameAnswer == null) {
                    cnameAnswer = r.answers;
                }
                continue;
            }
            a.answer.addAll(r.answers);
            count++;
            if (count == settings.aRecordLimit()) {
                break;
            }
        }
        if (a.answer.isEmpty() && cnameAnswer != null) {
            a.answer.addAll(cnameAnswer);
        }
    }

    private void addSrvRecords(List<CheckServiceNode> nodes, Question q, String dc, long ttl, Answer a) {
        Set<String> handled = new HashSet<>();
        for (CheckServiceNode n : nodes) {
            String serviceAddr = serviceAddress(n, ACCEPT_ANY);
            if (!handled.add(n.node().node() + ":" + serviceAddr + ":" + n.service().port())) {
                continue;
            }
            Records r = serviceRecords(n, q, dc, ttl);
            a.answer.addAll(r.answers);
            a.additional.addAll(r.extra);
            if (settings.nodeMetaTxt() && !r.answers.isEmpty()) {
                Name nodeName = nodeName(n.node().node(), dc, q.responseDomain());
                if (nodeName != null) {
                    a.additional.addAll(NodeMetaTxt.records(nodeName, n.node().meta(), ttl));
                }
            }
        }
    }

    private record Records(List<Record> answers, List<Record> extra) {
        static final Records NONE = new Records(List.of(), List.of());
    }

    /** Consul's {@code makeNodeServiceRecords}: which address an instance answers with, and how. */
    private Records serviceRecords(CheckServiceNode n, Question q, String dc, long ttl) {
        int accept = accept(q.qtype());
        String serviceAddr = serviceAddress(n, accept);
        Node node = n.node();
        String nodeAddr = translate(node.address(), node.taggedAddresses().get("lan_ipv4"),
                node.taggedAddresses().get("lan_ipv6"), accept);
        if (serviceAddr.isEmpty() && nodeAddr.isEmpty()) {
            return Records.NONE;
        }
        InetAddress nodeIp = IpLiterals.parse(nodeAddr);
        InetAddress serviceIp = IpLiterals.parse(serviceAddr);
        if (serviceAddr.isEmpty() && nodeIp != null) {
            if (!node.address().equals(nodeAddr)) {
                // A tagged address stands in for the node's: name it by address, not by node.
                return fromIp(n, nodeIp, q, dc, ttl);
            }
            return fromNode(n, nodeIp, q, dc, ttl);
        }
        if (serviceAddr.isEmpty()) {
            return fromHostName(n, nodeAddr, q, ttl);
        }
        if (serviceIp != null) {
            return fromIp(n, serviceIp, q, dc, ttl);
        }
        Name serviceFqdn = fqdn(serviceAddr);
        if (serviceFqdn != null && serviceFqdn.equals(q.qname()) && nodeIp != null) {
            return fromNode(n, nodeIp, q, dc, ttl);
        }
        return fromHostName(n, serviceAddr, q, ttl);
    }

    private Records fromNode(CheckServiceNode n, InetAddress ip, Question q, String dc, long ttl) {
        if (q.qtype() == Type.SRV) {
            Name target = nodeName(n.node().node(), dc, q.responseDomain());
            return target == null ? Records.NONE : srv(n, q, ttl, target, addressFor(Type.SRV, ip, target, ttl));
        }
        Record r = addressFor(q.qtype(), ip, q.qname(), ttl);
        return r == null ? Records.NONE : new Records(List.of(r), List.of());
    }

    private Records fromIp(CheckServiceNode n, InetAddress ip, Question q, String dc, long ttl) {
        if (q.qtype() == Type.SRV) {
            Name target = name(IpLiterals.hex(ip) + ".addr." + dc, q.responseDomain());
            return target == null ? Records.NONE : srv(n, q, ttl, target, addressFor(Type.SRV, ip, target, ttl));
        }
        Record r = addressFor(q.qtype(), ip, q.qname(), ttl);
        return r == null ? Records.NONE : new Records(List.of(r), List.of());
    }

    private Records fromHostName(CheckServiceNode n, String hostName, Question q, long ttl) {
        Name target = fqdn(hostName);
        if (target == null) {
            return Records.NONE;
        }
        List<Record> more = resolveHostName(target, q, ttl);
        if (q.qtype() == Type.SRV) {
            return new Records(List.of(srvRecord(n, q, ttl, target)), more);
        }
        List<Record> answers = new ArrayList<>();
        answers.add(new CNAMERecord(q.qname(), DClass.IN, ttl, target));
        answers.addAll(more);
        return new Records(answers, List.of());
    }

    private Records srv(CheckServiceNode n, Question q, long ttl, Name target, Record address) {
        return new Records(List.of(srvRecord(n, q, ttl, target)), address == null ? List.of() : List.of(address));
    }

    private static SRVRecord srvRecord(CheckServiceNode n, Question q, long ttl, Name target) {
        return new SRVRecord(q.qname(), DClass.IN, ttl, 1, weight(n), n.service().port() & 0xFFFF, target);
    }

    /** Weights.Passing or Weights.Warning by the instance's aggregated state (Consul's {@code findWeight}). */
    static int weight(CheckServiceNode n) {
        List<HealthCheck> relevant = new ArrayList<>();
        for (HealthCheck c : n.checks()) {
            if (c.serviceName().isEmpty() || c.serviceName().equals(n.service().service())) {
                relevant.add(c);
            }
        }
        int w = switch (Health.aggregate(relevant)) {
            case Health.WARNING -> n.service().weights().warning();
            case Health.PASSING -> n.service().weights().passing();
            default -> 0;
        };
        return Math.max(0, Math.min(0xFFFF, w));
    }

    /**
     * What a host name resolves to: inside the domain by asking this zone again (a bounded number of
     * times), outside it through the recursors; CNAME, A and AAAA records only, re-stamped with {@code ttl}.
     */
    private List<Record> resolveHostName(Name target, Question q, long ttl) {
        List<Record> found;
        Name zone = zoneOf(target);
        if (zone != null) {
            if (q.depth() < 1) {
                LOG.error("Infinite recursion detected for name, won't perform any CNAME resolution: name={}", target);
                return List.of();
            }
            found = answer(target, Type.ANY, zone, q.edns(), q.depth() - 1).answer;
        } else if (recursor.enabled()) {
            found = recursor.resolve(target, Type.A);
        } else {
            return List.of();
        }
        List<Record> out = new ArrayList<>();
        for (Record r : found) {
            Record stamped = null;
            if (r instanceof ARecord a) {
                stamped = new ARecord(a.getName(), DClass.IN, ttl, a.getAddress());
            } else if (r instanceof AAAARecord a) {
                stamped = new AAAARecord(a.getName(), DClass.IN, ttl, a.getAddress());
            } else if (r instanceof CNAMERecord c) {
                stamped = new CNAMERecord(c.getName(), DClass.IN, ttl, c.getTarget());
            }
            if (stamped != null) {
                out.add(stamped);
                if (out.size() == MAX_RECURSE_RECORDS && !q.edns()) {
                    break;
                }
            }
        }
        return out;
    }

    // ---- addr ----

    private Answer addr(QueryName.Addr query, Question q) {
        InetAddress ip = query.address();
        int wanted = IpLiterals.isV4(ip) ? Type.A : Type.AAAA;
        if (q.qtype() != wanted && q.qtype() != Type.ANY) {
            return nodata(q);
        }
        Answer a = new Answer();
        a.answer.add(address(ip, q.qname(), settings.nodeTtlSeconds()));
        return a;
    }

    // ---- reverse ----

    /**
     * A PTR for a node whose address the {@code in-addr.arpa}/{@code ip6.arpa} name spells, named in the
     * primary domain as Consul does; {@code null} when no node has that address.
     */
    Answer reverse(Name qname) {
        InetAddress ip;
        try {
            ip = ReverseMap.fromName(qname);
        } catch (Exception e) {
            return null;
        }
        try {
            String dc = localDatacenter();
            for (Node n : await(agent().catalog().nodes(options(null)))) {
                if (ip.equals(IpLiterals.parse(n.address()))) {
                    String nodeDc = n.datacenter().isEmpty() ? dc : n.datacenter();
                    Name target = name(n.node() + ".node." + nodeDc, settings.domain());
                    if (target != null) {
                        Answer a = new Answer();
                        a.answer.add(new PTRRecord(qname, DClass.IN, 0, target));
                        return a;
                    }
                }
            }
        } catch (LookupException e) {
            return Answer.of(e.rcode == Rcode.NXDOMAIN ? Rcode.SERVFAIL : e.rcode);
        }
        return null;
    }

    // ---- negative answers ----

    Answer nxdomain(Question q) {
        Answer a = Answer.of(Rcode.NXDOMAIN);
        a.authority.add(soa(q.zone()));
        return a;
    }

    Answer nxdomain(Name zone) {
        Answer a = Answer.of(Rcode.NXDOMAIN);
        a.authority.add(soa(zone));
        return a;
    }

    private Answer nodata(Question q) {
        Answer a = new Answer();
        a.authority.add(soa(q.zone()));
        return a;
    }

    // ---- catalog reads ----

    private Agent agent() throws LookupException {
        Agent a = agents.get();
        if (a == null) {
            throw new LookupException(Rcode.SERVFAIL, "no agent");
        }
        return a;
    }

    private String localDatacenter() throws LookupException {
        return agent().identity().datacenter();
    }

    private boolean knownDatacenter(String dc) throws LookupException {
        Agent a = agent();
        if (a.identity().datacenter().equalsIgnoreCase(dc)) {
            return true;
        }
        try {
            return a.catalog().datacenters().stream().anyMatch(dc::equalsIgnoreCase);
        } catch (RuntimeException e) {
            throw new LookupException(Rcode.SERVFAIL, e.toString());
        }
    }

    private QueryOptions options(String dc) throws LookupException {
        String remote = dc == null || dc.equalsIgnoreCase(localDatacenter()) ? null : dc;
        return new QueryOptions(remote, 0, Duration.ZERO, settings.allowStale() ? Consistency.STALE : Consistency.DEFAULT);
    }

    private Node findNode(String name, String dc) throws LookupException {
        QueryOptions opts = options(dc);
        Optional<NodeServices> exact = await(agent().catalog().node(name, opts));
        if (exact.isPresent()) {
            return exact.get().node();
        }
        // DNS names are case-insensitive; catalog names keep the case they were registered with.
        for (Node n : await(agent().catalog().nodes(opts))) {
            if (n.node().equalsIgnoreCase(name)) {
                return n;
            }
        }
        return null;
    }

    private List<CheckServiceNode> instances(String service, String dc) throws LookupException {
        QueryOptions opts = options(dc);
        List<CheckServiceNode> found = await(agent().health().service(service, List.of(), false, opts));
        if (!found.isEmpty()) {
            return found;
        }
        for (String name : await(agent().catalog().services(opts)).keySet()) {
            if (name.equalsIgnoreCase(service) && !name.equals(service)) {
                found = await(agent().health().service(name, List.of(), false, opts));
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return found;
    }

    /**
     * Drops instances with a critical check (node or service, maintenance included), and with
     * {@code only_passing} any that is not passing; keeps those carrying {@code tag} (any case) if given.
     */
    private List<CheckServiceNode> healthy(List<CheckServiceNode> all, String tag) {
        List<CheckServiceNode> out = new ArrayList<>(all.size());
        next:
        for (CheckServiceNode n : all) {
            if (tag != null && n.service().tags().stream().noneMatch(tag::equalsIgnoreCase)) {
                continue;
            }
            for (HealthCheck c : n.checks()) {
                if (Health.CRITICAL.equals(c.status())
                        || c.checkId().equals(Health.NODE_MAINTENANCE_CHECK_ID)
                        || c.checkId().startsWith(Health.SERVICE_MAINTENANCE_CHECK_PREFIX)
                        || (settings.onlyPassing() && !Health.PASSING.equals(c.status()))) {
                    continue next;
                }
            }
            out.add(n);
        }
        return out;
    }

    private <T> T await(CompletionStage<QueryResult<T>> stage) throws LookupException {
        CompletableFuture<QueryResult<T>> f = stage.toCompletableFuture();
        try {
            return f.get(settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS).value();
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new LookupException(Rcode.SERVFAIL, "no answer from the catalog within " + settings.queryTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LookupException(Rcode.SERVFAIL, "interrupted");
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    private static LookupException failure(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        // Consul answers NXDOMAIN for a datacenter that does not exist (hashicorp/consul#8102).
        if (t instanceof DatacenterNotFoundException) {
            return new LookupException(Rcode.NXDOMAIN, t.getMessage());
        }
        return new LookupException(Rcode.SERVFAIL, String.valueOf(t));
    }

    // ---- records and names ----

    private String serviceAddress(CheckServiceNode n, int accept) {
        Map<String, ServiceAddress> tagged = n.service().taggedAddresses();
        ServiceAddress v4 = tagged.get("lan_ipv4");
        ServiceAddress v6 = tagged.get("lan_ipv6");
        return translate(n.service().address(), v4 == null ? null : v4.address(), v6 == null ? null : v6.address(),
                accept);
    }

    /** Consul's {@code translateAddressAccept} for the local datacenter (WAN translation not yet). */
    static String translate(String def, String v4, String v6, int accept) {
        if ((accept & ACCEPT_V6) != 0 && v6 != null && !v6.isEmpty()) {
            return v6;
        }
        if ((accept & ACCEPT_V4) != 0 && v4 != null && !v4.isEmpty()) {
            return v4;
        }
        if ((accept & ACCEPT_ANY) != 0 && !def.isEmpty()) {
            return def;
        }
        InetAddress ip = IpLiterals.parse(def);
        if (ip != null && IpLiterals.isV4(ip) && (accept & ACCEPT_V4) != 0) {
            return def;
        }
        if (ip != null && !IpLiterals.isV4(ip) && (accept & ACCEPT_V6) != 0) {
            return def;
        }
        if (ip == null && (accept & ACCEPT_DOMAIN) != 0) {
            return def;
        }
        return "";
    }

    private static int accept(int qtype) {
        return ACCEPT_DOMAIN | switch (qtype) {
            case Type.A -> ACCEPT_V4;
            case Type.AAAA -> ACCEPT_V6;
            default -> ACCEPT_ANY;
        };
    }

    /** Consul's {@code makeARecord}: an A or AAAA if the question's type takes that family, else null. */
    private static Record addressFor(int qtype, InetAddress ip, Name owner, long ttl) {
        boolean v4 = IpLiterals.isV4(ip);
        boolean takesAny = qtype == Type.SRV || qtype == Type.ANY || qtype == Type.NS || qtype == Type.TXT;
        if (v4 && (takesAny || qtype == Type.A)) {
            return new ARecord(owner, DClass.IN, ttl, ip);
        }
        if (!v4 && (takesAny || qtype == Type.AAAA)) {
            return new AAAARecord(owner, DClass.IN, ttl, ip);
        }
        return null;
    }

    private static Record address(InetAddress ip, Name owner, long ttl) {
        return IpLiterals.isV4(ip) ? new ARecord(owner, DClass.IN, ttl, ip) : new AAAARecord(owner, DClass.IN, ttl, ip);
    }

    private static Name nodeName(String node, String dc, Name domain) {
        return name(node + ".node." + dc, domain);
    }

    /** {@code relative} under {@code origin}; null when it is no valid DNS name (odd catalog names). */
    private static Name name(String relative, Name origin) {
        try {
            return Name.concatenate(Name.fromString(relative), origin);
        } catch (Exception e) {
            LOG.debug("not a DNS name: {}.{}", relative, origin);
            return null;
        }
    }

    private static Name fqdn(String hostName) {
        try {
            return Name.fromString(hostName.endsWith(".") ? hostName : hostName + ".");
        } catch (Exception e) {
            return null;
        }
    }

    private static Name lower(Name n) {
        return Name.fromConstantString(n.toString().toLowerCase(Locale.ROOT));
    }
}
