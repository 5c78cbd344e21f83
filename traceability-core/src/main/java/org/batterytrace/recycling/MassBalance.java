package org.batterytrace.recycling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.batterytrace.identity.Chemistry;

/**
 * A recycling lot's mass balance: the metal its assay says the input contained, against what the
 * declared input (mass per chemistry, from the RECYCLED records) can plausibly contain
 * ({@link Composition}), and the input against the masses the batteries were registered with. Pure:
 * the server feeds it aggregates, a test or an auditor can feed it anything.
 */
public final class MassBalance {
    /** Why an assay or an input looks wrong. */
    public enum Flag {
        /** The lot consumed no battery, so there is nothing to assay. */
        NO_INPUTS,
        /** More of a metal assayed than the input can hold. */
        ABOVE_PLAUSIBLE,
        /** Less of a metal assayed than the input must hold: would inflate the recovery rate. */
        BELOW_PLAUSIBLE,
        /** A metal the input must contain is missing from the assay. */
        NOT_ASSAYED,
        /** The assayed metals together weigh more than the input. */
        METALS_EXCEED_INPUT,
        /** Some batteries went into the lot heavier than they were registered (more than 5 % over). */
        INPUT_ABOVE_DECLARED_MASS,
        /** Some input has no reference composition (supercapacitor, "other"): its share is bounded by its mass only. */
        NO_REFERENCE_COMPOSITION;

        /** Informational flags do not make a lot implausible. */
        public boolean informational() {
            return this == NO_REFERENCE_COMPOSITION;
        }
    }

    /** A flag, with the metal it concerns (null for the lot as a whole) and a plain explanation. */
    public record Finding(Flag flag, Metal metal, String detail) {
    }

    /**
     * Batteries of one chemistry fed into the lot.
     *
     * @param grams          their RECYCLED masses summed
     * @param aboveDeclared  how many of them were recycled more than 5 % heavier than their registered mass
     */
    public record Input(Chemistry chemistry, int batteries, long grams, int aboveDeclared) {
    }

    /** Grams of a metal the input can plausibly contain, both ends included. */
    public record Expected(long minGrams, long maxGrams) {
    }

    /** Tolerance over the registered mass before an input counts as heavier than declared: 5 %. */
    public static final int DECLARED_MASS_TOLERANCE_BP = 500;

    private final Map<Metal, Expected> expected;
    private final List<Finding> findings;
    private final long inputGrams;

    private MassBalance(Map<Metal, Expected> expected, List<Finding> findings, long inputGrams) {
        this.expected = Collections.unmodifiableMap(expected);
        this.findings = List.copyOf(findings);
        this.inputGrams = inputGrams;
    }

    /**
     * Checks an assay.
     *
     * @param inputs    the lot's input per chemistry (empty for a lot without inputs)
     * @param contained the assayed grams per metal ({@code data.contained} of LOT_CLOSED); empty for an open lot
     */
    public static MassBalance check(List<Input> inputs, Map<Metal, Long> contained) {
        List<Finding> findings = new ArrayList<>();
        long total = inputs.stream().mapToLong(Input::grams).sum();
        Map<Metal, Expected> expected = new EnumMap<>(Metal.class);
        if (total == 0) {
            findings.add(new Finding(Flag.NO_INPUTS, null, "no battery was recycled into this lot"));
            return new MassBalance(expected, findings, 0);
        }
        int above = inputs.stream().mapToInt(Input::aboveDeclared).sum();
        if (above > 0) {
            findings.add(new Finding(Flag.INPUT_ABOVE_DECLARED_MASS, null, above + " of " + inputs.stream().mapToInt(Input::batteries).sum()
                    + " batteries were recycled more than 5 % heavier than registered"));
        }
        long unreferenced = 0;
        for (Metal metal : Metal.values()) {
            long min = 0;
            long max = 0;
            for (Input input : inputs) {
                Optional<Composition> composition = Composition.of(input.chemistry());
                if (composition.isPresent()) {
                    Composition.Range r = composition.get().ranges().get(metal);
                    min += input.grams() * r.minBasisPoints() / 10_000;
                    max += ceilDiv(input.grams() * r.maxBasisPoints(), 10_000);
                } else {
                    max += input.grams();
                }
            }
            expected.put(metal, new Expected(min, max));
        }
        for (Input input : inputs) {
            if (Composition.of(input.chemistry()).isEmpty()) {
                unreferenced += input.grams();
            }
        }
        if (unreferenced > 0) {
            findings.add(new Finding(Flag.NO_REFERENCE_COMPOSITION, null, unreferenced + " g of the input has no reference composition"));
        }
        if (contained.isEmpty()) {
            return new MassBalance(expected, findings, total); // not closed yet
        }
        long metals = 0;
        for (Metal metal : Metal.values()) {
            Expected e = expected.get(metal);
            Long grams = contained.get(metal);
            if (grams == null) {
                if (e.minGrams() > 0) {
                    findings.add(new Finding(Flag.NOT_ASSAYED, metal, metal.symbol() + " is not in the assay; the input should hold at least " + e.minGrams() + " g"));
                }
                continue;
            }
            metals += grams;
            if (grams > e.maxGrams()) {
                findings.add(new Finding(Flag.ABOVE_PLAUSIBLE, metal, metal.symbol() + " assayed " + grams + " g; the input holds at most " + e.maxGrams() + " g"));
            } else if (grams < e.minGrams()) {
                findings.add(new Finding(Flag.BELOW_PLAUSIBLE, metal, metal.symbol() + " assayed " + grams + " g; the input holds at least " + e.minGrams() + " g"));
            }
        }
        if (metals > total) {
            findings.add(new Finding(Flag.METALS_EXCEED_INPUT, null, "the assayed metals weigh " + metals + " g, more than the " + total + " g input"));
        }
        return new MassBalance(expected, findings, total);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    public Map<Metal, Expected> expected() {
        return expected;
    }

    public List<Finding> findings() {
        return findings;
    }

    public long inputGrams() {
        return inputGrams;
    }

    /** No finding other than informational ones. */
    public boolean plausible() {
        return findings.stream().allMatch(f -> f.flag().informational());
    }
}
