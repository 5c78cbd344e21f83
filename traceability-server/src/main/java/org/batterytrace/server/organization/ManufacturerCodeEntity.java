package org.batterytrace.server.organization;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** A GB/T 34014 manufacturer code filed by one enterprise, and the serials issued under it. */
@Entity
@Table(name = "manufacturer_code")
public class ManufacturerCodeEntity extends PanacheEntityBase {
    @Id
    public String code;
    @Column(name = "org_id")
    public String orgId;
    @Column(name = "last_serial")
    public long lastSerial;

    public static List<String> codesOf(String orgId) {
        return ManufacturerCodeEntity.<ManufacturerCodeEntity>list("orgId = ?1 order by code", orgId).stream().map(m -> m.code).toList();
    }
}
