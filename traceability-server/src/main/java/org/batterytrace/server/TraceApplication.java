package org.batterytrace.server;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Contact;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.servers.ServerVariable;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@ApplicationPath("/api/v1")
@OpenAPIDefinition(
        info = @Info(title = "Battery traceability API", version = "1.0.0",
                description = "Signed, transparency-logged custody records for EV traction batteries (GB/T 34014, EU 2023/1542). "
                        + "Errors are application/problem+json (RFC 9457).",
                contact = @Contact(name = "Battery traceability maintainers", url = "https://batterytrace.org"),
                license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        tags = {
                @Tag(name = "organizations", description = "Enterprises, roles, white-list status, keys and API tokens"),
                @Tag(name = "batteries", description = "Battery registration, state, history and evidence"),
                @Tag(name = "records", description = "Prepare, sign and submit lifecycle records"),
                @Tag(name = "transfers", description = "Two-party custody transfers"),
                @Tag(name = "log", description = "Transparency log: checkpoints, proofs, entries"),
                @Tag(name = "witness", description = "This server as a C2SP tlog-witness for other logs"),
                @Tag(name = "compliance", description = "Reporting deadlines (15 or 30 Chinese working days) and late uploads"),
                @Tag(name = "exports", description = "GS1 EPCIS 2.0 event queries and the JSON-LD context of the bt: extension"),
                @Tag(name = "recycling", description = "Recycling lots: inputs, mass balance, assays and their records"),
                @Tag(name = "reports", description = "Regulator reports: stock, record flows, cascade share, recovery, missing uploads")
        },
        servers = @Server(url = "{scheme}://{host}", description = "Your server; by default one started with ./mvnw quarkus:dev or java -jar on this machine",
                variables = {@ServerVariable(name = "scheme", defaultValue = "http", enumeration = {"http", "https"}, description = "https in production"),
                        @ServerVariable(name = "host", defaultValue = "localhost:8080", description = "host and port")}))
@SecurityScheme(securitySchemeName = TraceApplication.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "API token of the acting organization, or the platform administrator token")
public class TraceApplication extends Application {
    public static final String BEARER = "bearer";
    /** Pages of at most 500 items: page × size stays far below 2^31 rows, which databases take as an offset. */
    public static final int MAX_PAGE = 1_000_000;
}
