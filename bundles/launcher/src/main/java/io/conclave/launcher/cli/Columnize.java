package io.conclave.launcher.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Tables as Consul's commands print them: {@code ryanuber/columnize} (members, catalog nodes) and
 * Go's {@code text/tabwriter} (catalog services -tags).
 */
public final class Columnize {

    /** The delimiter Consul's commands put between cells (ASCII unit separator). */
    public static final String DELIM = "\u001f";

    private Columnize() {
    }

    /**
     * {@code columnize.Format(lines, &Config{Delim: "\x1f"})}: cells trimmed, every cell but a
     * line's last padded to its column's widest cell, joined by two spaces; no trailing new line.
     */
    public static String format(List<String> lines) {
        List<String[]> rows = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(DELIM, -1);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].strip();
                int w = cells[i].codePointCount(0, cells[i].length());
                if (widths.size() <= i) {
                    widths.add(w);
                } else if (widths.get(i) < w) {
                    widths.set(i, w);
                }
            }
            rows.add(cells);
        }
        StringBuilder out = new StringBuilder();
        for (String[] cells : rows) {
            for (int i = 0; i < cells.length; i++) {
                if (i == cells.length - 1) {
                    out.append(cells[i]);
                } else {
                    out.append(pad(cells[i], widths.get(i))).append("  ");
                }
            }
            out.append('\n');
        }
        if (out.length() > 0) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    /**
     * Go's {@code tabwriter.NewWriter(w, minwidth, tabwidth, padding, ' ', 0)} over rows of cells
     * (a cell is text ended by a tab; a row's last cell is not aligned): each aligned cell is
     * padded to its column's widest cell plus {@code padding}, at least {@code minwidth}.
     */
    public static String tabwriter(List<String[]> rows, int minwidth, int padding) {
        List<Integer> widths = new ArrayList<>();
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                int w = Math.max(minwidth, r[i].codePointCount(0, r[i].length()) + padding);
                if (widths.size() <= i) {
                    widths.add(w);
                } else if (widths.get(i) < w) {
                    widths.set(i, w);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                out.append(i == r.length - 1 ? r[i] : pad(r[i], widths.get(i)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        int w = s.codePointCount(0, s.length());
        return w >= width ? s : s + " ".repeat(width - w);
    }
}
