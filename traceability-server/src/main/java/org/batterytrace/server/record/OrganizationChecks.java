package org.batterytrace.server.record;

import java.time.LocalDate;
import java.util.Optional;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.organization.OrganizationRules;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

/**
 * The core {@link OrganizationRules} for offers ({@code TransferService}) and ingest ({@link RecordIngest}),
 * each finding thrown as the problem kind of the same name: the verifier reports them as the failure kind of
 * that name.
 */
public final class OrganizationChecks {
    private OrganizationChecks() {
    }

    /** @see OrganizationRules#receiver */
    public static void receiver(String subject, String receiver, OrganizationFacts to, BatteryState state, LocalDate day) {
        throwIfPresent(OrganizationRules.receiver(subject, receiver, to, state, day));
    }

    /** @see OrganizationRules#manufacturerCode */
    static void manufacturerCode(String manufacturer, String filer, OrganizationFacts actor) {
        throwIfPresent(OrganizationRules.manufacturerCode(manufacturer, filer, actor));
    }

    private static void throwIfPresent(Optional<OrganizationRules.Finding> finding) {
        if (finding.isPresent()) {
            throw new ProblemException(ProblemKind.valueOf(finding.get().violation().name()), finding.get().message());
        }
    }
}
