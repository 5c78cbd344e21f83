package org.batterytrace.organization;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.batterytrace.lifecycle.Role;

/**
 * What the record rules need to know of an organization at one point of the log: its roles, its white-list
 * qualification and the GB/T 34014 manufacturer codes it filed. The server keeps them in tables; the log
 * holds them as {@link OrganizationEvents}, so the offline verifier applies the same rules to the same facts.
 */
public record OrganizationFacts(String id, Set<Role> roles, Qualification qualification, Set<String> manufacturerCodes) {
    public OrganizationFacts {
        roles = roles.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Role.class)) : Collections.unmodifiableSet(EnumSet.copyOf(roles));
        qualification = qualification == null ? Qualification.NONE : qualification;
        manufacturerCodes = Collections.unmodifiableSet(new TreeSet<>(manufacturerCodes));
    }

    /**
     * A white-list (qualification) decision for handling waste batteries, valid through {@code validUntil}
     * (a Beijing calendar day, inclusive; null = open-ended).
     */
    public record Qualification(boolean qualified, LocalDate validUntil, String reference) {
        public static final Qualification NONE = new Qualification(false, null, null);

        public boolean on(LocalDate day) {
            return qualified && (validUntil == null || !day.isAfter(validUntil));
        }
    }

    /** On the white list on {@code day} (a Beijing calendar day). */
    public boolean qualifiedOn(LocalDate day) {
        return qualification.on(day);
    }

    public OrganizationFacts withQualification(Qualification q) {
        return new OrganizationFacts(id, roles, q, manufacturerCodes);
    }
}
