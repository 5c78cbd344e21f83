package org.batterytrace.recycling;

import static org.batterytrace.recycling.Metal.*;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Minimum material-recovery rates, in basis points. The Chinese figures are the MIIT comprehensive-utilisation
 * industry conditions (2024 edition, smelting route); the EU figures are Regulation (EU) 2023/1542 Annex XII
 * Part C. The two are not defined identically (EU rates are per recycling process, CN per smelting step),
 * so a lot is compared with each separately.
 */
public enum RecoveryTarget {
    CN_2024("MIIT industry conditions 2024: Ni/Co/Mn >= 98 %, Li >= 90 %", Map.of(NI, 9800, CO, 9800, MN, 9800, LI, 9000)),
    EU_2027("EU 2023/1542 Annex XII C, from 31 Dec 2027: Co/Ni/Cu >= 90 %, Li >= 50 %", Map.of(CO, 9000, NI, 9000, CU, 9000, LI, 5000)),
    EU_2031("EU 2023/1542 Annex XII C, from 31 Dec 2031: Co/Ni/Cu >= 95 %, Li >= 80 %", Map.of(CO, 9500, NI, 9500, CU, 9500, LI, 8000));

    private final String basis;
    private final Map<Metal, Integer> minimumBasisPoints;

    RecoveryTarget(String basis, Map<Metal, Integer> minimum) {
        this.basis = basis;
        this.minimumBasisPoints = Collections.unmodifiableMap(new EnumMap<>(minimum));
    }

    public String basis() {
        return basis;
    }

    public Map<Metal, Integer> minimumBasisPoints() {
        return minimumBasisPoints;
    }
}
