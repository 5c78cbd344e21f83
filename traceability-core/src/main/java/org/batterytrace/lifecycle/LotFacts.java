package org.batterytrace.lifecycle;

/**
 * What a recycling lot's chain needs from the batteries' chains: a lot may only be closed (LOT_CLOSED,
 * its assay and recovery rates) after at least one battery was RECYCLED into it; an assay of nothing
 * would report rates and verdicts for no input. The RECYCLED records live in the batteries' chains, so
 * the offline verifier, holding the lot's bundle alone, cannot check this; the server does.
 */
public final class LotFacts {
    private long inputs;

    private LotFacts(long inputs) {
        this.inputs = inputs;
    }

    /** A lot that has consumed {@code inputs} batteries so far. */
    public static LotFacts withInputs(long inputs) {
        if (inputs < 0) {
            throw new IllegalArgumentException("inputs must not be negative");
        }
        return new LotFacts(inputs);
    }

    /** Checks a record of the lot's own chain against its inputs so far. */
    public void check(EventType type, String lot) {
        if (type == EventType.LOT_CLOSED && inputs == 0) {
            throw new LifecycleViolationException(LifecycleViolationException.Kind.EMPTY_LOT,
                    "lot " + lot + " has no inputs: RECYCLE at least one battery into it before closing it with an assay");
        }
    }

    /** A battery was RECYCLED into the lot. */
    public void observeInput() {
        inputs++;
    }

    /** An independent copy, for a caller that may have to discard what it observes next. */
    public LotFacts copy() {
        return new LotFacts(inputs);
    }

    public long inputs() {
        return inputs;
    }
}
