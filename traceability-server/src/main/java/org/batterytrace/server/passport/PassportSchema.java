package org.batterytrace.server.passport;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.batterytrace.passport.Attribute;
import org.batterytrace.passport.AttributeTable;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * The passport's typed OpenAPI schema and its JSON-LD context, both generated from the attribute table, so
 * the contract, the tiers and the validation cannot disagree about a member.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class PassportSchema implements OASFilter {
    public static final String NAME = "#/components/schemas/Passport";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Namespace of the platform's own passport members. */
    public static final String NAMESPACE = "https://batterytrace.org/passport/";
    /** The SAMM aspect behind each Battery Pass section (Battery Pass data model 1.2.0). */
    static final Map<String, String> ASPECTS = Map.of(
            "generalProductInformation", "urn:samm:io.BatteryPass.GeneralProductInformation:1.2.0#",
            "carbonFootprint", "urn:samm:io.BatteryPass.CarbonFootprint:1.2.0#",
            "supplyChainDueDiligence", "urn:samm:io.BatteryPass.SupplyChainDueDiligence:1.2.0#",
            "materialComposition", "urn:samm:io.BatteryPass.MaterialComposition:1.2.0#",
            "circularity", "urn:samm:io.BatteryPass.Circularity:1.2.0#",
            "performanceAndDurability", "urn:samm:io.BatteryPass.Performance:1.2.0#",
            "labels", "urn:samm:io.BatteryPass.Labels:1.2.0#");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Passport", schema());
    }

    /** An object schema with one property per table row; every member is optional, since tiers and data decide presence. */
    static Schema schema() {
        Map<String, Schema> byPath = new HashMap<>();
        Schema root = OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.OBJECT))
                .description("EU battery passport (Reg. (EU) 2023/1542 Art. 77) in the sections of the Battery Pass data model 1.2.0, "
                        + "filtered for the caller's access tier. Members outside this schema are signed declarations shown to authorities only.");
        byPath.put("", root);
        for (Attribute a : AttributeTable.get().rows()) {
            Schema s = leaf(a);
            String path = a.path();
            if (path.endsWith("[]")) {
                byPath.get(path.substring(0, path.length() - 2)).items(s);
            } else {
                int dot = path.lastIndexOf('.');
                String parent = dot < 0 ? "" : path.substring(0, dot);
                byPath.get(parent).addProperty(a.member(), s);
            }
            byPath.put(path, s);
        }
        return root;
    }

    private static Schema leaf(Attribute a) {
        Schema s = OASFactory.createSchema().description(a.labelEn() + " (longlist " + a.longlist() + "; " + a.tier().label() + ")");
        switch (a.kind().name()) {
            case OBJECT -> s.type(java.util.List.of(Schema.SchemaType.OBJECT));
            // Rows below a list (path[]) replace these items; lists without rows hold objects.
            case LIST -> s.type(java.util.List.of(Schema.SchemaType.ARRAY)).items(OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.OBJECT)));
            case TEXTLIST -> s.type(java.util.List.of(Schema.SchemaType.ARRAY)).items(OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)));
            case NUMBER -> {
                s.type(java.util.List.of(Schema.SchemaType.NUMBER));
                if (a.kind().min() != null) {
                    s.minimum(a.kind().min()).maximum(a.kind().max());
                }
            }
            case INTEGER -> s.type(java.util.List.of(Schema.SchemaType.INTEGER)).minimum(BigDecimal.ZERO);
            case BOOLEAN -> s.type(java.util.List.of(Schema.SchemaType.BOOLEAN));
            case URI -> s.type(java.util.List.of(Schema.SchemaType.STRING)).format("uri");
            case DATETIME -> s.type(java.util.List.of(Schema.SchemaType.STRING)).format("date-time");
            case CAS -> s.type(java.util.List.of(Schema.SchemaType.STRING)).pattern("^[0-9]{2,7}-[0-9]{2}-[0-9]$");
            case EMAIL -> s.type(java.util.List.of(Schema.SchemaType.STRING)).format("email");
            case GMONTH -> s.type(java.util.List.of(Schema.SchemaType.STRING)).pattern("^--(0[1-9]|1[0-2])$");
            case ENUM -> s.type(java.util.List.of(Schema.SchemaType.STRING)).enumeration(java.util.List.copyOf(a.kind().values()));
            default -> s.type(java.util.List.of(Schema.SchemaType.STRING));
        }
        return s;
    }

    /**
     * The passport as JSON-LD 1.1: {@code @id} is the page address; each Battery Pass section's members are
     * terms of its SAMM aspect, the platform's own members terms of {@link #NAMESPACE}.
     */
    public static ObjectNode jsonLd(ObjectNode passport, String pageUrl) {
        ObjectNode ld = F.objectNode();
        ObjectNode context = ld.putObject("@context");
        context.put("@version", 1.1);
        context.put("@vocab", NAMESPACE);
        ASPECTS.forEach((section, vocab) -> context.putObject(section).put("@id", vocab + section).putObject("@context").put("@vocab", vocab));
        context.putObject("additionalDeclarations").put("@id", NAMESPACE + "additionalDeclarations").put("@type", "@json");
        context.putObject("certificates").put("@id", NAMESPACE + "certificates").put("@type", "@json");
        ld.put("@id", pageUrl);
        ld.put("@type", NAMESPACE + "BatteryPassport");
        ld.setAll(passport);
        return ld;
    }
}
