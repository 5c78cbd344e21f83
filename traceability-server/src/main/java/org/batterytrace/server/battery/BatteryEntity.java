package org.batterytrace.server.battery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.CustodyStatus;

/** A battery's current state: the head of its record chain, derived from the log. */
@Entity
@Table(name = "battery")
public class BatteryEntity extends PanacheEntityBase {
    @Id
    public String code;
    public String level;
    public String chemistry;
    @Column(name = "cascade_product")
    public boolean cascadeProduct;
    @Column(name = "production_date")
    public LocalDate productionDate;
    public String maker;
    @Column(name = "parent_code")
    public String parentCode;
    @Enumerated(EnumType.STRING)
    public BatteryState state;
    public String custodian;
    @Column(name = "head_seq")
    public long headSeq;
    @Column(name = "head_hash")
    public String headHash;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** Declared at registration (data.massGrams); null when not given. */
    @Column(name = "mass_g")
    public Long massGrams;

    public CustodyStatus status() {
        return new CustodyStatus(state, custodian);
    }
}
