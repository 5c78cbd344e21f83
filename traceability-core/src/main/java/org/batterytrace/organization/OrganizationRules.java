package org.batterytrace.organization;

import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.Role;

/**
 * The record rules that read organization facts, beside the roles {@link Lifecycle#apply} checks: who may
 * receive a battery, and whose manufacturer code a new battery carries. Pure functions over
 * {@link OrganizationFacts}; the server's ingest and transfer offers and the offline verifier all call them
 * (docs/record-format.md §9.1).
 */
public final class OrganizationRules {
    private OrganizationRules() {
    }

    public enum Violation {
        /** The receiver of a transfer is no registered organization. */
        UNKNOWN_RECEIVER,
        /** The receiver holds no role that may take custody (a regulator, an auditor). */
        RECEIVER_CANNOT_HOLD,
        /** A waste battery goes to an organization not on the white list on the record's day. */
        RECEIVER_NOT_QUALIFIED,
        /** A new battery's code carries a manufacturer code another enterprise filed, or not one of the actor's own. */
        MANUFACTURER_CODE_MISMATCH
    }

    public record Finding(Violation violation, String message) {
    }

    /**
     * Who may receive custody of {@code subject}.
     *
     * @param to    the receiver's facts at the record, or {@code null} when {@code receiver} is not registered
     * @param state the battery's state before the transfer, or {@code null} when unknown
     * @param day   the record's Beijing calendar day, against which white-list validity is judged
     */
    public static Optional<Finding> receiver(String subject, String receiver, OrganizationFacts to, BatteryState state, LocalDate day) {
        if (to == null) {
            return Optional.of(new Finding(Violation.UNKNOWN_RECEIVER, "transfer receiver " + receiver + " is not a registered organization"));
        }
        Set<Role> holders = Lifecycle.rule(EventType.TRANSFERRED).roles();
        if (to.roles().stream().noneMatch(holders::contains)) {
            return Optional.of(new Finding(Violation.RECEIVER_CANNOT_HOLD, receiver + " holds no role that may take custody of batteries"));
        }
        if (state != null && state.isWaste() && !to.qualifiedOn(day)) {
            return Optional.of(new Finding(Violation.RECEIVER_NOT_QUALIFIED, "battery " + subject + " is " + state
                    + "; waste batteries may only go to white-listed enterprises and " + receiver + " is not qualified on " + day));
        }
        return Optional.empty();
    }

    /**
     * The manufacturer code of a battery a chain opens with PRODUCED or ASSEMBLED: if an enterprise filed
     * it, only that enterprise may register codes under it; an enterprise that filed codes registers only
     * under its own.
     *
     * @param manufacturer the code's GB/T 34014 manufacturer segment
     * @param filer        the organization that filed it, or {@code null} when nobody did
     * @param actor        the facts of the organization opening the chain
     */
    public static Optional<Finding> manufacturerCode(String manufacturer, String filer, OrganizationFacts actor) {
        if (filer != null && !filer.equals(actor.id())) {
            return Optional.of(new Finding(Violation.MANUFACTURER_CODE_MISMATCH, "manufacturer code " + manufacturer + " is filed by " + filer + ", not " + actor.id()));
        }
        if (filer == null && !actor.manufacturerCodes().isEmpty()) {
            return Optional.of(new Finding(Violation.MANUFACTURER_CODE_MISMATCH, actor.id() + " files its own manufacturer codes; " + manufacturer
                    + " is not one of them"));
        }
        return Optional.empty();
    }

    /** The GB/T 34014 manufacturer segment of a battery code (its first three characters). */
    public static String manufacturerOf(String batteryCode) {
        return batteryCode.substring(0, 3);
    }
}
