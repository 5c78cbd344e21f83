package org.batterytrace.server.facts;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.organization.OrganizationFacts;

/** The facts a write is checked against, as of one value of the facts counter ({@link FactsCache}). */
public interface Facts {
    /** The counter value these answers hold at; a log transaction that finds another checks the write again. */
    long version();

    /** The organization an unrevoked API token belongs to. */
    Optional<String> tokenOwner(String tokenHash);

    /** The registered keys among {@code keyIds}. */
    Map<String, KeyFacts> keys(Set<String> keyIds);

    /** The registered organizations among {@code orgIds}, with the manufacturer codes each filed. */
    Map<String, OrganizationFacts> organizations(Set<String> orgIds);

    /** The enterprise that filed each of {@code codes}; codes nobody filed are absent. */
    Map<String, String> codeOwners(Set<String> codes);
}
