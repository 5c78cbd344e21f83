package org.batterytrace.server.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;

/**
 * Documents the application/problem+json (RFC 9457) errors each operation can answer with: 401/403
 * only where a token is required, 404 on paths naming a resource and on writes, 409/413/422 only on writes.
 */
public class ProblemResponsesFilter implements OASFilter {
    private static final Map<String, String> ERRORS = Map.of(
            "400", "Malformed request, record or identifier",
            "401", "Missing or invalid API token",
            "403", "Not allowed for this organization or role",
            "404", "No such resource",
            "409", "Conflict with the current state (sequence taken, already exists)",
            "413", "Request body larger than the server accepts",
            "422", "Well-formed but breaks a signature, lifecycle, custody or event-data rule");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            List<String> codes = new ArrayList<>(List.of("400"));
            boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
            if (secured) {
                codes.add("401");
                codes.add("403");
            }
            boolean write = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT;
            if (path.contains("{") || write) {
                codes.add("404");
            }
            if (write) {
                codes.add("409");
                codes.add("413");
                codes.add("422");
            }
            document(operation, codes);
        }));
    }

    private static void document(Operation operation, List<String> codes) {
        if (operation.getResponses() == null) {
            return;
        }
        Content problem = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/Problem")));
        for (String code : codes) {
            if (!operation.getResponses().hasAPIResponse(code)) {
                operation.getResponses().addAPIResponse(code, OASFactory.createAPIResponse().description(ERRORS.get(code)).content(problem));
            }
        }
    }
}
