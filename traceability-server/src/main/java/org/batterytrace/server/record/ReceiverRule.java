package org.batterytrace.server.record;

import java.time.LocalDate;
import java.util.Set;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

/** Who may receive custody: one rule for offers ({@code TransferService}) and for logged transfers ({@link RecordIngest}). */
public final class ReceiverRule {
    private ReceiverRule() {
    }

    /**
     * @param to    the receiver, or {@code null} when {@code receiver} names no registered organization
     * @param state the battery's state before the transfer, or {@code null} when unknown
     * @param today the day in Beijing time, for white-list validity
     */
    public static void check(String subject, String receiver, OrganizationEntity to, BatteryState state, LocalDate today) {
        if (to == null) {
            throw new ProblemException(ProblemKind.UNKNOWN_RECEIVER, "transfer receiver " + receiver + " is not a registered organization");
        }
        Set<Role> holders = Lifecycle.rule(EventType.TRANSFERRED).roles();
        if (to.roleSet().stream().noneMatch(holders::contains)) {
            throw new ProblemException(ProblemKind.RECEIVER_CANNOT_HOLD, receiver + " holds no role that may take custody of batteries");
        }
        if (state != null && state.isWaste() && !to.qualifiedOn(today)) {
            throw new ProblemException(ProblemKind.RECEIVER_NOT_QUALIFIED, "battery " + subject + " is " + state
                    + "; waste batteries may only go to white-listed enterprises and " + receiver + " is not qualified on " + today);
        }
    }
}
