package org.batterytrace.recycling;

import java.util.Optional;

/** Metals whose recovery is recorded on a recycling lot; JSON keys are the element symbols. */
public enum Metal {
    LI("Li"), NI("Ni"), CO("Co"), MN("Mn"), CU("Cu"), AL("Al");

    private final String symbol;

    Metal(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public static Optional<Metal> fromSymbol(String symbol) {
        for (Metal m : values()) {
            if (m.symbol.equals(symbol)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
