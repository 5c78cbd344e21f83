package org.batterytrace.server.passport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.batterytrace.passport.Attribute;
import org.batterytrace.passport.AttributeTable;
import org.batterytrace.passport.Kind;
import org.batterytrace.passport.Tier;
import org.junit.jupiter.api.Test;

/**
 * The passport attribute table against the Battery Pass 1.2.0 longlist (vendored test resource): each row's
 * tier is the longlist's access right, the EV-mandatory attributes are covered, and the tier filter shows
 * every attribute to exactly the tiers allowed to see it.
 */
class PassportTableTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    record Longlist(int number, boolean evMandatory, String attribute, Tier tier) {
    }

    static Map<Integer, Longlist> longlist() throws IOException {
        Map<Integer, Longlist> rows = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(PassportTableTest.class.getResourceAsStream("/batterypass-1.2.0/longlist.tsv"),
                StandardCharsets.UTF_8))) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                String[] c = line.split("\t", -1);
                rows.put(Integer.parseInt(c[0]), new Longlist(Integer.parseInt(c[0]), c[1].equals("x"), c[4], Tier.fromLonglistAccess(c[6])));
            }
        }
        return rows;
    }

    @Test
    void everyRowsTierIsTheMostRestrictiveAccessRightOfItsLonglistAttributes() throws IOException {
        Map<Integer, Longlist> longlist = longlist();
        assertEquals(93, longlist.size());
        List<String> wrong = new ArrayList<>();
        for (Attribute row : AttributeTable.get().rows()) {
            Tier derived = Tier.PUBLIC;
            for (int n : row.longlist()) {
                Longlist l = longlist.get(n);
                assertTrue(l != null, row.path() + " cites longlist row " + n + ", which does not exist");
                derived = l.tier().ordinal() > derived.ordinal() ? l.tier() : derived;
            }
            if (derived != row.tier()) {
                wrong.add(row.path() + " is " + row.tier().label() + " but its longlist rows " + row.longlist() + " say " + derived.label());
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void atLeastNinetyPercentOfTheEvMandatoryAttributesAreRepresentable() throws IOException {
        Map<Integer, Longlist> longlist = longlist();
        TreeSet<Integer> covered = new TreeSet<>();
        AttributeTable.get().rows().forEach(row -> covered.addAll(row.longlist()));
        List<Longlist> mandatory = longlist.values().stream().filter(Longlist::evMandatory).toList();
        List<String> missing = mandatory.stream().filter(l -> !covered.contains(l.number())).map(l -> l.number() + " " + l.attribute()).toList();
        long all = longlist.keySet().stream().filter(covered::contains).count();
        System.out.printf("passport coverage: %d of %d EV-mandatory longlist attributes (%.1f %%), %d of %d in all; not represented: %s%n",
                mandatory.size() - missing.size(), mandatory.size(), 100.0 * (mandatory.size() - missing.size()) / mandatory.size(), all, longlist.size(), missing);
        assertEquals(70, mandatory.size());
        assertTrue((mandatory.size() - missing.size()) * 10 >= mandatory.size() * 9, "at least 90 % of the EV-mandatory attributes: missing " + missing);
    }

    /** A value of every row's kind at every path of the table, plus members the table does not know at three depths. */
    static ObjectNode everything() {
        ObjectNode root = F.objectNode();
        fill(root, "");
        root.put("makerNote", "outside the table");
        ((ObjectNode) root.get("generalProductInformation")).put("internalPartNumber", "P-1");
        ((ObjectNode) root.get("circularity").get("safetyMeasures")).put("internalDrawing", "https://maker.example/d.pdf");
        return root;
    }

    private static void fill(ObjectNode object, String path) {
        for (Attribute row : AttributeTable.get().rows()) {
            String parent = row.path().contains(".") ? row.path().substring(0, row.path().lastIndexOf('.')) : "";
            if (parent.equals(path) && !row.path().endsWith("[]")) {
                object.set(row.member(), sample(row));
            }
        }
    }

    private static JsonNode sample(Attribute row) {
        return switch (row.kind().name()) {
            case OBJECT -> {
                ObjectNode o = F.objectNode();
                fill(o, row.path());
                yield o;
            }
            case LIST -> {
                Attribute item = AttributeTable.get().row(row.path() + "[]");
                ArrayNode a = F.arrayNode();
                a.add(item == null ? F.objectNode().put("free", "form") : sample(item));
                yield a;
            }
            case TEXTLIST -> F.arrayNode().add("x");
            case NUMBER -> F.textNode("1.5");
            case INTEGER -> F.numberNode(3);
            case BOOLEAN -> F.booleanNode(true);
            case DATETIME -> F.textNode("2026-03-14T08:00:00Z");
            case GMONTH -> F.textNode("--08");
            case URI -> F.textNode("https://maker.example/doc");
            case ENUM -> F.textNode(row.kind().values().get(0));
            case CAS -> F.textNode("7782-42-5");
            case EMAIL -> F.textNode("parts@maker.example");
            default -> F.textNode(row.member().equals("batteryPassportIdentifier") ? "urn:batterytrace:h5npea7hn24l01g3e0000001" : "text");
        };
    }

    /** The value at a table path in a filtered document (list paths take the first item), or null. */
    static JsonNode at(JsonNode doc, String path) {
        JsonNode node = doc;
        for (String segment : path.split("\\.")) {
            boolean item = segment.endsWith("[]");
            node = node == null ? null : node.get(item ? segment.substring(0, segment.length() - 2) : segment);
            if (item) {
                node = node == null || node.isEmpty() ? null : node.get(0);
            }
        }
        return node;
    }

    /** Whether any leaf or list at or under {@code path} may be seen by {@code tier}. */
    static boolean anyVisible(String path, Tier tier) {
        return AttributeTable.get().rows().stream().filter(r -> r.path().equals(path) || r.path().startsWith(path + ".") || r.path().startsWith(path + "[]"))
                .filter(r -> r.kind().name() != Kind.Name.OBJECT).anyMatch(r -> tier.sees(r.tier()));
    }

    @Test
    void everyAttributeIsShownToExactlyTheTiersEntitledToIt() {
        ObjectNode full = everything();
        for (Tier tier : Tier.values()) {
            JsonNode shown = AttributeTable.get().filter(full, tier);
            for (Attribute row : AttributeTable.get().rows()) {
                boolean expected = row.kind().name() == Kind.Name.OBJECT ? anyVisible(row.path(), tier) : listVisible(row.path(), tier);
                assertEquals(expected, at(shown, row.path()) != null, tier + " sees " + row.path() + " (" + row.tier().label() + ")");
                if (tier == Tier.PUBLIC && row.kind().name() != Kind.Name.OBJECT) {
                    assertTrue(row.tier() == Tier.PUBLIC || at(shown, row.path()) == null, "public never sees " + row.path());
                }
            }
            boolean authority = tier == Tier.AUTHORITY;
            assertEquals(authority, shown.has("makerNote"), "an unknown top-level member is for authorities only");
            assertEquals(authority, shown.path("generalProductInformation").has("internalPartNumber"));
            assertEquals(authority, shown.path("circularity").path("safetyMeasures").has("internalDrawing"));
        }
    }

    /** A leaf or list is visible when it and every list it is an item of are visible. */
    private static boolean listVisible(String path, Tier tier) {
        StringBuilder prefix = new StringBuilder();
        for (String segment : path.split("\\.")) {
            prefix.append(prefix.length() == 0 ? "" : ".").append(segment);
            if (segment.endsWith("[]")) {
                Attribute list = AttributeTable.get().row(prefix.substring(0, prefix.length() - 2));
                if (!tier.sees(list.tier())) {
                    return false;
                }
            }
        }
        return tier.sees(AttributeTable.get().row(path).tier());
    }

    @Test
    void statusStateAndCustodianAreForLegitimateInterestOnly() {
        for (String path : List.of("generalProductInformation.batteryStatus", "lifecycle.state", "lifecycle.custodian", "generalProductInformation.puttingIntoService")) {
            assertEquals(Tier.LEGITIMATE_INTEREST, AttributeTable.get().row(path).tier(), path + " (Annex XIII 4)");
        }
        JsonNode shown = AttributeTable.get().filter(everything(), Tier.PUBLIC);
        assertFalse(shown.path("generalProductInformation").has("batteryStatus"));
        assertFalse(shown.has("lifecycle"));
    }

    @Test
    void aFullyDeclaredSectionValidatesAgainstItsBatteryPassSchemaAtTheAuthorityTier() {
        JsonNode shown = AttributeTable.get().filter(everything(), Tier.AUTHORITY);
        for (String section : BatteryPassSchemas.FILES.keySet()) {
            assertTrue(BatteryPassSchemas.validate(section, shown.get(section)).isEmpty(), section + ": " + BatteryPassSchemas.validate(section, shown.get(section)));
        }
    }
}
