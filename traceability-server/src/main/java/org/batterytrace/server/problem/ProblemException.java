package org.batterytrace.server.problem;

import java.util.List;

/**
 * A client-visible failure with its HTTP status and problem kind. Services throw it; the mapper turns
 * it into application/problem+json. Thrown inside a transaction it rolls everything back.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String kind;
    private final String title;
    private final List<Problem.ItemError> errors;
    private Integer retryAfterSeconds;

    public ProblemException(int status, String kind, String title, String detail, List<Problem.ItemError> errors) {
        super(detail);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.errors = errors == null ? null : List.copyOf(errors);
    }

    public static ProblemException badRequest(String kind, String detail) {
        return new ProblemException(400, kind, "Bad request", detail, null);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Missing or invalid API token", detail, null);
    }

    public static ProblemException forbidden(String kind, String detail) {
        return new ProblemException(403, kind, "Forbidden", detail, null);
    }

    public static ProblemException notFound(String kind, String detail) {
        return new ProblemException(404, kind, "Not found", detail, null);
    }

    public static ProblemException conflict(String kind, String detail) {
        return new ProblemException(409, kind, "Conflict", detail, null);
    }

    public static ProblemException unprocessable(String kind, String detail) {
        return new ProblemException(422, kind, "Unprocessable record", detail, null);
    }

    /** The same problem with a {@code Retry-After} header (429, 503). */
    public ProblemException retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public java.util.Optional<Integer> retryAfterSeconds() {
        return java.util.Optional.ofNullable(retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public List<Problem.ItemError> errors() {
        return errors;
    }

    /** The same failure as one item of a bulk request. */
    public Problem.ItemError asItem(int index) {
        return new Problem.ItemError(index, Problem.TYPE_PREFIX + kind, status, JsonErrors.withoutClassNames(getMessage()));
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_PREFIX + kind, title, status, JsonErrors.withoutClassNames(getMessage()), instance, errors);
    }
}
