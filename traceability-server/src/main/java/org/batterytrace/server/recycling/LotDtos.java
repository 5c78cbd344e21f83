package org.batterytrace.server.recycling;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the lots API returns. Rates are percent strings with two decimals ("98.50"), computed from integer grams. */
public final class LotDtos {
    private LotDtos() {
    }

    public record MetalRecovery(String metal, long containedGrams, long recoveredGrams, @Schema(description = "recovered / contained, percent, rounded down") String rate) {
    }

    public record Shortfall(String metal, String required, @Schema(description = "null when the metal was not assayed") String actual) {
    }

    public record TargetCheck(String target, String basis, boolean met, List<Shortfall> shortfalls) {
    }

    /** What the declared input can plausibly contain of one metal, and what the assay says (null until closed or when not assayed). */
    public record MetalBalance(String metal, long expectedMinGrams, long expectedMaxGrams, Long containedGrams) {
    }

    public record Finding(String flag, @Schema(description = "null for the lot as a whole") String metal, String detail) {
    }

    @Schema(name = "MassBalance", description = "the assay against the declared input mass and chemistry (reference ranges: org.batterytrace.recycling.Composition)")
    public record MassBalance(@Schema(description = "no finding other than informational ones") boolean plausible, List<MetalBalance> metals, List<Finding> findings) {
    }

    @Schema(name = "RecyclingLot")
    public record Lot(String id, String recycler, String process, String state, long headSeq, Instant openedAt, Instant updatedAt, int inputBatteries,
            long inputMassGrams, @Schema(description = "empty until the lot is closed with inputs") List<MetalRecovery> recovery,
            @Schema(description = "empty until the lot is closed with inputs") List<TargetCheck> targets, MassBalance massBalance) {
    }

    @Schema(name = "RecyclingLotSummary")
    public record LotSummary(String id, String recycler, String recyclerName, String region, String process, String state, Instant openedAt,
            @Schema(description = "time of the LOT_CLOSED record; null while open") Instant closedAt, int inputBatteries, long inputMassGrams,
            boolean massBalancePlausible, List<String> massBalanceFlags) {
    }

    @Schema(name = "RecyclingLotPage")
    public record LotPage(long total, int page, int size, List<LotSummary> items) {
    }

    @Schema(name = "LotInput")
    public record Input(String battery, long massGrams, Instant recycledAt) {
    }
}
