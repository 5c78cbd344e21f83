package org.batterytrace.server.access;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.problem.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/** An organization grants auditors read access to its batteries, optionally for a time, revocably. */
@Path("/organizations/{id}/auditor-grants")
@Tag(name = "organizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = TraceApplication.BEARER)
public class AuditorGrantResource {
    @Inject
    Caller caller;
    @Inject
    AuditorGrantService grants;

    @Schema(name = "NewAuditorGrant")
    public record NewGrant(@NotBlank @Schema(description = "credit code of an organization with the AUDITOR role") String auditor,
            @Schema(description = "RFC 3339; default now") String validFrom,
            @Schema(description = "RFC 3339; open-ended when absent") String validUntil) {
    }

    @Schema(name = "AuditorGrant", description = "Read access to the grantor's batteries; logged as AUDITOR_GRANTED / AUDITOR_GRANT_REVOKED entries")
    public record GrantView(String id, String grantor, String auditor, Instant validFrom, Instant validUntil, Instant createdAt, Instant revokedAt,
            long logIndex, Long revocationLogIndex) {
        static GrantView of(AuditorGrantEntity g) {
            return new GrantView(g.id, g.grantor, g.auditor, g.validFrom, g.validUntil, g.createdAt, g.revokedAt, g.logIndex, g.revocationLogIndex);
        }
    }

    @POST
    @ResponseStatus(201)
    @Operation(operationId = "grantAuditor", summary = "Grant an auditor access",
            description = "Grant an auditor read access to the organization's batteries (the organization itself); logged.")
    @APIResponse(responseCode = "201", description = "Granted and logged", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GrantView.class)))
    public GrantView grant(@PathParam("id") String id, @Valid @NotNull NewGrant request) {
        caller.requireSelf(id);
        return GrantView.of(grants.grant(id, request.auditor(), time("validFrom", request.validFrom()), time("validUntil", request.validUntil())));
    }

    @GET
    @Operation(operationId = "listAuditorGrants", summary = "List auditor grants",
            description = "Auditor grants the organization gave or received (the organization itself or the administrator).")
    public List<GrantView> list(@PathParam("id") String id) {
        caller.requireAdminOr(id);
        return grants.grantsOf(id).stream().map(GrantView::of).toList();
    }

    @POST
    @Path("/{grantId}/revoke")
    @Operation(operationId = "revokeAuditorGrant", summary = "Revoke an auditor grant",
            description = "Revoke an auditor grant from now on (the granting organization or the administrator); logged.")
    public GrantView revoke(@PathParam("id") String id, @PathParam("grantId") String grantId) {
        caller.requireAdminOr(id);
        return GrantView.of(grants.revoke(id, grantId));
    }

    private static Instant time(String name, String value) {
        try {
            return value == null ? null : java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.badRequest("invalid-request", name + " must be an RFC 3339 time like 2026-11-01T00:00:00+08:00, got " + value);
        }
    }
}
