package org.batterytrace.server.battery;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.batterytrace.export.Epcis;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.cache.CachePolicy;
import org.batterytrace.server.evidence.EvidenceDocs;
import org.batterytrace.server.evidence.EvidenceService;
import org.batterytrace.server.export.EpcisDocs;
import org.batterytrace.server.export.EpcisResource;
import org.batterytrace.server.export.EpcisService;
import org.batterytrace.server.log.LogResource;
import org.batterytrace.server.passport.PassportLinks;
import org.batterytrace.server.passport.PassportSchema;
import org.batterytrace.server.passport.PassportService;
import org.batterytrace.server.passport.QrCodes;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.record.RecordBatches;
import org.batterytrace.server.record.RecordDtos.BatchDoc;
import org.batterytrace.server.record.RecordDtos.BatchResult;
import org.batterytrace.server.record.RecordDtos.LoggedView;
import org.batterytrace.server.record.RecordIngest;
import org.batterytrace.server.record.RecordResource;
import org.batterytrace.server.time.TraceClock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/batteries")
@Tag(name = "batteries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BatteryResource {
    @Inject
    TraceClock clock;
    @Inject
    Caller caller;
    @Inject
    TraceConfig config;
    @Inject
    BatteryService batteries;
    @Inject
    EvidenceService evidence;
    @Inject
    RecordIngest ingest;
    @Inject
    EpcisService epcisService;
    @Inject
    CascadeCodeService cascadeCodes;
    @Inject
    PassportService passports;
    @Inject
    ReadPolicy readPolicy;

    /** 401 without a token, 400/404 for a malformed or unknown code, 403 for a caller who may not read its records. */
    private void requireReadable(String code) {
        caller.requireAuthenticated();
        batteries.require(code);
        readPolicy.requireRecords(code);
    }

    @Inject
    PassportLinks links;
    @Context
    UriInfo uri;

    @POST
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "registerBatteries", summary = "Register batteries in bulk",
            description = "Register batteries in bulk: signed PRODUCED (or ASSEMBLED) records, packs before their modules and cells; safe to retry.")
    @RequestBody(content = @Content(schema = @Schema(implementation = BatchDoc.class)))
    @APIResponse(responseCode = "201", description = "Registered", content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @APIResponse(responseCode = "200", description = "Every record was logged before (an identical resubmission): the original acknowledgements",
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    public RestResponse<BatchResult> register(@NotNull JsonNode body) {
        return RecordResource.respond(BatchResult.of(ingest.submit(RecordBatches.parse(body), caller.requireCredential(), RecordIngest.Mode.REGISTRATION)));
    }

    @POST
    @Path("/cascade-codes")
    @ResponseStatus(201)
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "issueCascadeCodes", summary = "Issue cascade-product codes",
            description = "Issue new 19-character cascade-product codes under the cascade enterprise's manufacturer code (register them with ASSEMBLED).")
    @APIResponse(responseCode = "201", description = "Issued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CascadeCodeService.Issued.class)))
    public CascadeCodeService.Issued cascadeCodes(@NotNull CascadeCodeService.Request request) {
        return cascadeCodes.issue(caller.requireOrganization(), request);
    }

    @GET
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "listBatteries", summary = "Find batteries",
            description = "Find batteries by state, custodian, maker or level, a page at a time; lists only batteries whose records the caller may read.")
    public BatteryDtos.Page search(@QueryParam("state") BatteryState state, @QueryParam("custodian") String custodian, @QueryParam("maker") String maker,
            @QueryParam("level") ProductLevel level, @QueryParam("page") @DefaultValue("0") @Min(0) @Max(TraceApplication.MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return batteries.search(state, custodian, maker, level, page, size, readPolicy.batteryCondition());
    }

    @GET
    @Path("/{code}/summary")
    @Operation(operationId = "getBatterySummary", summary = "Get a battery's public summary",
            description = "Public summary of a battery: identity, chemistry, maker (no token needed).")
    public RestResponse<BatteryDtos.Summary> summary(@PathParam("code") String code) {
        return LogResource.cached(BatteryDtos.Summary.of(batteries.require(code)),
                CachePolicy.publicDocument(caller.organization().isEmpty() && !caller.isAdmin(), false, config.passport().publicMaxAge()));
    }

    @GET
    @Path("/{code}")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "getBattery", summary = "Get a battery",
            description = "Battery details: state, custodian, pack/module/cell and cascade links.")
    public BatteryDtos.Details details(@PathParam("code") String code) {
        requireReadable(code);
        return batteries.details(code);
    }

    @GET
    @Path("/{code}/history")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "getBatteryHistory", summary = "Get a battery's signed records",
            description = "The battery's signed records in chain order, with log indexes.")
    public List<LoggedView> history(@PathParam("code") String code) {
        requireReadable(code);
        return batteries.history(code).stream().map(RecordResource::view).toList();
    }

    @GET
    @Path("/{code}/epcis")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "getBatteryEpcis", summary = "Get a battery as EPCIS",
            description = "The battery's records as a GS1 EPCIS 2.0 JSON-LD document (mapping: docs/epcis-mapping.md).")
    @Produces({EpcisResource.LD_JSON, MediaType.APPLICATION_JSON})
    @APIResponse(responseCode = "200", description = "The EPCIS document", content = {@Content(mediaType = EpcisResource.LD_JSON, schema = @Schema(implementation = EpcisDocs.Document.class)), @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EpcisDocs.Document.class))})
    public JsonNode epcis(@PathParam("code") String code) {
        requireReadable(code);
        return Epcis.document(epcisService.chain(batteries.history(code)), clock.now(), EpcisResource.contextUrl(uri));
    }

    @GET
    @Path("/{code}/passport")
    @Operation(operationId = "getPassport", summary = "Get a battery passport",
            description = "EU battery passport (Battery Pass 1.2.0 sections); the caller's role selects the tier: public (no token), legitimate interest, authority.")
    @APIResponse(responseCode = "200", description = "The passport, filtered for the caller's tier",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = PassportSchema.NAME)))
    public RestResponse<JsonNode> passport(@PathParam("code") String code) {
        batteries.require(code);
        return LogResource.cached(passports.passport(code, readPolicy.passportTier(code), links.page(code, uri)),
                CachePolicy.publicDocument(caller.organization().isEmpty() && !caller.isAdmin(), config.passport().baseUrl().isEmpty(), config.passport().publicMaxAge()));
    }

    @GET
    @Path("/{code}/qr")
    @Produces({"image/png", "image/svg+xml"})
    @Operation(operationId = "getPassportQrCode", summary = "Get the passport QR code",
            description = "QR code of the battery's public passport address (no token needed); PNG or SVG by ?format= or Accept.")
    @APIResponse(responseCode = "200", description = "The QR code", content = {@Content(mediaType = "image/png"), @Content(mediaType = "image/svg+xml")})
    public Response qr(@PathParam("code") String code, @QueryParam("format") String format, @QueryParam("size") @DefaultValue("256") @Min(QrCodes.MIN_SIZE)
            @Max(QrCodes.MAX_SIZE) int size, @HeaderParam("Accept") String accept) {
        batteries.require(code);
        return symbol(links.page(code, uri), QrCodes.Symbology.QR, format, size, accept, links.configured());
    }

    @GET
    @Path("/{code}/label")
    @Produces({"image/png", "image/svg+xml"})
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "getBatteryLabel", summary = "Get a battery's label symbol",
            description = "Label symbol carrying the GB/T 34014 code itself, as Data Matrix (default) or QR, for the battery's maker to print.")
    @APIResponse(responseCode = "200", description = "The label symbol", content = {@Content(mediaType = "image/png"), @Content(mediaType = "image/svg+xml")})
    public Response label(@PathParam("code") String code, @QueryParam("symbology") @DefaultValue("DATAMATRIX") QrCodes.Symbology symbology,
            @QueryParam("format") String format, @QueryParam("size") @DefaultValue("256") @Min(QrCodes.MIN_SIZE) @Max(QrCodes.MAX_SIZE) int size,
            @HeaderParam("Accept") String accept) {
        BatteryEntity battery = batteries.require(code);
        caller.requireAdminOr(battery.maker);
        return symbol(code, symbology, format, size, accept, false);
    }

    private static Response symbol(String text, QrCodes.Symbology symbology, String format, int size, String accept, boolean shareable) {
        boolean svg = format != null ? "svg".equalsIgnoreCase(format) : accept != null && accept.contains("image/svg+xml") && !accept.contains("image/png");
        if (format != null && !svg && !"png".equalsIgnoreCase(format)) {
            throw new ProblemException(ProblemKind.BAD_FORMAT, "format must be png or svg, got " + format);
        }
        com.google.zxing.common.BitMatrix modules = QrCodes.modules(text, symbology);
        Response.ResponseBuilder ok = svg ? Response.ok(QrCodes.svg(modules, size), "image/svg+xml") : Response.ok(QrCodes.png(modules, size), "image/png");
        // A QR code drawn from the request's Host header (no configured base URL) must not reach a shared cache.
        return ok.header("Cache-Control", shareable ? "public, max-age=86400" : "private, no-store").header("X-Content-Type-Options", "nosniff").build();
    }

    @GET
    @Path("/{code}/evidence")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "getBatteryEvidence", summary = "Get a battery's evidence bundle",
            description = "Evidence bundle (trace-evidence/3: records, key events, the organization facts their rules read, inclusion and map proofs, the checkpoint with its witness cosignatures) for offline verification with the core's verifier.")
    @APIResponse(responseCode = "200", description = "The evidence bundle", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvidenceDocs.Bundle.class)))
    public JsonNode evidence(@PathParam("code") String code) {
        requireReadable(code);
        return evidence.bundle(code).toJson();
    }
}
