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

    @Schema(name = "RecyclingLot")
    public record Lot(String id, String recycler, String process, String state, long headSeq, Instant openedAt, Instant updatedAt, int inputBatteries,
            long inputMassGrams, @Schema(description = "empty until the lot is closed") List<MetalRecovery> recovery,
            @Schema(description = "empty until the lot is closed") List<TargetCheck> targets) {
    }

    public record Input(String battery, long massGrams, Instant recycledAt) {
    }
}
