package org.batterytrace.lifecycle;

import static org.batterytrace.lifecycle.BatteryState.*;
import static org.batterytrace.lifecycle.Role.*;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The explicit transition table of a battery's life, and the checks that enforce it. */
public final class Lifecycle {
    private static final Map<EventType, Transition> TABLE = new EnumMap<>(EventType.class);

    static {
        genesis(EventType.PRODUCED, PRODUCED, BATTERY_MAKER);
        genesis(EventType.ASSEMBLED, ASSEMBLED, CASCADE_ENTERPRISE);
        move(EventType.INSTALLED, states(PRODUCED), INSTALLED, VEHICLE_MAKER);
        move(EventType.SOLD, states(INSTALLED), IN_SERVICE, VEHICLE_MAKER, DEALER);
        stay(EventType.MAINTAINED, states(IN_SERVICE, DEPLOYED), REPAIRER, VEHICLE_MAKER, CASCADE_ENTERPRISE);
        stay(EventType.SWAPPED, states(IN_SERVICE), REPAIRER, VEHICLE_MAKER);
        move(EventType.REPLACED, states(IN_SERVICE), RETIRED, REPAIRER, VEHICLE_MAKER);
        move(EventType.RETIRED, states(INSTALLED, IN_SERVICE, DEPLOYED), RETIRED, VEHICLE_MAKER, REPAIRER, DISMANTLER, SERVICE_POINT, CASCADE_ENTERPRISE);
        move(EventType.COLLECTED, states(RETIRED), COLLECTED, SERVICE_POINT, DISMANTLER, CASCADE_ENTERPRISE, RECYCLER);
        move(EventType.TESTED, states(COLLECTED, TESTED), TESTED, CASCADE_ENTERPRISE, RECYCLER);
        move(EventType.REPURPOSED, states(TESTED), REPURPOSED, CASCADE_ENTERPRISE);
        move(EventType.DISMANTLED, states(COLLECTED, TESTED), DISMANTLED, DISMANTLER, RECYCLER, CASCADE_ENTERPRISE);
        move(EventType.SEPARATED, states(PRODUCED, INSTALLED, IN_SERVICE, RETIRED, COLLECTED, TESTED), COLLECTED, DISMANTLER, RECYCLER, CASCADE_ENTERPRISE);
        move(EventType.RECYCLED, states(COLLECTED, TESTED, DISMANTLED), RECYCLED, RECYCLER);
        genesis(EventType.LOT_OPENED, LOT_OPEN, RECYCLER);
        move(EventType.LOT_CLOSED, states(LOT_OPEN), LOT_CLOSED, RECYCLER);
        // Re-certification (a renewed certificate) is allowed until the product is deployed.
        move(EventType.CERTIFIED, states(ASSEMBLED, CERTIFIED), CERTIFIED, CASCADE_ENTERPRISE);
        move(EventType.DEPLOYED, states(CERTIFIED), DEPLOYED, CASCADE_ENTERPRISE);
        Set<BatteryState> live = EnumSet.complementOf(EnumSet.of(REPURPOSED, RECYCLED, LOT_OPEN, LOT_CLOSED));
        Set<Role> holders = EnumSet.noneOf(Role.class);
        EnumSet.allOf(Role.class).stream().filter(role -> !role.oversees()).forEach(holders::add);
        TABLE.put(EventType.TRANSFERRED, new Transition(EventType.TRANSFERRED, Collections.unmodifiableSet(live), Optional.empty(), Collections.unmodifiableSet(holders)));
        for (EventType type : EventType.values()) {
            if (!TABLE.containsKey(type)) {
                throw new IllegalStateException("no lifecycle rule for " + type);
            }
        }
    }

    private Lifecycle() {
    }

    public static Transition rule(EventType event) {
        return TABLE.get(event);
    }

    /** The full table, for documentation and the API. */
    public static Map<EventType, Transition> table() {
        return Collections.unmodifiableMap(TABLE);
    }

    /**
     * Checks one record against the state machine and custody rules and returns the battery's status
     * after it.
     *
     * @param current    status before the record, or {@code null} for a chain's first record
     * @param actorRoles roles of the recording organization, or {@code null} when unknown (offline audit)
     * @param receiver   the receiving organization, for {@link EventType#TRANSFERRED} only
     */
    public static CustodyStatus apply(CustodyStatus current, EventType event, String actor, Set<Role> actorRoles, String receiver) {
        Transition rule = TABLE.get(event);
        if (current == null) {
            if (!rule.isGenesis()) {
                throw new LifecycleViolationException(LifecycleViolationException.Kind.ILLEGAL_TRANSITION,
                        "a chain's first record must be PRODUCED, ASSEMBLED or LOT_OPENED, not " + event);
            }
        } else {
            if (current.state().isTerminal()) {
                throw new LifecycleViolationException(LifecycleViolationException.Kind.TERMINAL_STATE,
                        "battery is " + current.state() + "; its chain is closed");
            }
            // A module or cell of a dismantled pack is still held by its maker on paper; the dismantler takes it.
            if (event != EventType.SEPARATED && !current.custodian().equals(actor)) {
                throw new LifecycleViolationException(LifecycleViolationException.Kind.NOT_CUSTODIAN,
                        "only the custodian " + current.custodian() + " may record events for this battery, not " + actor);
            }
            if (rule.isGenesis() || !rule.from().contains(current.state())) {
                throw new LifecycleViolationException(LifecycleViolationException.Kind.ILLEGAL_TRANSITION,
                        event + " is not allowed in state " + current.state() + (rule.isGenesis() ? "" : " (allowed from " + rule.from() + ")"));
            }
        }
        if (actorRoles != null && Collections.disjoint(actorRoles, rule.roles())) {
            throw new LifecycleViolationException(LifecycleViolationException.Kind.ROLE_NOT_ALLOWED,
                    event + " may only be recorded by " + rule.roles() + "; " + actor + " holds " + actorRoles);
        }
        String custodian = actor;
        if (event == EventType.TRANSFERRED) {
            if (receiver == null || receiver.isEmpty()) {
                throw new LifecycleViolationException(LifecycleViolationException.Kind.BAD_TRANSFER, "a transfer must name its receiver in data.to");
            }
            if (receiver.equals(actor)) {
                throw new LifecycleViolationException(LifecycleViolationException.Kind.BAD_TRANSFER, "a custodian cannot transfer a battery to itself");
            }
            custodian = receiver;
        }
        BatteryState next = current == null ? rule.to().orElseThrow() : rule.apply(current.state());
        return new CustodyStatus(next, custodian);
    }

    private static Set<BatteryState> states(BatteryState... states) {
        return Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(states)));
    }

    private static Set<Role> roles(Role... roles) {
        return Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(roles)));
    }

    private static void genesis(EventType event, BatteryState to, Role... roles) {
        TABLE.put(event, new Transition(event, Set.of(), Optional.of(to), roles(roles)));
    }

    private static void move(EventType event, Set<BatteryState> from, BatteryState to, Role... roles) {
        TABLE.put(event, new Transition(event, from, Optional.of(to), roles(roles)));
    }

    private static void stay(EventType event, Set<BatteryState> from, Role... roles) {
        TABLE.put(event, new Transition(event, from, Optional.empty(), roles(roles)));
    }
}
