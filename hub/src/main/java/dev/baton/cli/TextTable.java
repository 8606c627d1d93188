package dev.baton.cli;

import dev.baton.protocol.Texts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/** A plain-text table with a header row, columns padded to their widest cell; the last column is not padded. */
final class TextTable {

    private static final int MAX_CELL_CHARS = 80;

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(final String @NotNull ... header) {
        this.columns = header.length;
        rows.add(header);
    }

    @NotNull
    TextTable row(final String @NotNull ... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("a row needs " + columns + " cells, but had " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(TextTable::cell).toArray(String[]::new));
        return this;
    }

    void print(final @NotNull PrintWriter out) {
        final int[] widths = new int[columns];
        for (final String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (final String[] row : rows) {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String cell(final String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        final String oneLine = value.replaceAll("\\s+", " ");
        return Texts.truncate(oneLine, MAX_CELL_CHARS);
    }
}
