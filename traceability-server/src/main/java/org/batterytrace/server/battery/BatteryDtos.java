package org.batterytrace.server.battery;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.batterytrace.identity.BatteryCode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public final class BatteryDtos {
    private BatteryDtos() {
    }

    @Schema(name = "BatterySummary", description = "Public facts about a battery: identity, chemistry and maker. State and custodian are "
            + "legitimate-interest data (Reg. 2023/1542 Annex XIII 4(c)) and only in the details its readers get")
    public record Summary(String code, String level, String chemistry, String chemistryName, boolean cascadeProduct, LocalDate productionDate,
            String manufacturerCode, String maker, String passport) {
        static Summary of(BatteryEntity b) {
            BatteryCode code = BatteryCode.parse(b.code);
            return new Summary(b.code, code.level().name(), String.valueOf(code.chemistry().code()), code.chemistry().description(), b.cascadeProduct,
                    b.productionDate, code.manufacturer(), b.maker, "/api/v1/batteries/" + b.code + "/passport");
        }
    }

    @Schema(name = "BatteryListItem", description = "A battery in a search result: only batteries whose records the caller may read are listed")
    public record ListItem(String code, String level, String chemistry, boolean cascadeProduct, LocalDate productionDate, String maker,
            String state, String custodian, long records, Instant updatedAt) {
        static ListItem of(BatteryEntity b) {
            BatteryCode code = BatteryCode.parse(b.code);
            return new ListItem(b.code, code.level().name(), String.valueOf(code.chemistry().code()), b.cascadeProduct, b.productionDate, b.maker,
                    b.state.name(), b.custodian, b.headSeq, b.updatedAt);
        }
    }

    @Schema(name = "Battery")
    public record Details(String code, String level, String chemistry, boolean cascadeProduct, LocalDate productionDate, String manufacturerCode,
            String maker, String state, String custodian, long headSeq, String headHash, String parent, List<String> components,
            List<String> sources, List<String> reusedIn, Instant createdAt, Instant updatedAt) {
    }

    @Schema(name = "BatteryPage")
    public record Page(int page, int size, long total, List<ListItem> items) {
    }
}
