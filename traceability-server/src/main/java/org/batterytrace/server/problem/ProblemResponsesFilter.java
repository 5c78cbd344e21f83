package org.batterytrace.server.problem;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;

/** Documents on every operation that errors come as application/problem+json (RFC 9457). */
public class ProblemResponsesFilter implements OASFilter {
    private static final Map<String, String> ERRORS = Map.of(
            "400", "Malformed request, record or identifier",
            "401", "Missing or invalid API token",
            "403", "Not allowed for this organization or role",
            "404", "No such resource",
            "409", "Conflict with the current state (sequence taken, already exists)",
            "422", "Well-formed but breaks a signature, lifecycle or custody rule");

    @Override
    public Operation filterOperation(Operation operation) {
        Content problem = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/Problem")));
        ERRORS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (operation.getResponses() != null && !operation.getResponses().hasAPIResponse(e.getKey())) {
                operation.getResponses().addAPIResponse(e.getKey(), OASFactory.createAPIResponse().description(e.getValue()).content(problem));
            }
        });
        return operation;
    }
}
