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
            return ProblemException.badRequest("malformed-record", e.getMessage());
        }
        if (e instanceof KeyFormatException) {
            return ProblemException.badRequest("invalid-key", e.getMessage());
        }
        if (e instanceof InvalidIdentifierException) {
            return ProblemException.badRequest("invalid-identifier", e.getMessage());
        }
        if (e instanceof EventDataException) {
            return ProblemException.unprocessable("invalid-event-data", e.getMessage());
        }
        if (e instanceof ChainException) {
            return ProblemException.conflict("seq-conflict", e.getMessage());
        }
        if (e instanceof LifecycleViolationException l) {
            return switch (l.kind()) {
                case NOT_CUSTODIAN -> ProblemException.forbidden("not-custodian", e.getMessage());
                case ROLE_NOT_ALLOWED -> ProblemException.forbidden("role-not-allowed", e.getMessage());
                case EMPTY_LOT -> ProblemException.unprocessable("empty-lot", e.getMessage());
                default -> ProblemException.unprocessable("lifecycle-violation", e.getMessage());
            };
        }
        throw e;
    }
}
