package org.batterytrace.passport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.batterytrace.lifecycle.EventDataException;

/**
 * The passport attribute table ({@code attributes.tsv} beside this class), and the two things it decides:
 * which signed passport members are well-formed ({@link #check}), and which members a reader of a given
 * tier sees ({@link #filter}). Tiers come from the table only: a member the table does not list (anything a
 * maker signs beyond it) is shown to authorities alone, never to the public.
 */
public final class AttributeTable {
    private static final AttributeTable INSTANCE = load();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Map<String, Attribute> rows;

    private AttributeTable(Map<String, Attribute> rows) {
        this.rows = Collections.unmodifiableMap(rows);
    }

    public static AttributeTable get() {
        return INSTANCE;
    }

    /** Every row, in table order. */
    public List<Attribute> rows() {
        return List.copyOf(rows.values());
    }

    /** The row of {@code path}, or {@code null}. */
    public Attribute row(String path) {
        return rows.get(path);
    }

    /**
     * Checks the {@code data} of a PASSPORT_DECLARED ({@code source} = DECLARED) or PASSPORT_UPDATED
     * ({@code source} = UPDATED) record: every member the table knows must have its kind and be one this
     * record type may sign. Members the table does not know are allowed; they stay authority-only.
     *
     * @throws EventDataException naming the first offending member
     */
    public void check(JsonNode data, Attribute.Source source) {
        checkMembers(data, "", source);
    }

    private void checkMembers(JsonNode object, String prefix, Attribute.Source source) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            checkValue(path, f.getValue(), source);
        }
    }

    private void checkValue(String path, JsonNode value, Attribute.Source source) {
        Attribute row = rows.get(path);
        if (row == null) {
            return;
        }
        String where = "data." + path.replace("[]", "[i]");
        String problem = row.kind().problem(value);
        if (problem != null) {
            throw new EventDataException(where, where + " " + problem);
        }
        if (row.kind().name() == Kind.Name.OBJECT) {
            checkMembers(value, path, source);
            return;
        }
        if (row.source() != source) {
            throw new EventDataException(where, where + (row.source() == Attribute.Source.SYSTEM ? " is computed by the platform and cannot be signed"
                    : " is " + (row.source() == Attribute.Source.DECLARED ? "static data, signed in PASSPORT_DECLARED" : "dynamic data, signed in PASSPORT_UPDATED")));
        }
        if (row.kind().name() == Kind.Name.LIST) {
            for (JsonNode item : value) {
                checkValue(path + "[]", item, source);
            }
        }
    }

    /**
     * The members of {@code full} that a reader of {@code tier} may see, with numbers in their shown form.
     * A leaf or list is shown when its row's tier is within the reader's; an object when any of its members
     * is. Members without a row are shown to {@link Tier#AUTHORITY} only.
     */
    public ObjectNode filter(JsonNode full, Tier tier) {
        ObjectNode out = F.objectNode();
        filterMembers(full, "", tier, out);
        return out;
    }

    private void filterMembers(JsonNode object, String prefix, Tier tier, ObjectNode out) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode shown = filterValue(path, f.getValue(), tier);
            if (shown != null) {
                out.set(f.getKey(), shown);
            }
        }
    }

    private JsonNode filterValue(String path, JsonNode value, Tier tier) {
        Attribute row = rows.get(path);
        if (row == null) {
            return tier == Tier.AUTHORITY ? value : null;
        }
        if (row.kind().name() == Kind.Name.OBJECT) {
            if (!value.isObject()) {
                return null;
            }
            ObjectNode out = F.objectNode();
            filterMembers(value, path, tier, out);
            return out.isEmpty() ? null : out;
        }
        if (!tier.sees(row.tier())) {
            return null;
        }
        if (row.kind().name() == Kind.Name.LIST) {
            ArrayNode out = F.arrayNode();
            for (JsonNode item : value) {
                JsonNode shown = filterValue(path + "[]", item, tier);
                if (shown != null) {
                    out.add(shown);
                }
            }
            return out;
        }
        return row.kind().shown(value);
    }

    private static AttributeTable load() {
        Map<String, Attribute> rows = new LinkedHashMap<>();
        try (InputStream in = AttributeTable.class.getResourceAsStream("attributes.tsv")) {
            if (in == null) {
                throw new IllegalStateException("attributes.tsv is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length != 7) {
                    throw new IllegalStateException("attributes.tsv: 7 columns expected in " + line);
                }
                List<Integer> longlist = new ArrayList<>();
                Arrays.stream(c[3].split(",")).map(String::trim).map(Integer::valueOf).forEach(longlist::add);
                Attribute row = new Attribute(c[0], Kind.parse(c[1]), Attribute.Source.fromCode(c[2]), List.copyOf(longlist), Tier.fromLabel(c[4]), c[5], c[6]);
                if (rows.put(row.path(), row) != null) {
                    throw new IllegalStateException("attributes.tsv lists " + row.path() + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AttributeTable(rows);
    }
}
