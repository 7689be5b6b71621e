package io.conclave.dns.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One DNS message in, at most one out, whatever the transport. Every check on untrusted input is here:
 * shorter than a header or a response → dropped; not a QUERY → NOTIMP; section counts a query cannot
 * have, or a body that does not parse → FORMERR with the header only (miekg/dns's
 * {@code defaultMsgAcceptFunc}, which Consul runs behind); EDNS version above 0 → BADVERS.
 *
 * <p>Names in the domain go to the {@link ConsulZone}; reverse names of known nodes are answered too;
 * everything else is forwarded to the recursors, or REFUSED when there are none (Consul answers
 * SERVFAIL there; REFUSED tells a stub resolver to try its next server instead of giving up).
 */
final class Responder {

    private static final Logger LOG = LoggerFactory.getLogger("agent.dns");
    static final int MAX_TCP = 65535;
    static final int MIN_UDP = 512;
    static final int MAX_UDP = 4096;
    /** Consul's {@code maxUDPAnswerLimit}: the hard cap on {@code udp_answer_limit}. */
    static final int MAX_UDP_ANSWER_LIMIT = 8;
    private static final Name ARPA = Name.fromConstantString("arpa.");

    /** Everything a configuration change swaps at once. */
    record Config(DnsSettings settings, ConsulZone zone, Recursor recursor) {
    }

    private volatile Config config;

    Responder(Config config) {
        this.config = config;
    }

    void update(Config next) {
        config = next;
    }

    Config config() {
        return config;
    }

