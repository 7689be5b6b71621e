package io.conclave.dns.internal;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/** The sections and code of one answer from the zone, before EDNS, trimming and encoding. */
final class Answer {

    int rcode = Rcode.NOERROR;
    boolean authoritative = true;
    final List<Record> answer = new ArrayList<>();
    final List<Record> authority = new ArrayList<>();
    final List<Record> additional = new ArrayList<>();

    static Answer of(int rcode) {
        Answer a = new Answer();
        a.rcode = rcode;
        return a;
    }

    @Override
    public String toString() {
        return Rcode.string(rcode) + " answer=" + answer + " authority=" + authority + " additional=" + additional;
    }
}
