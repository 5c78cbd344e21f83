package org.batterytrace.server.compliance;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public final class ComplianceDtos {
    private ComplianceDtos() {
    }

    public record LateReport(String subject, long seq, String type, long logIndex, Instant eventTime, Instant acceptedAt,
            @Schema(description = "working days from the event day to the upload day (Beijing dates)") long workingDays, int allowedWorkingDays,
            @Schema(description = "the last day still on time") LocalDate dueDate, String article, String basis,
            @Schema(description = "false when some of the days fall in a year without published holidays: counted Monday to Friday only") boolean calendarCovered) {
    }

    @Schema(name = "LateReports")
    public record LateReports(String actor, String name, Instant from, Instant to, @Schema(description = "which time [from, to) selects: event or upload") String by,
            @Schema(description = "records with a deadline that were checked") long checked, long late, List<LateReport> items) {
    }

    public record EnterpriseTimeliness(String actor, String name, String region, long checked, long late, @Schema(description = "late / checked, percent") String lateShare) {
    }

    /** Late reports by stage (record type) and article. */
    public record StageTimeliness(String stage, String article, int allowedWorkingDays, long checked, long late,
            @Schema(description = "late / checked, percent") String lateShare, String basis) {
    }

    /** One line of the reporting rule (docs/reporting-rules.md). */
    public record Rule(String type, @Schema(description = "states before the record; empty = any") List<String> stateBefore, List<String> roles,
            int workingDays, String article, String basis) {
    }
}
