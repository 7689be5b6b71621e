package io.conclave.dns.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;

/**
 * One response being put on the wire: its sections, flags and OPT, and how to make it fit.
 *
 * <p>{@link #fit} is Consul's {@code trimUDPResponse}/{@code trimTCPResponse}: cap the answer count
 * for plain 512-byte UDP, then keep the longest prefix of the (already shuffled) answers that fits, with
 * only the additional records those answers still refer to. Unlike Consul it keeps every additional
 * record of a kept SRV target (A and TXT), and when even one answer does not fit it sends none and sets
 * TC, so the client asks again over TCP instead of reading an over-size datagram.
 */
final class Reply {

    private final int id;
    private final boolean recursionDesired;
    final Record question;
    int rcode;
    boolean authoritative;
    boolean recursionAvailable;
    boolean truncated;
    boolean compress = true;
    List<Record> answer;
    List<Record> authority;
    List<Record> additional;
    OPTRecord opt;

    Reply(int id, boolean recursionDesired, Record question, Answer a) {
        this.id = id;
        this.recursionDesired = recursionDesired;
        this.question = question;
        this.rcode = a.rcode;
        this.authoritative = a.authoritative;
        this.answer = new ArrayList<>(a.answer);
        this.authority = new ArrayList<>(a.authority);
        this.additional = new ArrayList<>(a.additional);
    }

    Message toMessage() {
        Message m = new Message(id);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setOpcode(Opcode.QUERY);
        if (authoritative) {
            m.getHeader().setFlag(Flags.AA);
        }
        if (recursionDesired) {
            m.getHeader().setFlag(Flags.RD);
        }
        if (recursionAvailable) {
            m.getHeader().setFlag(Flags.RA);
        }
        if (truncated) {
            m.getHeader().setFlag(Flags.TC);
        }
        m.getHeader().setRcode(rcode & 0xF);
        if (question != null) {
            m.addRecord(question, Section.QUESTION);
        }
        answer.forEach(r -> m.addRecord(r, Section.ANSWER));
        authority.forEach(r -> m.addRecord(r, Section.AUTHORITY));
        additional.forEach(r -> m.addRecord(r, Section.ADDITIONAL));
        if (opt != null) {
            m.addRecord(opt, Section.ADDITIONAL);
        }
        return m;
    }

    byte[] wire() {
        return encode(toMessage(), compress);
    }

    int size() {
        return wire().length;
    }

    /** dnsjava always compresses; {@code disable_compression} needs every record written on its own. */
    static byte[] encode(Message m, boolean compress) {
        if (compress) {
            return m.toWire();
        }
        DNSOutput out = new DNSOutput();
        out.writeByteArray(m.getHeader().toWire());
        for (int s = Section.QUESTION; s <= Section.ADDITIONAL; s++) {
            for (Record r : m.getSection(s)) {
                out.writeByteArray(r.toWire(s));
            }
        }
        return out.toByteArray();
    }

    /**
     * Makes the reply at most {@code maxSize} bytes.
     *
     * @param answerLimit at most this many answers (0: no count limit)
     * @return whether answers were dropped
     */
    boolean fit(int maxSize, int answerLimit) {
        int original = answer.size();
        List<Record> allAnswers = new ArrayList<>(answer);
        List<Record> allAdditional = new ArrayList<>(additional);
        if (answerLimit > 0 && answer.size() > answerLimit) {
            keep(answerLimit, allAnswers, allAdditional);
        }
        if (answer.size() > 1 && size() > maxSize) {
            authority.clear();
            if (size() > maxSize) {
                int lo = 1;
                int hi = answer.size() - 1;
                int best = 1;
                while (lo <= hi) {
                    int mid = (lo + hi) >>> 1;
                    keep(mid, allAnswers, allAdditional);
                    if (size() <= maxSize) {
                        best = mid;
                        lo = mid + 1;
                    } else {
                        hi = mid - 1;
                    }
                }
                keep(best, allAnswers, allAdditional);
            }
        }
        if (size() > maxSize) {
            additional.clear();
            if (size() > maxSize) {
                answer.clear();
                authority.clear();
                truncated = true;
            }
        }
        return answer.size() < original;
    }

    private void keep(int n, List<Record> allAnswers, List<Record> allAdditional) {
        answer = new ArrayList<>(allAnswers.subList(0, n));
        additional = referenced(answer, allAdditional);
    }

    /** The additional records still needed: those named by a kept answer or its target, CNAMEs followed. */
    static List<Record> referenced(List<Record> answers, List<Record> additional) {
        Set<Name> wanted = new HashSet<>();
        for (Record r : answers) {
            wanted.add(r.getName());
            if (r instanceof SRVRecord srv) {
                wanted.add(srv.getTarget());
            } else if (r instanceof NSRecord ns) {
                wanted.add(ns.getTarget());
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Record r : additional) {
                if (r instanceof CNAMERecord c && wanted.contains(c.getName()) && wanted.add(c.getTarget())) {
                    grew = true;
                }
            }
        }
        List<Record> out = new ArrayList<>();
        for (Record r : additional) {
            if (wanted.contains(r.getName())) {
                out.add(r);
            }
        }
        return out;
    }
}
