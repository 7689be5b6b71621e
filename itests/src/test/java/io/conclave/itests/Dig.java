package io.conclave.itests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the real {@code dig} against an agent's DNS listener, as the tutorial does. */
final class Dig {

    private Dig() {
    }

    /** {@code dig @SERVER -p PORT QUERY...}, one try of at most 5 s; its whole output. */
    static String query(String server, int port, String... query) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dig", "@" + server, "-p", Integer.toString(port), "+tries=1", "+time=5"));
        cmd.addAll(List.of(query));
        return AgentProcess.run(cmd, Map.of(), null, Duration.ofSeconds(30)).out();
    }
}
