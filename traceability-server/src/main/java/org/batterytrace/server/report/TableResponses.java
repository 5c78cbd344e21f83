package org.batterytrace.server.report;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

/**
 * How a report leaves the API: {@code format=json} (default), {@code format=csv} (RFC 4180, UTF-8, no
 * BOM, the cells exactly as in JSON), {@code format=csv-excel} (the same CSV behind a UTF-8 BOM so that
 * Excel shows Chinese text when the file is opened by double-click, with formula-like text cells
 * defused); without {@code format}, {@code Accept: text/csv} (and not JSON) selects plain CSV.
 */
public final class TableResponses {
    public static final String CSV = "text/csv";
    public static final String FORMAT_DESCRIPTION = "json (default), csv (RFC 4180, UTF-8) or csv-excel (the same CSV with a UTF-8 byte-order mark for Excel,"
            + " formula-like text cells prefixed with ')";

    private TableResponses() {
    }

    public static Response render(Table table, String format, String accept, String name) {
        String chosen;
        if (format != null) {
            chosen = format.trim().toLowerCase(Locale.ROOT);
            if (!chosen.equals("csv") && !chosen.equals("json") && !chosen.equals("csv-excel")) {
                throw new ProblemException(ProblemKind.BAD_FORMAT, "format is json, csv or csv-excel, got " + format);
            }
        } else {
            chosen = accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON) ? "csv" : "json";
        }
        return switch (chosen) {
            case "csv" -> csv(table.toCsv(), name);
            case "csv-excel" -> csv(table.toExcelCsv(), name);
            default -> Response.ok(table.toJson(), MediaType.APPLICATION_JSON).build();
        };
    }

    private static Response csv(String body, String name) {
        return Response.ok(body, CSV + "; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"").build();
    }
}
