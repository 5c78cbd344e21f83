package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed contract in openapi/ must equal what the server generates. After an intended API
 * change, regenerate it with:
 * {@code ./mvnw -pl traceability-server -am verify -DskipITs -Dtest=OpenApiContractTest -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.update=true}
 */
@QuarkusTest
class OpenApiContractTest {
    private static final Path CONTRACT = Path.of("..", "openapi", "traceability-api.yaml");

    @Test
    void generatedSpecMatchesTheCommittedContract() throws Exception {
        String generated = given().get("/q/openapi?format=yaml").then().statusCode(200).extract().asString().replace("\r\n", "\n");
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(CONTRACT.getParent());
            Files.writeString(CONTRACT, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.readString(CONTRACT, StandardCharsets.UTF_8).replace("\r\n", "\n");
        assertEquals(committed, generated, "the API changed: review the diff and regenerate openapi/traceability-api.yaml (see this test's javadoc)");
    }
}
