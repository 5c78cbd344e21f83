package org.batterytrace.server.console;

import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.access.RegionScope;
import org.batterytrace.server.battery.BatteryDtos;
import org.batterytrace.server.battery.BatteryEntity;
import org.batterytrace.server.battery.BatteryService;
import org.batterytrace.server.compliance.ComplianceDtos;
import org.batterytrace.server.compliance.ComplianceService;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.recycling.LotDtos;
import org.batterytrace.server.recycling.LotService;
import org.batterytrace.server.time.TraceClock;
import org.batterytrace.server.transfer.TransferEntity;
import org.batterytrace.server.transfer.TransferService;

/**
 * The enterprise pages' data, read through the same services and the same {@link ReadPolicy} calls as
 * the API operations that serve it (named on each method), so a page never shows what its API would refuse.
 */
@ApplicationScoped
public class ConsoleViews {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ChinaTime.ZONE);

    @Inject
    ReadPolicy readPolicy;
    @Inject
    BatteryService batteries;
    @Inject
    TransferService transfers;
    @Inject
    ComplianceService compliance;
    @Inject
    LotService lots;
    @Inject
    TraceClock clock;

    /** Beijing time, to the second. */
    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    public record Filters(String state, String chemistry, String month) {
    }

    /**
     * Batteries the organization holds now, filtered by state, chemistry code and production month
     * (yyyy-MM); within the batteries the read policy lets it find (as {@code GET /batteries}).
     *
     * @throws ProblemException 400 for a state, chemistry or month that does not parse
     */
    public List<Battery> custody(OrganizationEntity org, Filters filters) {
        StringBuilder query = new StringBuilder("custodian = :custodian");
        Parameters params = Parameters.with("custodian", org.id);
        readPolicy.batteryCondition().ifPresent(condition -> {
            query.append(" and ").append(condition.jpql());
            condition.params().forEach(params::and);
        });
        if (present(filters.state())) {
            BatteryState state = Arrays.stream(BatteryState.values()).filter(s -> s.name().equals(filters.state())).findFirst()
                    .orElseThrow(() -> new ProblemException(ProblemKind.BAD_STATE, "state " + filters.state() + " is none of " + Arrays.toString(BatteryState.values())));
            query.append(" and state = :state");
            params.and("state", state);
        }
        if (present(filters.chemistry())) {
            String c = filters.chemistry().trim();
            if (c.length() != 1 || Arrays.stream(Chemistry.values()).noneMatch(x -> x.code() == c.charAt(0))) {
                throw new ProblemException(ProblemKind.INVALID_REQUEST, "chemistry is one GB/T 34014 chemistry code letter, got " + c);
            }
            query.append(" and chemistry = :chemistry");
            params.and("chemistry", c);
        }
        if (present(filters.month())) {
            YearMonth month;
            try {
                month = YearMonth.parse(filters.month().trim());
            } catch (DateTimeParseException e) {
                throw new ProblemException(ProblemKind.INVALID_REQUEST, "month is yyyy-MM, got " + filters.month());
            }
            query.append(" and productionDate >= :first and productionDate <= :last");
            params.and("first", month.atDay(1)).and("last", month.atEndOfMonth());
        }
        return BatteryEntity.<BatteryEntity>find(query + " order by code", params).page(0, 500).list().stream()
                .map(b -> new Battery(b.code, BatteryCode.parse(b.code).level().name(), b.chemistry, b.state.name(), String.valueOf(b.productionDate), b.headSeq,
                        time(b.updatedAt)))
                .toList();
    }

    /** A row of the custody list (the first 500, by code). */
    public record Battery(String code, String level, String chemistry, String state, String productionDate, long records, String updated) {
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    public record Signature(String keyId, String alg) {
    }

    public record Entry(long seq, String type, String time, String actor, long logIndex, String hash, List<Signature> signatures) {
    }

    public record Timeline(BatteryDtos.Details battery, List<Entry> entries) {
    }

    /** One battery's records with their signers and log indexes; its parties, regulators and granted auditors only (as {@code GET /batteries/{code}/history}). */
    public Timeline timeline(String code) {
        batteries.require(code);
        readPolicy.requireRecords(code);
        List<Entry> entries = new ArrayList<>();
        for (LogEntryEntity e : batteries.history(code)) {
            SignedRecord signed = e.signedRecord();
            entries.add(new Entry(e.seq, e.type, time(e.recordTime), e.actor, e.idx, e.hash,
                    signed.signatures().stream().map(s -> new Signature(s.keyId(), s.alg().jsonName())).toList()));
        }
        return new Timeline(batteries.details(code), entries);
    }

    public record Transfer(String id, String subject, String from, String to, String status, String offered, boolean pending) {
    }

    /** The organization's incoming or outgoing transfers, newest first (as {@code GET /transfers}). */
    public List<Transfer> transfers(OrganizationEntity org, boolean incoming) {
        return transfers.list(org, incoming, null).stream()
                .map(t -> new Transfer(t.id, t.subject, t.fromOrg, t.toOrg, t.status.name(), time(t.createdAt), t.status == TransferEntity.Status.PENDING))
                .toList();
    }

    /** The organization's records uploaded late in the last 365 days (as {@code GET /compliance/late-reports?actor=}). */
    public ComplianceDtos.LateReports lateReports(OrganizationEntity org) {
        readPolicy.requireOrganizationData(org.id);
        TimeRange range = TimeRange.parse(null, null, clock.now());
        return compliance.lateReports(org.id, range.from(), range.to(), TimeRange.Basis.UPLOAD, 1000, RegionScope.country());
    }

    public record Lot(String id, String process, String state, String opened, int inputBatteries, String inputMassKg, String recovery,
            List<LotDtos.TargetCheck> targets) {
    }

    /** The recycler's lots with their recovery rates and target checks (as {@code GET /lots?recycler=} and {@code GET /lots/{id}}). */
    public List<Lot> lots(OrganizationEntity org) {
        readPolicy.requireOrganizationData(org.id);
        List<Lot> out = new ArrayList<>();
        for (LotDtos.LotSummary s : lots.list(new LotService.Filter(org.id, null, null, null, null, RegionScope.country(), false), 0, 1000).items()) {
            readPolicy.requireRecords(s.id());
            LotDtos.Lot lot = lots.view(s.id());
            String recovery = lot.recovery().stream().map(r -> r.metal() + " " + r.rate()).collect(Collectors.joining(", "));
            out.add(new Lot(lot.id(), lot.process(), lot.state(), time(lot.openedAt()), lot.inputBatteries(),
                    java.math.BigDecimal.valueOf(lot.inputMassGrams(), 3).toPlainString(), recovery, lot.targets()));
        }
        return out;
    }

    static LocalDate today(TraceClock clock) {
        return clock.today();
    }
}
