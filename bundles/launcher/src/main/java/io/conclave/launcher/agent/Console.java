package io.conclave.launcher.agent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The agent's standard output. Like Consul's, the banner and {@code ==>} lines start at column 0
 * and streamed log lines are indented by four spaces; {@link #install} puts it in
 * {@link System#out} so that slf4j-simple ({@code logFile=System.out}) and Felix write through it.
 */
final class Console extends PrintStream {

    static final String LOG_NAME = "launcher";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final Indenter indenter;

    private Console(Indenter indenter) {
        super(indenter, true, StandardCharsets.UTF_8);
        this.indenter = indenter;
    }

    /** Wraps the process's standard output; {@code indent=false} leaves log lines as they are. */
    static Console install(boolean indent) {
        Console c = new Console(new Indenter(new FileOutputStream(FileDescriptor.out), indent ? "    " : ""));
        System.setOut(c);
        return c;
    }

    /** For tests: a console over any stream. */
    static Console over(OutputStream out) {
        return new Console(new Indenter(out, "    "));
    }

    /** A line at column 0: the banner, {@code ==> Conclave agent running!}. */
    void line(String s) {
        synchronized (this) {
            indenter.raw = true;
            try {
                println(s);
                flush();
            } finally {
                indenter.raw = false;
            }
        }
    }

    /** A log line of the launcher itself, formatted as slf4j-simple formats the bundles' lines. */
    void log(String level, String message) {
        println(ZonedDateTime.now().format(TIME) + " [" + level + "] " + LOG_NAME + " - " + message);
    }

    /** Inserts the indent at the start of every non-empty line unless {@link #raw} is set. */
    private static final class Indenter extends FilterOutputStream {
        private final byte[] indent;
        private boolean atLineStart = true;
        volatile boolean raw;

        Indenter(OutputStream out, String indent) {
            super(out);
            this.indent = indent.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void write(int b) throws IOException {
            if (atLineStart && b != '\n' && !raw && indent.length > 0) {
                out.write(indent);
            }
            out.write(b);
            atLineStart = b == '\n';
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int start = off;
            int end = off + len;
            for (int i = off; i < end; i++) {
                if (atLineStart && b[i] != '\n' && !raw && indent.length > 0) {
                    if (i > start) {
                        out.write(b, start, i - start);
                    }
                    out.write(indent);
                    start = i;
                }
                atLineStart = b[i] == '\n';
            }
            if (end > start) {
                out.write(b, start, end - start);
            }
        }
    }
}
