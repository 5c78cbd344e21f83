package org.batterytrace.server.problem;

import java.util.List;

/**
 * A client-visible failure with its HTTP status and problem kind. Services throw it; the mapper turns
 * it into application/problem+json. Thrown inside a transaction it rolls everything back.
 */
public class ProblemException extends RuntimeException {
    private final ProblemKind kind;
    private final List<Problem.ItemError> errors;
    private Integer retryAfterSeconds;

    public ProblemException(ProblemKind kind, String detail) {
        this(kind, detail, null);
    }

    public ProblemException(ProblemKind kind, String detail, List<Problem.ItemError> errors) {
        super(detail);
        this.kind = kind;
        this.errors = errors == null ? null : List.copyOf(errors);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemKind.UNAUTHORIZED, detail);
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
        return kind.status();
    }

    public ProblemKind kind() {
        return kind;
    }

    public List<Problem.ItemError> errors() {
        return errors;
    }

    /** The same failure as one item of a bulk request. */
    public Problem.ItemError asItem(int index) {
        return new Problem.ItemError(index, kind.type(), kind.status(), JsonErrors.withoutClassNames(getMessage()));
    }

    public Problem toProblem(String instance) {
        return new Problem(kind.type(), kind.title(), kind.status(), JsonErrors.withoutClassNames(getMessage()), instance, errors);
    }
}