    /**
     * @param packet one whole DNS message
     * @param tcp    whether it came over TCP (answers up to 64 KiB) rather than UDP
     * @param client who sent it, for logs
     * @return the encoded answer, or {@code null} to send nothing
     */
    byte[] handle(byte[] packet, boolean tcp, Object client) {
        long start = System.nanoTime();
        Config c = config;
        if (packet.length < Header.LENGTH) {
            LOG.debug("dropped a message shorter than a DNS header: client={} length={}", client, packet.length);
            return null;
        }
        Header h;
        try {
            h = new Header(Arrays.copyOf(packet, Header.LENGTH));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (h.getFlag(Flags.QR)) {
            LOG.debug("dropped a response sent as a query: client={}", client);
            return null;
        }
        if (h.getOpcode() != Opcode.QUERY) {
            return headerOnly(h, Rcode.NOTIMP);
        }
        if (h.getCount(Section.QUESTION) != 1 || h.getCount(Section.ANSWER) > 1 || h.getCount(Section.AUTHORITY) > 1
                || h.getCount(Section.ADDITIONAL) > 2) {
            LOG.debug("FORMERR: section counts a query cannot have: client={} header={}", client, h);
            return headerOnly(h, Rcode.FORMERR);
        }
        Message req;
        try {
            req = new Message(packet);
        } catch (IOException | RuntimeException e) {
            LOG.debug("FORMERR: unparsable query: client={} error={}", client, e.toString());
            return headerOnly(h, Rcode.FORMERR);
        }
        Record question = req.getQuestion();
        if (question == null) {
            return headerOnly(h, Rcode.FORMERR);
        }
        OPTRecord opt = req.getOPT();
        int maxSize = tcp ? MAX_TCP : opt == null ? MIN_UDP : clampUdp(opt.getPayloadSize());
        byte[] out;
        try {
            out = answer(c, packet, req, h, question, opt, tcp, maxSize);
        } catch (RuntimeException e) {
            LOG.warn("failed to answer: question={} error={}", question, e.toString(), e);
            Reply r = new Reply(h.getID(), h.getFlag(Flags.RD), question, Answer.of(Rcode.SERVFAIL));
            r.authoritative = false;
            r.opt = responseOpt(opt, 0);
            out = r.wire();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("request served from client: name={} type={} class={} latency={}us client={} client_network={}",
                    question.getName(), Type.string(question.getType()), question.getDClass(),
                    (System.nanoTime() - start) / 1000, client, tcp ? "tcp" : "udp");
        }
        return out;
    }

    private byte[] answer(Config c, byte[] packet, Message req, Header h, Record question, OPTRecord opt, boolean tcp,
                          int maxSize) {
        if (opt != null && opt.getVersion() != 0) {
            Reply r = new Reply(h.getID(), h.getFlag(Flags.RD), question, Answer.of(Rcode.NOERROR));
            r.authoritative = false;
            r.opt = responseOpt(opt, Rcode.BADVERS >> 4);
            return r.wire();
        }
        Name qname = question.getName();
        int qtype = question.getType();
        Name zone = c.zone().zoneOf(qname);
        Answer a;
        if (zone != null) {
            a = qtype == Type.AXFR || qtype == Type.IXFR ? Answer.of(Rcode.NOTIMP)
                    : c.zone().answer(qname, qtype, zone, opt != null, ConsulZone.MAX_RECURSION);
        } else if (qname.subdomain(ARPA) && (qtype == Type.PTR || qtype == Type.ANY)) {
            a = c.zone().reverse(qname);
            if (a == null) {
                if (c.recursor().enabled()) {
                    return forward(c, packet, req, h, question, opt, tcp, maxSize);
                }
                a = c.zone().nxdomain(c.settings().domain());
            }
        } else if (c.recursor().enabled()) {
            return forward(c, packet, req, h, question, opt, tcp, maxSize);
        } else {
            a = Answer.of(Rcode.REFUSED);
            a.authoritative = false;
        }
        Reply r = new Reply(h.getID(), h.getFlag(Flags.RD), question, a);
        r.recursionAvailable = c.recursor().enabled();
        r.compress = !c.settings().disableCompression();
        r.opt = responseOpt(opt, 0);
        int answerLimit = !tcp && maxSize == MIN_UDP
                ? Math.min(MAX_UDP_ANSWER_LIMIT, c.settings().udpAnswerLimit()) : 0;
        int before = r.answer.size();
        if (r.fit(maxSize, answerLimit)) {
            if (c.settings().enableTruncate()) {
                r.truncated = true;
            }
            LOG.debug("DNS response too large, truncated: protocol={} question={} records={}/{}",
                    tcp ? "tcp" : "udp", question, r.answer.size(), before);
        }
        return r.wire();
    }

    private byte[] forward(Config c, byte[] packet, Message req, Header h, Record question, OPTRecord opt, boolean tcp,
                           int maxSize) {
        Message upstream = c.recursor().forward(packet, req, tcp);
        if (upstream == null) {
            Reply r = new Reply(h.getID(), h.getFlag(Flags.RD), question, Answer.of(Rcode.SERVFAIL));
            r.authoritative = false;
            r.recursionAvailable = true;
            r.opt = responseOpt(opt, 0);
            return r.wire();
        }
        upstream.getHeader().setID(h.getID());
        upstream.getHeader().setFlag(Flags.RA);
        boolean compress = !c.settings().disableCompression();
        byte[] out = Reply.encode(upstream, compress);
        if (out.length <= maxSize) {
            return out;
        }
        // Too big for this client's datagrams: the header and question with TC, so it asks over TCP.
        Message t = new Message(h.getID());
        for (int f : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
            if (upstream.getHeader().getFlag(f)) {
                t.getHeader().setFlag(f);
            }
        }
        t.getHeader().setFlag(Flags.TC);
        t.getHeader().setRcode(upstream.getHeader().getRcode());
        t.addRecord(question, Section.QUESTION);
        if (upstream.getOPT() != null) {
            t.addRecord(upstream.getOPT(), Section.ADDITIONAL);
        }
        return Reply.encode(t, compress);
    }

    /** The OPT of an answer to an EDNS query: the client's size within bounds, ECS echoed with scope 0. */
    private static OPTRecord responseOpt(OPTRecord opt, int extendedRcode) {
        if (opt == null) {
            return null;
        }
        List<EDNSOption> options = new ArrayList<>();
        for (EDNSOption o : opt.getOptions()) {
            if (o instanceof ClientSubnetOption ecs) {
                try {
                    options.add(new ClientSubnetOption(ecs.getSourcePrefixLength(), 0, ecs.getAddress()));
                } catch (RuntimeException e) {
                    LOG.debug("ignored a client subnet option: {}", e.toString());
                }
            }
        }
        return new OPTRecord(clampUdp(opt.getPayloadSize()), extendedRcode, 0, 0, options);
    }

    private static int clampUdp(int size) {
        return Math.max(MIN_UDP, Math.min(MAX_UDP, size));
    }

    private static byte[] headerOnly(Header query, int rcode) {
        Header h = new Header(query.getID());
        h.setFlag(Flags.QR);
        if (query.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        h.setOpcode(query.getOpcode());
        h.setRcode(rcode);
        return h.toWire();
    }
}
