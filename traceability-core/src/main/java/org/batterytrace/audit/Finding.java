package org.batterytrace.audit;

/** One failed check: what failed, where in the bundle ({@code records[3]}, {@code checkpoint}), and why. */
public record Finding(Failure failure, String where, String message) {
    @Override
    public String toString() {
        return where + ": " + failure + ": " + message;
    }
}
