package org.batterytrace.server.problem;

import org.batterytrace.identity.InvalidIdentifierException;
import org.batterytrace.lifecycle.EventDataException;
import org.batterytrace.lifecycle.LifecycleViolationException;
import org.batterytrace.record.CanonicalizationException;
import org.batterytrace.record.ChainException;
import org.batterytrace.record.KeyFormatException;
import org.batterytrace.record.RecordFormatException;

/** How the core's exceptions read as problems, shared by single requests and bulk item reports. */
public final class Problems {
    private Problems() {
    }

    public static ProblemException from(RuntimeException e) {
        if (e instanceof ProblemException p) {
            return p;
        }
        if (e instanceof RecordFormatException || e instanceof CanonicalizationException) {
            return new ProblemException(ProblemKind.MALFORMED_RECORD, e.getMessage());
        }
        if (e instanceof KeyFormatException) {
            return new ProblemException(ProblemKind.INVALID_KEY, e.getMessage());
        }
        if (e instanceof InvalidIdentifierException) {
            return new ProblemException(ProblemKind.INVALID_IDENTIFIER, e.getMessage());
        }
        if (e instanceof EventDataException) {
            return new ProblemException(ProblemKind.INVALID_EVENT_DATA, e.getMessage());
        }
        if (e instanceof ChainException c) {
            return new ProblemException(c.kind() == ChainException.Kind.TIME_BEFORE_PREVIOUS ? ProblemKind.TIME_BEFORE_PREVIOUS : ProblemKind.SEQ_CONFLICT, e.getMessage());
        }
        if (e instanceof LifecycleViolationException l) {
            return switch (l.kind()) {
                case NOT_CUSTODIAN -> new ProblemException(ProblemKind.NOT_CUSTODIAN, e.getMessage());
                case ROLE_NOT_ALLOWED -> new ProblemException(ProblemKind.ROLE_NOT_ALLOWED, e.getMessage());
                case EMPTY_LOT -> new ProblemException(ProblemKind.EMPTY_LOT, e.getMessage());
                default -> new ProblemException(ProblemKind.LIFECYCLE_VIOLATION, e.getMessage());
            };
        }
        throw e;
    }
}
