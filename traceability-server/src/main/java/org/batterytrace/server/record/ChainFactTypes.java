package org.batterytrace.server.record;

import java.util.List;
import java.util.Set;
import org.batterytrace.lifecycle.ChainFacts;
import org.batterytrace.lifecycle.EventType;

/** Which records need {@link ChainFacts} replayed for their chain, and which earlier records those facts come from. */
final class ChainFactTypes {
    /** Record types whose acceptance depends on earlier records of the chain. */
    static final Set<String> NEEDED_BY = Set.of(EventType.REPURPOSED.name(), EventType.DEPLOYED.name(), EventType.PASSPORT_DECLARED.name(),
            EventType.PASSPORT_UPDATED.name());
    /** The earlier records {@link ChainFacts#observe} learns from: tests, certificates and the chain's opening record (its economic operator). */
    static final List<String> OBSERVED = List.of(EventType.TESTED.name(), EventType.CERTIFIED.name(), EventType.PRODUCED.name(), EventType.ASSEMBLED.name());

    private ChainFactTypes() {
    }
}
