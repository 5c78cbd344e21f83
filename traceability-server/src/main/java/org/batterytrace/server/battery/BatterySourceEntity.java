package org.batterytrace.server.battery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** Links a cascade product (new 19-character code) to a retired battery it was assembled from. */
@Entity
@Table(name = "battery_source")
@IdClass(BatterySourceEntity.Key.class)
public class BatterySourceEntity extends PanacheEntityBase {
    @Id
    @Column(name = "product_code")
    public String productCode;
    @Id
    @Column(name = "source_code")
    public String sourceCode;

    public static class Key implements Serializable {
        public String productCode;
        public String sourceCode;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(productCode, k.productCode) && Objects.equals(sourceCode, k.sourceCode);
        }

        @Override
        public int hashCode() {
            return Objects.hash(productCode, sourceCode);
        }
    }
}
