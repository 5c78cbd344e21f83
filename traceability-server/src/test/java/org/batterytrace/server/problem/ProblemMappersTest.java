package org.batterytrace.server.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The kinds no client can provoke on purpose: a fault of the server's, and losing a race on a unique key. */
class ProblemMappersTest {
    private final ProblemMappers mappers = new ProblemMappers();
    private final jakarta.ws.rs.core.UriInfo uri = (jakarta.ws.rs.core.UriInfo) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {jakarta.ws.rs.core.UriInfo.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getPath" -> "/x";
                case "getRequestUri" -> java.net.URI.create("http://localhost:8080/api/v1/x");
                default -> null;
            });

    @Test
    void aServerFaultIsAn500WithoutItsInternals() {
        Response response = mappers.unexpected(new IllegalStateException("secret internal detail in com.example.Foo"), uri);
        assertEquals(500, response.getStatus());
        Problem problem = (Problem) response.getEntity();
        assertEquals(ProblemKind.INTERNAL.type(), problem.type());
        assertFalse(problem.detail().contains("secret"), problem.detail());
        assertEquals("/api/v1/x", problem.instance(), "the request's own path, not the one below the API's root");
    }

    /** An answer that could not be written because its connection closed (a client gone, a server stopping) is no server fault. */
    @Test
    void anAnswerCutOffByAClosedConnectionIsToldApartFromAServerFault() {
        assertTrue(ProblemMappers.connectionClosed(new java.io.IOException(new java.io.IOException("Failed to write"))));
        assertTrue(ProblemMappers.connectionClosed(new IllegalStateException(new java.nio.channels.ClosedChannelException())));
        assertFalse(ProblemMappers.connectionClosed(new java.io.IOException("disk full")));
        assertFalse(ProblemMappers.connectionClosed(new com.fasterxml.jackson.core.JsonGenerationException("Failed to write a bean", (com.fasterxml.jackson.core.JsonGenerator) null)));
        assertFalse(ProblemMappers.connectionClosed(new IllegalStateException("secret internal detail")));
    }

    @Test
    void aUniqueViolationLostToAConcurrentWriterIsA409() {
        var violation = new org.hibernate.exception.ConstraintViolationException("duplicate key", new SQLException("duplicate key", "23505"), "uk_x");
        Response response = mappers.persistence(new jakarta.persistence.PersistenceException(violation), uri);
        assertEquals(409, response.getStatus());
        assertEquals(ProblemKind.CONCURRENT_UPDATE.type(), ((Problem) response.getEntity()).type());
    }
}
