package org.batterytrace.server.passport;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.batterytrace.record.Json;

/**
 * The Battery Pass 1.2.0 JSON schemas (vendored under test resources, CC-BY-4.0; see batterypass-1.2.0/NOTICE.md),
 * one per passport section. They declare draft-04 ({@code "$schema": "http://json-schema.org/draft-04/schema"}),
 * so they are read as draft-04. Most files are UTF-16 as published; the byte-order mark decides.
 */
public final class BatteryPassSchemas {
    /** Passport section -> schema file. */
    public static final Map<String, String> FILES = new LinkedHashMap<>();
    private static final Map<String, JsonSchema> SCHEMAS = new LinkedHashMap<>();

    static {
        FILES.put("generalProductInformation", "GeneralProductInformation-schema.json");
        FILES.put("carbonFootprint", "CarbonFootprintForBatteries-schema.json");
        FILES.put("supplyChainDueDiligence", "SupplyChainDueDiligence-schema.json");
        FILES.put("materialComposition", "MaterialComposition-schema.json");
        FILES.put("circularity", "Circularity-schema.json");
        FILES.put("performanceAndDurability", "PerformanceAndDurability-schema.json");
        FILES.put("labels", "Labeling-schema.json");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        FILES.forEach((section, file) -> SCHEMAS.put(section, factory.getSchema(read("/batterypass-1.2.0/" + file))));
    }

    private BatteryPassSchemas() {
    }

    static JsonNode read(String resource) {
        try (InputStream in = BatteryPassSchemas.class.getResourceAsStream(resource)) {
            byte[] bytes = in.readAllBytes();
            boolean utf16 = bytes.length > 1 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE;
            String text = utf16 ? new String(bytes, StandardCharsets.UTF_16) : new String(bytes, StandardCharsets.UTF_8);
            return Json.parse(text.charAt(0) == '\uFEFF' ? text.substring(1) : text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema errors of {@code section}'s content (empty = valid). */
    public static Set<ValidationMessage> validate(String section, JsonNode content) {
        return SCHEMAS.get(section).validate(content);
    }
}
