package org.batterytrace.server.battery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.server.organization.ManufacturerCodeEntity;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.time.TraceClock;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Issues new 19-character cascade-product codes (GB/T 34014 form with the {@code R} extension) under
 * the cascade enterprise's own manufacturer code. Serials come from a per-code counter under a row
 * lock, so concurrent requests never receive the same code.
 */
@ApplicationScoped
public class CascadeCodeService {
    @Inject
    TraceClock clock;
    static final long MAX_SERIAL = 9_999_999;

    @Inject
    EntityManager em;

    @Schema(name = "CascadeCodeRequest")
    public record Request(String manufacturerCode, ProductLevel level, Chemistry chemistry, String spec, ProductLevel extension, Integer count) {
    }

    @Schema(name = "CascadeCodes")
    public record Issued(LocalDate productionDate, List<String> codes) {
    }

    @Transactional
    public Issued issue(OrganizationEntity caller, Request request) {
        if (!caller.roleSet().contains(Role.CASCADE_ENTERPRISE)) {
            throw ProblemException.forbidden("role-not-allowed", "only cascade enterprises are issued cascade-product codes; " + caller.id + " holds " + caller.roleSet());
        }
        if (request == null || request.level() == null || request.chemistry() == null || request.spec() == null || request.extension() == null) {
            throw ProblemException.badRequest("invalid-request", "level, chemistry, spec and extension (the level of the source batteries) are required");
        }
        int count = request.count() == null ? 1 : request.count();
        if (count < 1 || count > 1000) {
            throw ProblemException.badRequest("invalid-request", "count must be 1..1000, got " + count);
        }
        List<String> own = ManufacturerCodeEntity.codesOf(caller.id);
        String manufacturer = request.manufacturerCode() != null ? request.manufacturerCode() : own.isEmpty() ? null : own.get(0);
        if (manufacturer == null || !own.contains(manufacturer)) {
            throw ProblemException.unprocessable("manufacturer-code-mismatch", caller.id + " has filed " + own + "; cascade codes are issued under the enterprise's own manufacturer code");
        }
        ManufacturerCodeEntity counter = em.find(ManufacturerCodeEntity.class, manufacturer, LockModeType.PESSIMISTIC_WRITE);
        if (counter.lastSerial + count > MAX_SERIAL) {
            throw ProblemException.conflict("serials-exhausted", "manufacturer code " + manufacturer + " has " + (MAX_SERIAL - counter.lastSerial) + " serials left");
        }
        LocalDate today = clock.today();
        List<String> codes = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            codes.add(BatteryCode.cascade(manufacturer, request.level(), request.chemistry(), request.spec(), today, (int) (counter.lastSerial + i), request.extension())
                    .value());
        }
        counter.lastSerial += count;
        return new Issued(today, codes);
    }
}
