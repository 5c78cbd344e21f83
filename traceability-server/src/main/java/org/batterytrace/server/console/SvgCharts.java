package org.batterytrace.server.console;

import java.util.List;
import java.util.Locale;

/**
 * Small server-rendered SVG charts (no script, no CDN, no inline style: colours are presentation
 * attributes, so the console's Content-Security-Policy holds). Every label is XML-escaped here.
 */
final class SvgCharts {
    private static final String BAR = "#2f6f9f";
    private static final String ALERT = "#b5452b";

    private SvgCharts() {
    }

    /** A labelled value; {@code alert} draws it in the warning colour. */
    record Bar(String label, double value, String shown, boolean alert) {
    }

    /** A tile of the schematic map at column/row, with its count. */
    record Tile(String code, String name, int column, int row, long value) {
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** Horizontal bars scaled to {@code max}, with an optional vertical norm line at {@code norm}. */
    static String horizontal(String id, String title, List<Bar> bars, double max, Double norm, String normLabel) {
        int labelWidth = 260;
        int width = 720;
        int plot = width - labelWidth - 90;
        int row = 26;
        int height = Math.max(1, bars.size()) * row + 40;
        double scale = max <= 0 ? 0 : plot / max;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"").append(id).append("\" class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height).append("\"><title>").append(escape(title)).append("</title>");
        int y = 10;
        for (Bar bar : bars) {
            double w = Math.max(0, bar.value() * scale);
            svg.append("<g class=\"bar\"><title>").append(escape(bar.label() + ": " + bar.shown())).append("</title>")
                    .append("<text x=\"").append(labelWidth - 8).append("\" y=\"").append(y + 16).append("\" text-anchor=\"end\" font-size=\"12\">")
                    .append(escape(shorten(bar.label()))).append("</text>")
                    .append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y + 3).append("\" width=\"").append(num(w)).append("\" height=\"18\" fill=\"")
                    .append(bar.alert() ? ALERT : BAR).append("\"/>")
                    .append("<text x=\"").append(num(labelWidth + w + 6)).append("\" y=\"").append(y + 16).append("\" font-size=\"12\">").append(escape(bar.shown()))
                    .append("</text></g>");
            y += row;
        }
        if (norm != null && scale > 0) {
            double x = labelWidth + norm * scale;
            svg.append("<line class=\"norm\" x1=\"").append(num(x)).append("\" x2=\"").append(num(x)).append("\" y1=\"4\" y2=\"").append(y + 4)
                    .append("\" stroke=\"#222\" stroke-dasharray=\"4 3\"/><text x=\"").append(num(x + 4)).append("\" y=\"").append(y + 20)
                    .append("\" font-size=\"12\">").append(escape(normLabel)).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Vertical bars, one per label (months), scaled to the largest. */
    static String columns(String id, String title, List<Bar> bars) {
        int column = 46;
        int width = Math.max(320, bars.size() * column + 60);
        int plot = 180;
        int height = plot + 60;
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"").append(id).append("\" class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height).append("\"><title>").append(escape(title)).append("</title>")
                .append("<line x1=\"30\" x2=\"").append(width - 10).append("\" y1=\"").append(plot + 20).append("\" y2=\"").append(plot + 20).append("\" stroke=\"#888\"/>");
        int x = 40;
        for (Bar bar : bars) {
            double h = max <= 0 ? 0 : bar.value() / max * plot;
            svg.append("<g class=\"bar\"><title>").append(escape(bar.label() + ": " + bar.shown())).append("</title><rect x=\"").append(x).append("\" y=\"")
                    .append(num(plot + 20 - h)).append("\" width=\"").append(column - 12).append("\" height=\"").append(num(h)).append("\" fill=\"").append(BAR)
                    .append("\"/><text x=\"").append(x + (column - 12) / 2).append("\" y=\"").append(num(plot + 14 - h)).append("\" text-anchor=\"middle\" font-size=\"11\">")
                    .append(escape(bar.shown())).append("</text><text x=\"").append(x + (column - 12) / 2).append("\" y=\"").append(plot + 36)
                    .append("\" text-anchor=\"middle\" font-size=\"10\">").append(escape(bar.label())).append("</text></g>");
            x += column;
        }
        return svg.append("</svg>").toString();
    }

    /** A schematic tile map: one square per tile, shaded by its value against the largest. */
    static String tiles(String id, String title, List<Tile> tiles, String note) {
        int size = 96;
        int gap = 6;
        int columns = tiles.stream().mapToInt(Tile::column).max().orElse(0) + 1;
        int rows = tiles.stream().mapToInt(Tile::row).max().orElse(0) + 1;
        int width = columns * (size + gap) + gap;
        int height = rows * (size + gap) + gap + 24;
        long max = tiles.stream().mapToLong(Tile::value).max().orElse(0);
        String[] shades = {"#eef3f7", "#c9dcea", "#93bad6", "#5b93bd", "#2f6f9f"};
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"").append(id).append("\" class=\"chart map\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height).append("\"><title>").append(escape(title)).append("</title>");
        for (Tile t : tiles) {
            int shade = t.value() == 0 || max == 0 ? 0 : (int) Math.min(4, 1 + (t.value() * 4 - 1) / max);
            int x = gap + t.column() * (size + gap);
            int y = gap + t.row() * (size + gap);
            svg.append("<g class=\"tile\" data-city=\"").append(t.code()).append("\" data-value=\"").append(t.value()).append("\"><title>").append(escape(t.name() + ": " + t.value()))
                    .append("</title><rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(size).append("\" height=\"").append(size)
                    .append("\" rx=\"6\" fill=\"").append(shades[shade]).append("\" stroke=\"#7a8a99\"/><text x=\"").append(x + size / 2).append("\" y=\"").append(y + 40)
                    .append("\" text-anchor=\"middle\" font-size=\"13\"").append(shade >= 3 ? " fill=\"#fff\"" : "").append(">").append(escape(t.name()))
                    .append("</text><text x=\"").append(x + size / 2).append("\" y=\"").append(y + 66).append("\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\"")
                    .append(shade >= 3 ? " fill=\"#fff\"" : "").append(">").append(t.value()).append("</text></g>");
        }
        svg.append("<text x=\"").append(gap).append("\" y=\"").append(height - 8).append("\" font-size=\"11\">").append(escape(note)).append("</text>");
        return svg.append("</svg>").toString();
    }

    private static String shorten(String label) {
        return label.length() > 34 ? label.substring(0, 33) + "…" : label;
    }
}
