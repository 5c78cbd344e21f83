package org.batterytrace.server.console.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.batterytrace.passport.AttributeTable;
import org.batterytrace.record.Json;
import org.junit.jupiter.api.Test;

/**
 * The auditor page's files without a browser: the passport attribute table it carries is the core's
 * (regenerate with {@code -Daudit.table.write=true}), and the page keeps to what the console's CSP
 * ({@code script-src 'self'; style-src 'self'}) and a saved copy need: no inline script, style or event
 * handler, only relative asset paths, no request to anywhere (no fetch, XMLHttpRequest or dynamic import),
 * and bundle contents written as text, never as HTML.
 */
class AuditPageTest {
    static final Path PAGE = AuditPageBrowserTest.PAGE;
    static final Path TABLE = PAGE.resolve("passport-table.js");

    /** Rows [path, kind, source] of attributes.tsv, in order. */
    static List<List<String>> tsvRows() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (InputStream in = AttributeTable.class.getResourceAsStream("attributes.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                rows.add(List.of(c[0], c[1], c[2]));
            }
        }
        return rows;
    }

    static String render(List<List<String>> rows) {
        StringBuilder js = new StringBuilder("""
                /*
                 * The passport attribute table (traceability-core passport/attributes.tsv): path, kind, source (D declared,
                 * U updated, S system) of each member a PASSPORT_DECLARED or PASSPORT_UPDATED record may sign. Generated;
                 * AuditPageTest checks it against the table (run it with -Daudit.table.write=true to rewrite this file).
                 */
                (function (BT) {
                  'use strict';
                  BT.passportTable = [
                """);
        for (int i = 0; i < rows.size(); i++) {
            js.append("    ").append(Json.MAPPER.valueToTree(rows.get(i)).toString().replace("\",\"", "\", \"")).append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        return js.append("  ];\n})(window.BT = window.BT || {});\n").toString();
    }

    @Test
    void thePassportTableIsTheCores() throws IOException {
        String expected = render(tsvRows());
        if (Boolean.getBoolean("audit.table.write")) {
            Files.writeString(TABLE, expected);
        }
        assertEquals(expected, Files.readString(TABLE), "passport-table.js is not attributes.tsv; rerun with -Daudit.table.write=true");
        assertEquals(AttributeTable.get().rows().size(), tsvRows().size());
    }

    @Test
    void noInlineCodeAndOnlyRelativeAssets() throws IOException {
        String html = Files.readString(PAGE.resolve("index.html"));
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)", Pattern.CASE_INSENSITIVE).matcher(html).find(), "an inline script");
        assertFalse(Pattern.compile("<style|\\sstyle=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "an inline style");
        assertFalse(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "an inline event handler");
        Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        Set<String> referenced = new TreeSet<>();
        while (assets.find()) {
            String asset = assets.group(1);
            assertFalse(asset.startsWith("/") || asset.contains(":"), "a saved copy needs relative paths: " + asset);
            assertTrue(Files.isRegularFile(PAGE.resolve(asset)), asset + " is missing");
            referenced.add(asset);
        }
        try (Stream<Path> files = Files.list(PAGE)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertTrue(name.equals("index.html") || referenced.contains(name), name + " is not used by the page");
                if (name.endsWith(".js")) {
                    String js = Files.readString(f);
                    for (String forbidden : List.of("fetch(", "XMLHttpRequest", "import(", "eval(", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                            "localStorage", "sessionStorage", "setAttribute('style'", ".style.")) {
                        assertFalse(js.contains(forbidden), name + " uses " + forbidden);
                    }
                    assertFalse(Pattern.compile("^\\s*(import|export)\\s", Pattern.MULTILINE).matcher(js).find(), name + " is an ES module: it would not load from file://");
                }
            }
        }
        assertTrue(html.contains("connect-src 'none'"), "the page's own CSP forbids every request, in a saved copy too");
    }
}
