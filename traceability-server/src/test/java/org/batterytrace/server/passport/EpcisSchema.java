package org.batterytrace.server.passport;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/** The official GS1 EPCIS 2.0 JSON schema (draft-07; vendored under test resources, see gs1-epcis/NOTICE.md). */
public final class EpcisSchema {
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
            .getSchema(BatteryPassSchemas.read("/gs1-epcis/EPCIS-JSON-Schema.json"));

    private EpcisSchema() {
    }

    /** The schema errors of an EPCISDocument, EPCISQueryDocument or single event (empty = valid). */
    public static Set<ValidationMessage> validate(JsonNode document) {
        return SCHEMA.validate(document);
    }
}
