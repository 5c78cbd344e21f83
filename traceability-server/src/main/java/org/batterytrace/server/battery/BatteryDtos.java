package org.batterytrace.server.battery;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.batterytrace.identity.BatteryCode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public final class BatteryDtos {
    private BatteryDtos() {
    }

    @Schema(name = "BatterySummary", description = "Public facts about a battery (no history, no custody details beyond the current holder)")
    public record Summary(String code, String level, String chemistry, String chemistryName, boolean cascadeProduct, LocalDate productionDate,
            String state, String custodian, long records, Instant updatedAt) {
        static Summary of(BatteryEntity b) {
            BatteryCode code = BatteryCode.parse(b.code);
            return new Summary(b.code, code.level().name(), String.valueOf(code.chemistry().code()), code.chemistry().description(), b.cascadeProduct,
                    b.productionDate, b.state.name(), b.custodian, b.headSeq, b.updatedAt);
        }
    }

    @Schema(name = "Battery")
    public record Details(String code, String level, String chemistry, boolean cascadeProduct, LocalDate productionDate, String manufacturerCode,
            String maker, String state, String custodian, long headSeq, String headHash, String parent, List<String> components,
            List<String> sources, List<String> reusedIn, Instant createdAt, Instant updatedAt) {
    }

    @Schema(name = "BatteryPage")
    public record Page(int page, int size, long total, List<Summary> items) {
    }
}
