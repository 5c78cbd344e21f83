package org.batterytrace.server;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@ApplicationPath("/api/v1")
@OpenAPIDefinition(
        info = @Info(title = "Battery traceability API", version = "1.0.0",
                description = "Signed, transparency-logged custody records for EV traction batteries (GB/T 34014, EU 2023/1542). "
                        + "Errors are application/problem+json (RFC 9457).",
                license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        tags = {
                @Tag(name = "organizations", description = "Enterprises, roles, white-list status, keys and API tokens"),
                @Tag(name = "batteries", description = "Battery registration, state, history and evidence"),
                @Tag(name = "records", description = "Prepare, sign and submit lifecycle records"),
                @Tag(name = "transfers", description = "Two-party custody transfers"),
                @Tag(name = "log", description = "Transparency log: checkpoints, proofs, entries"),
                @Tag(name = "witness", description = "This server as a C2SP tlog-witness for other logs")
        })
@SecurityScheme(securitySchemeName = TraceApplication.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "API token of the acting organization, or the platform administrator token")
public class TraceApplication extends Application {
    public static final String BEARER = "bearer";
    /** Pages of at most 500 items: page × size stays far below 2^31 rows, which databases take as an offset. */
    public static final int MAX_PAGE = 1_000_000;
}
