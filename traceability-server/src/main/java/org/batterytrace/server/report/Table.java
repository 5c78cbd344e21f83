package org.batterytrace.server.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A report: named columns and rows of strings, integers and booleans, rendered as JSON rows or as
 * RFC 4180 CSV (CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled, UTF-8).
 * The Excel variant is the same CSV behind a UTF-8 byte-order mark, which is how Excel recognizes UTF-8
 * when a file is opened by double-click, and with text cells that Excel would run as a formula
 * (starting with {@code = + - @}, tab or carriage return) prefixed by an apostrophe (OWASP "CSV injection").
 */
public final class Table {
    /** The UTF-8 byte-order mark, U+FEFF. */
    public static final String BOM = "\uFEFF";

    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    public Table(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** One row per record, one column per record component, in declaration order; lists are joined with spaces. */
    public static <R extends Record> Table of(Class<R> type, Collection<R> records) {
        RecordComponent[] components = type.getRecordComponents();
        List<String> names = new ArrayList<>();
        for (RecordComponent c : components) {
            names.add(c.getName());
        }
        Table table = new Table(names);
        for (R record : records) {
            List<Object> row = new ArrayList<>(components.length);
            for (RecordComponent c : components) {
                try {
                    Object v = c.getAccessor().invoke(record);
                    row.add(v instanceof Collection<?> list ? String.join(" ", list.stream().map(String::valueOf).toList())
                            : v instanceof Number || v instanceof Boolean || v == null ? v : v.toString());
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException(e);
                }
            }
            table.add(row);
        }
        return table;
    }

    public void add(List<Object> row) {
        if (row.size() != columns.size()) {
            throw new IllegalArgumentException("a row of " + row.size() + " cells for " + columns.size() + " columns");
        }
        rows.add(row);
    }

    public int size() {
        return rows.size();
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<Object>> rows() {
        return rows;
    }

    public ArrayNode toJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (List<Object> row : rows) {
            ObjectNode o = array.addObject();
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.get(i);
                if (v == null) {
                    o.putNull(columns.get(i));
                } else if (v instanceof Number n) {
                    o.put(columns.get(i), n.longValue());
                } else if (v instanceof Boolean b) {
                    o.put(columns.get(i), b);
                } else {
                    o.put(columns.get(i), v.toString());
                }
            }
        }
        return array;
    }

    /** Plain RFC 4180 CSV: the cells exactly as in JSON. */
    public String toCsv() {
        return csv(false);
    }

    /** CSV for Excel: a BOM first and formula-like text cells defused. */
    public String toExcelCsv() {
        return BOM + csv(true);
    }

    private String csv(boolean excel) {
        StringBuilder csv = new StringBuilder();
        line(csv, new ArrayList<>(columns), excel);
        rows.forEach(row -> line(csv, row, excel));
        return csv.toString();
    }

    private static void line(StringBuilder csv, List<?> values, boolean excel) {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            String text = v == null ? "" : v.toString();
            if (excel && !(v instanceof Number) && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
                text = "'" + text;
            }
            if (i > 0) {
                csv.append(',');
            }
            if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
                csv.append('"').append(text.replace("\"", "\"\"")).append('"');
            } else {
                csv.append(text);
            }
        }
        csv.append("\r\n");
    }
}
