package org.batterytrace.identity;

/**
 * GB/T 34014 battery-type code (position 5). B and E are confirmed by several sources; the other
 * meanings follow the commonly reported table.
 */
public enum Chemistry {
    NIMH('A', "nickel-metal hydride"),
    LFP('B', "lithium iron phosphate"),
    LMO('C', "lithium manganese oxide"),
    LCO('D', "lithium cobalt oxide"),
    NCM('E', "ternary (NCM/NCA)"),
    SUPERCAPACITOR('F', "supercapacitor"),
    LTO('G', "lithium titanate"),
    OTHER('Z', "other");

    private final char code;
    private final String description;

    Chemistry(char code, String description) {
        this.code = code;
        this.description = description;
    }

    public char code() {
        return code;
    }

    public String description() {
        return description;
    }

    public static Chemistry fromCode(char c) {
        for (Chemistry chemistry : values()) {
            if (chemistry.code == c) {
                return chemistry;
            }
        }
        throw new InvalidIdentifierException("batteryType", "battery type must be one of A-G or Z, got '" + c + "'");
    }
}
