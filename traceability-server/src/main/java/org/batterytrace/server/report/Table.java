package org.batterytrace.server.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A report: named columns and rows of strings or numbers, rendered as JSON rows or RFC 4180 CSV. */
public final class Table {
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    public Table(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    public void add(List<Object> row) {
        rows.add(row);
    }

    public int size() {
        return rows.size();
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

    public String toCsv() {
        StringBuilder csv = new StringBuilder();
        line(csv, new ArrayList<>(columns));
        rows.forEach(row -> line(csv, row));
        return csv.toString();
    }

    private static void line(StringBuilder csv, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            String text = v == null ? "" : v.toString();
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
