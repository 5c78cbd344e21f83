package org.batterytrace.server.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9457 problem details. {@code errors} lists per-item failures of a bulk request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(description = "URI naming the kind of problem", examples = ProblemKind.TYPE_PREFIX + "seq-conflict") String type,
        String title,
        int status,
        String detail,
        @Schema(description = "The path of the request that met the problem", examples = "/api/v1/records") String instance,
        @Schema(description = "Per-item errors of a bulk request") List<ItemError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One failed item of a bulk request, by its position in the request. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemError(int index, String type, int status, String detail) {
    }
}
