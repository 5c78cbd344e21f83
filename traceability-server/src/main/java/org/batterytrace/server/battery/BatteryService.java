package org.batterytrace.server.battery;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.battery.BatteryDtos.Details;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

@ApplicationScoped
public class BatteryService {

    public BatteryEntity require(String code) {
        BatteryEntity battery = BatteryEntity.findById(code);
        if (battery == null) {
            BatteryCode.parse(code); // a malformed code is a 400 that names the bad segment, not a 404
            throw new ProblemException(ProblemKind.BATTERY_NOT_FOUND, "no battery " + code);
        }
        return battery;
    }

    public Details details(String code) {
        BatteryEntity b = require(code);
        BatteryCode parsed = BatteryCode.parse(b.code);
        List<String> components = BatteryEntity.<BatteryEntity>list("parentCode = ?1 order by code", code).stream().map(c -> c.code).toList();
        List<String> sources = BatterySourceEntity.<BatterySourceEntity>list("productCode = ?1 order by sourceCode", code).stream().map(s -> s.sourceCode).toList();
        List<String> reusedIn = BatterySourceEntity.<BatterySourceEntity>list("sourceCode = ?1 order by productCode", code).stream().map(s -> s.productCode).toList();
        return new Details(b.code, parsed.level().name(), String.valueOf(parsed.chemistry().code()), b.cascadeProduct, b.productionDate, parsed.manufacturer(),
                b.maker, b.state.name(), b.custodian, b.headSeq, b.headHash, b.parentCode, components, sources, reusedIn, b.createdAt, b.updatedAt);
    }

    /** Batteries matching the filters, within {@code scope} (empty: all). */
    public BatteryDtos.Page search(BatteryState state, String custodian, String maker, ProductLevel level, int page, int size,
            Optional<ReadPolicy.Condition> scope) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        scope.ifPresent(condition -> {
            query.append(" and ").append(condition.jpql());
            condition.params().forEach(params::and);
        });
        if (state != null) {
            query.append(" and state = :state");
            params.and("state", state);
        }
        if (custodian != null) {
            query.append(" and custodian = :custodian");
            params.and("custodian", custodian);
        }
        if (maker != null) {
            query.append(" and maker = :maker");
            params.and("maker", maker);
        }
        if (level != null) {
            query.append(" and level = :level");
            params.and("level", String.valueOf(level.code()));
        }
        PanacheQuery<BatteryEntity> q = BatteryEntity.find(query + " order by code", params);
        List<BatteryDtos.ListItem> items = q.page(Page.of(page, size)).list().stream().map(BatteryDtos.ListItem::of).toList();
        return new BatteryDtos.Page(page, size, q.count(), items);
    }

    public List<LogEntryEntity> history(String code) {
        require(code);
        return LogEntryEntity.list("subject = ?1 order by seq", code);
    }
}
