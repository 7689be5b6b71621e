package io.conclave.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code dig} against an agent's DNS listener, as the tutorial does. */
final class Dig {

    private Dig() {
    }

    /** {@code dig @SERVER -p PORT QUERY...}, one try of at most 5 s; its whole output. */
    static String query(String server, int port, String... query) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dig", "@" + server, "-p", Integer.toString(port), "+tries=1", "+time=5"));
        cmd.addAll(List.of(query));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "dig did not finish");
        return out;
    }
}
