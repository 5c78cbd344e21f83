package org.batterytrace.server.organization;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.auth.ApiTokenEntity;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.key.KeyService;
import org.batterytrace.server.key.OrgKeyEntity;
import org.batterytrace.server.organization.OrganizationDtos.IssuedToken;
import org.batterytrace.server.organization.OrganizationDtos.KeyView;
import org.batterytrace.server.organization.OrganizationDtos.NewKey;
import org.batterytrace.server.organization.OrganizationDtos.NewOrganization;
import org.batterytrace.server.organization.OrganizationDtos.NewToken;
import org.batterytrace.server.organization.OrganizationDtos.OrganizationView;
import org.batterytrace.server.organization.OrganizationDtos.Qualification;
import org.batterytrace.server.organization.OrganizationDtos.TokenView;
import org.batterytrace.server.problem.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/organizations")
@Tag(name = "organizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrganizationResource {
    @Inject
    Caller caller;
    @Inject
    OrganizationService organizations;
    @Inject
    KeyService keys;

    @POST
    @ResponseStatus(201)
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "createOrganization", summary = "Register an organization",
            description = "Register an organization (platform administrator).")
    @APIResponse(responseCode = "201", description = "Registered", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrganizationView.class)))
    public OrganizationView register(@Valid @NotNull NewOrganization request) {
        caller.requireAdmin();
        return OrganizationView.of(organizations.register(request));
    }

    @GET
    @Operation(operationId = "listOrganizations", summary = "List organizations",
            description = "List organizations, e.g. the white-listed recyclers (public).")
    public List<OrganizationView> list(@QueryParam("role") Role role, @QueryParam("qualified") Boolean qualified,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(TraceApplication.MAX_PAGE) int page, @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return organizations.list(role, qualified, page, size).stream().map(OrganizationView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getOrganization", summary = "Get an organization",
            description = "One organization (public).")
    public OrganizationView get(@PathParam("id") String id) {
        return OrganizationView.of(organizations.require(id));
    }

    @PUT
    @Path("/{id}/qualification")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "setQualification", summary = "Set white-list status",
            description = "Set white-list (qualification) status (platform administrator).")
    public OrganizationView qualify(@PathParam("id") String id, @Valid @NotNull Qualification qualification) {
        caller.requireAdmin();
        return OrganizationView.of(organizations.qualify(id, qualification));
    }

    @GET
    @Path("/{id}/keys")
    @Operation(operationId = "listKeys", summary = "List an organization's keys",
            description = "Public keys of an organization, with validity (public).")
    public List<KeyView> keys(@PathParam("id") String id) {
        return keys.keysOf(id).stream().map(OrganizationResource::view).toList();
    }

    @POST
    @Path("/{id}/keys")
    @ResponseStatus(201)
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "registerKey", summary = "Register a signing key",
            description = "Register a public key (the organization or the administrator); logged as KEY_REGISTERED.")
    @APIResponse(responseCode = "201", description = "Registered and logged", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = KeyView.class)))
    public KeyView registerKey(@PathParam("id") String id, @Valid @NotNull NewKey request) {
        caller.requireAdminOr(id);
        if (request.validFrom() != null && !caller.isAdmin()) {
            throw ProblemException.forbidden("admin-required", "only the platform administrator may register a key valid from the past (back-filling)");
        }
        return view(keys.register(id, request.publicKeyPem(), request.validFrom() == null ? null : TraceRecord.parseTime(request.validFrom())));
    }

    @POST
    @Path("/{id}/keys/{keyId}/revoke")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "revokeKey", summary = "Revoke a signing key",
            description = "Revoke a key from now on; logged as KEY_REVOKED.")
    public KeyView revokeKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
        caller.requireAdminOr(id);
        return view(keys.revoke(id, keyId));
    }

    @POST
    @Path("/{id}/keys/{keyId}/rotate")
    @ResponseStatus(201)
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "rotateKey", summary = "Rotate a signing key",
            description = "Register a new key and revoke this one, atomically.")
    @APIResponse(responseCode = "201", description = "The new key, registered; the old one revoked", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = KeyView.class)))
    public KeyView rotateKey(@PathParam("id") String id, @PathParam("keyId") String keyId, @Valid @NotNull NewKey request) {
        caller.requireAdminOr(id);
        return view(keys.rotate(id, keyId, request.publicKeyPem()));
    }

    @POST
    @Path("/{id}/tokens")
    @ResponseStatus(201)
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "issueToken", summary = "Issue an API token",
            description = "Issue an API token; the secret is returned once.")
    @APIResponse(responseCode = "201", description = "Issued; the secret is in this answer only", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssuedToken.class)))
    public IssuedToken issueToken(@PathParam("id") String id, @Valid NewToken request) {
        caller.requireAdminOr(id);
        return organizations.issueToken(id, request == null ? null : request.label());
    }

    @GET
    @Path("/{id}/tokens")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "listTokens", summary = "List API tokens",
            description = "List API tokens (without secrets).")
    public List<TokenView> tokens(@PathParam("id") String id) {
        caller.requireAdminOr(id);
        return organizations.tokens(id).stream().map(OrganizationResource::view).toList();
    }

    @POST
    @Path("/{id}/tokens/{tokenId}/revoke")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "revokeToken", summary = "Revoke an API token",
            description = "Revoke an API token.")
    public TokenView revokeToken(@PathParam("id") String id, @PathParam("tokenId") String tokenId) {
        caller.requireAdminOr(id);
        return view(organizations.revokeToken(id, tokenId));
    }

    private static KeyView view(OrgKeyEntity k) {
        return new KeyView(k.keyId, k.alg, k.publicKeyPem, k.validFrom, k.revokedAt, k.logIndex);
    }

    private static TokenView view(ApiTokenEntity t) {
        return new TokenView(t.id, t.label, t.createdAt, t.revokedAt);
    }
}
