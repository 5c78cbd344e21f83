package org.batterytrace.identity;

/** GB/T 34014 product type: pack, module or cell (position 4 of the code). */
public enum ProductLevel {
    PACK('P'), MODULE('M'), CELL('C');

    private final char code;

    ProductLevel(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    /** The level one step down: a pack holds modules, a module holds cells. */
    public boolean canContain(ProductLevel child) {
        return ordinal() < child.ordinal();
    }

    public static ProductLevel fromCode(char c) {
        for (ProductLevel level : values()) {
            if (level.code == c) {
                return level;
            }
        }
        throw new InvalidIdentifierException("productType", "product type must be P (pack), M (module) or C (cell), got '" + c + "'");
    }
}
