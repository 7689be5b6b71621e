package io.conclave.launcher.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where a command writes: {@link #info} and {@link #output} to standard output, {@link #error} to
 * standard error, as the Go CLI library Consul uses does. Tests pass their own streams.
 */
public final class Ui {

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    public Ui(PrintStream out, PrintStream err, InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    public static Ui system() {
        return new Ui(new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8), System.in);
    }

    public void info(String s) {
        out.println(s);
        out.flush();
    }

    public void output(String s) {
        info(s);
    }

    public void error(String s) {
        err.println(s);
        err.flush();
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public InputStream in() {
        return in;
    }
}
