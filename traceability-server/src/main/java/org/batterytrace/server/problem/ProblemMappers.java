package org.batterytrace.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.persistence.PersistenceException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.stream.Collectors;
import org.batterytrace.identity.InvalidIdentifierException;
import org.batterytrace.lifecycle.EventDataException;
import org.batterytrace.lifecycle.LifecycleViolationException;
import org.batterytrace.record.CanonicalizationException;
import org.batterytrace.record.ChainException;
import org.batterytrace.record.KeyFormatException;
import org.batterytrace.record.RecordFormatException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the API as application/problem+json; only genuine server faults are 500s. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e, uri);
    }

    /** The core's own exceptions: see {@link Problems#from} for their statuses. */
    @ServerExceptionMapper({RecordFormatException.class, CanonicalizationException.class, KeyFormatException.class,
            InvalidIdentifierException.class, LifecycleViolationException.class, EventDataException.class, ChainException.class})
    public Response core(RuntimeException e, UriInfo uri) {
        return respond(Problems.from(e), uri);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        String detail = e.getConstraintViolations().stream()
                .map(ProblemMappers::describe).sorted().collect(Collectors.joining("; "));
        return respond(new ProblemException(ProblemKind.INVALID_REQUEST, detail), uri);
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(new ProblemException(ProblemKind.MALFORMED_JSON, "request body is not valid JSON for this endpoint: " + JsonErrors.describe(e)), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        if (status == 400) {
            return respond(new ProblemException(ProblemKind.INVALID_REQUEST, e.getMessage()), uri);
        }
        return respond(new ProblemException(ProblemKind.ofHttpStatus(status), e.getMessage()), uri);
    }

    /** A unique key hit by a concurrent writer: the other request won. */
    @ServerExceptionMapper
    public Response persistence(PersistenceException e, UriInfo uri) {
        if (isUniqueViolation(e)) {
            return respond(new ProblemException(ProblemKind.CONCURRENT_UPDATE, "another request changed the same data first; reload and retry"), uri);
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (DatabaseOutage.causes(e)) {
            LOG.warnf("database unavailable on %s: %s", path(uri), DatabaseOutage.summary(e));
            return respond(DatabaseOutage.problem(), uri);
        }
        if (isUniqueViolation(e)) {
            return respond(new ProblemException(ProblemKind.CONCURRENT_UPDATE, "another request changed the same data first; reload and retry"), uri);
        }
        if (DatabaseOutage.fromDatabase(e)) {
            LOG.errorf("database error on %s: %s", path(uri), DatabaseOutage.summary(e));
        } else if (connectionClosed(e)) {
            // Not a fault of the server's: nobody is left to answer (the client went away, or the server is stopping).
            LOG.debugf("the answer on %s was not written: the connection closed (%s)", path(uri), e.getMessage());
        } else {
            LOG.errorf(e, "unexpected error on %s", path(uri));
        }
        return respond(new ProblemException(ProblemKind.INTERNAL, "the server failed to handle this request; it has been logged", null), uri);
    }

    /** The request's own path: the problem's {@code instance}, and what the log's lines name. */
    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    /** Writing the answer failed because its connection had closed (Vert.x's "Failed to write", a closed channel). */
    static boolean connectionClosed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            if (t instanceof java.io.IOException && !(t instanceof JsonProcessingException) && t.getMessage() != null
                    && (t.getMessage().contains("Failed to write") || t.getMessage().contains("Connection was closed"))) {
                return true;
            }
        }
        return false;
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        int dot = path.indexOf('.');
        // drop the "method.argN" prefix that method validation puts in front
        String field = dot >= 0 && path.indexOf('.', dot + 1) >= 0 ? path.substring(path.indexOf('.', dot + 1) + 1) : path;
        return field + " " + v.getMessage();
    }

    /** {@code instance} is the request's own path, a reference that resolves to it (not the path below the API's root). */
    private static Response respond(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder response = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem(path(uri)));
        e.retryAfterSeconds().ifPresent(seconds -> response.header("Retry-After", seconds));
        return response.build();
    }
}
