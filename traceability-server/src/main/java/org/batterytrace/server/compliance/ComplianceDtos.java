package org.batterytrace.server.compliance;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public final class ComplianceDtos {
    private ComplianceDtos() {
    }

    public record LateReport(String subject, long seq, String type, long logIndex, Instant eventTime, Instant acceptedAt,
            @Schema(description = "working days from the event to acceptance") long workingDays, int allowedWorkingDays, LocalDate dueDate, String basis) {
    }

    @Schema(name = "LateReports")
    public record LateReports(String actor, String name, Instant from, Instant to, @Schema(description = "records with a deadline that were checked") long checked,
            long late, List<LateReport> items) {
    }

    public record EnterpriseTimeliness(String actor, String name, long checked, long late, @Schema(description = "late / checked, percent") String lateShare) {
    }
}
