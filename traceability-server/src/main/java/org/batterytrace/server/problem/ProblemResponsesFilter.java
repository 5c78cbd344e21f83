package org.batterytrace.server.problem;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.batterytrace.server.TraceApplication;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Writes the contract's conventions once instead of on every operation: the application/problem+json
 * (RFC 9457) errors each operation can answer with, and the security of operations that need no token.
 * Runs once, at build time, on the document the build stores in the jar, instead of at every start-up.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {
    /** Public operations whose answer depends on the caller: a token raises the passport tier or shows record contents. */
    static final Set<String> OPTIONAL_BEARER = Set.of("getPassport", "getPassportPage", "listLogEntries");
    /** Operations whose answers carry Cache-Control and an ETag ({@code server/cache}): they take If-None-Match and may answer 304. */
    static final Set<String> CONDITIONAL = Set.of("getLogKey", "getCheckpoint", "getInclusionProof", "getConsistencyProof", "getMapProof", "getBatterySummary",
            "getPassport", "getPassportPage");

    private static final Map<String, String> ERRORS = new LinkedHashMap<>();

    static {
        ERRORS.put("400", "Malformed request, record or identifier");
        ERRORS.put("401", "Missing or invalid API token");
        ERRORS.put("403", "Not allowed for this organization or role");
        ERRORS.put("404", "No such resource");
        ERRORS.put("406", "None of the media types in Accept can be produced");
        ERRORS.put("409", "Conflict with the current state (sequence taken, already exists)");
        ERRORS.put("411", "A single record sent with a chunked body: send its Content-Length");
        ERRORS.put("413", "Request body larger than the server accepts");
        ERRORS.put("414", "Request target longer than 8 KiB");
        ERRORS.put("415", "Request body in a media type this operation does not take");
        ERRORS.put("422", "Well-formed but breaks a signature, lifecycle, custody or event-data rule");
        ERRORS.put("429", "Too many failed authentications from this address; retry after Retry-After seconds");
        ERRORS.put("503", "The database is unavailable, the instance is stopping, or (for writes) more records are waiting to be logged than the server queues; retry after Retry-After seconds");
    }

    /** java.time types become inline strings: a schema named LocalDate clashes with generated clients' own types. */
    private static final Map<String, String> INLINE_FORMATS = Map.of("#/components/schemas/Instant", "date-time", "#/components/schemas/LocalDate", "date");

    /**
     * A reference stands alone: a {@code type} beside {@code $ref} (from a JsonNode field documented by its
     * implementation) makes generators drop one of the two.
     */
    @Override
    public Schema filterSchema(Schema schema) {
        String ref = schema.getRef();
        if (ref != null && INLINE_FORMATS.containsKey(ref)) {
            schema.setRef(null);
            schema.setType(List.of(Schema.SchemaType.STRING));
            schema.setFormat(INLINE_FORMATS.get(ref));
        } else if (ref != null) {
            schema.setType(null);
        }
        return schema;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() != null && openAPI.getComponents().getSchemas() != null) {
            INLINE_FORMATS.keySet().forEach(ref -> openAPI.getComponents().removeSchema(ref.substring(ref.lastIndexOf('/') + 1)));
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
            if (!secured) {
                operation.setSecurity(publicSecurity(operation.getOperationId()));
            }
            List<String> codes = new ArrayList<>(List.of("400"));
            if (secured) {
                codes.add("401");
                codes.add("403");
            }
            boolean write = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT;
            if (path.contains("{") || write) {
                codes.add("404");
            }
            codes.add("406");
            if (write) {
                codes.add("409");
                codes.add("422");
            }
            if ("submitRecord".equals(operation.getOperationId())) {
                codes.add("411");
            }
            if (operation.getRequestBody() != null) {
                codes.add("413");
                codes.add("415");
            }
            codes.add("414");
            if (secured || OPTIONAL_BEARER.contains(operation.getOperationId())) {
                codes.add("429");
            }
            codes.add("503");
            document(operation, codes);
            if (CONDITIONAL.contains(operation.getOperationId())) {
                conditional(operation);
            }
        }));
    }

    /** RFC 9110 §13.1.2 and RFC 9111: the tag to send back, the cache policy, and the bodiless 304. */
    private static void conditional(Operation operation) {
        operation.addParameter(OASFactory.createParameter().name("If-None-Match").in(org.eclipse.microprofile.openapi.models.parameters.Parameter.In.HEADER)
                .description("An ETag of an earlier answer: 304 without a body while it is still current")
                .schema(OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING)));
        APIResponse ok = operation.getResponses().getAPIResponse("200");
        if (ok != null) {
            ok.addHeader("ETag", OASFactory.createHeader().description("Weak entity tag of the answer's content")
                    .schema(OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING)));
            ok.addHeader("Cache-Control", OASFactory.createHeader().description("How long caches may keep the answer: immutable for a pinned tree size, "
                    + "public for anonymous public documents, private for answers to a token")
                    .schema(OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING)));
        }
        operation.getResponses().addAPIResponse("304", OASFactory.createAPIResponse().description("Not modified: the tag in If-None-Match is current"));
    }

    /** Anonymous access stated explicitly ({@code [{}]}), plus the bearer scheme where a token changes the answer. */
    private static List<SecurityRequirement> publicSecurity(String operationId) {
        List<SecurityRequirement> security = new ArrayList<>(List.of(OASFactory.createSecurityRequirement()));
        if (OPTIONAL_BEARER.contains(operationId)) {
            security.add(OASFactory.createSecurityRequirement().addScheme(TraceApplication.BEARER));
        }
        return security;
    }

    private static void document(Operation operation, List<String> codes) {
        if (operation.getResponses() == null) {
            return;
        }
        for (String code : codes) {
            APIResponse existing = operation.getResponses().getAPIResponse(code);
            if (existing == null) {
                operation.getResponses().addAPIResponse(code, OASFactory.createAPIResponse().description(ERRORS.get(code)).content(problem()));
            } else if (existing.getContent() == null || existing.getContent().getMediaTypes() == null || existing.getContent().getMediaTypes().isEmpty()) {
                existing.content(problem());
            }
        }
    }

    private static Content problem() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/Problem")));
    }
}
