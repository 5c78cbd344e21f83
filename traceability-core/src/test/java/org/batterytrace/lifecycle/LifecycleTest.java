package org.batterytrace.lifecycle;

import static org.batterytrace.lifecycle.BatteryState.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private static final String MAKER = "maker", OEM = "oem", POINT = "point", CASCADE = "cascade", RECYCLER = "recycler";

    private static CustodyStatus step(CustodyStatus s, EventType e, String actor, Role role) {
        return Lifecycle.apply(s, e, actor, Set.of(role), null);
    }

    private static CustodyStatus transfer(CustodyStatus s, String from, Role role, String to) {
        return Lifecycle.apply(s, EventType.TRANSFERRED, from, Set.of(role), to);
    }

    @Test
    void walksAPackFromProductionToCascadeUse() {
        CustodyStatus s = step(null, EventType.PRODUCED, MAKER, Role.BATTERY_MAKER);
        assertEquals(new CustodyStatus(PRODUCED, MAKER), s);
        s = transfer(s, MAKER, Role.BATTERY_MAKER, OEM);
        assertEquals(new CustodyStatus(PRODUCED, OEM), s);
        s = step(s, EventType.INSTALLED, OEM, Role.VEHICLE_MAKER);
        s = step(s, EventType.SOLD, OEM, Role.VEHICLE_MAKER);
        s = step(s, EventType.MAINTAINED, OEM, Role.VEHICLE_MAKER);
        s = step(s, EventType.RETIRED, OEM, Role.VEHICLE_MAKER);
        assertTrue(s.state().isWaste());
        s = transfer(s, OEM, Role.VEHICLE_MAKER, POINT);
        s = step(s, EventType.COLLECTED, POINT, Role.SERVICE_POINT);
        s = transfer(s, POINT, Role.SERVICE_POINT, CASCADE);
        s = step(s, EventType.TESTED, CASCADE, Role.CASCADE_ENTERPRISE);
        s = step(s, EventType.REPURPOSED, CASCADE, Role.CASCADE_ENTERPRISE);
        assertEquals(new CustodyStatus(REPURPOSED, CASCADE), s);
        assertTrue(s.state().isTerminal());
    }

    @Test
    void walksACascadeProductToRecycling() {
        CustodyStatus s = step(null, EventType.ASSEMBLED, CASCADE, Role.CASCADE_ENTERPRISE);
        s = step(s, EventType.CERTIFIED, CASCADE, Role.CASCADE_ENTERPRISE);
        s = step(s, EventType.DEPLOYED, CASCADE, Role.CASCADE_ENTERPRISE);
        s = step(s, EventType.RETIRED, CASCADE, Role.CASCADE_ENTERPRISE);
        s = transfer(s, CASCADE, Role.CASCADE_ENTERPRISE, RECYCLER);
        s = step(s, EventType.COLLECTED, RECYCLER, Role.RECYCLER);
        s = step(s, EventType.DISMANTLED, RECYCLER, Role.RECYCLER);
        s = step(s, EventType.RECYCLED, RECYCLER, Role.RECYCLER);
        assertEquals(new CustodyStatus(RECYCLED, RECYCLER), s);
    }

    @Test
    void aSeparatedModuleMovesToTheDismantlerAndLotsKeepToThemselves() {
        CustodyStatus module = step(null, EventType.PRODUCED, MAKER, Role.BATTERY_MAKER);
        module = step(module, EventType.SEPARATED, RECYCLER, Role.RECYCLER);
        assertEquals(new CustodyStatus(COLLECTED, RECYCLER), module, "the pack's dismantler takes the module from its maker");
        assertEquals(new CustodyStatus(RECYCLED, RECYCLER), step(module, EventType.RECYCLED, RECYCLER, Role.RECYCLER));
        CustodyStatus produced = step(null, EventType.PRODUCED, MAKER, Role.BATTERY_MAKER);
        assertThrows(LifecycleViolationException.class, () -> step(produced, EventType.SEPARATED, MAKER, Role.BATTERY_MAKER), "makers do not dismantle");

        CustodyStatus lot = step(null, EventType.LOT_OPENED, RECYCLER, Role.RECYCLER);
        assertEquals(new CustodyStatus(LOT_OPEN, RECYCLER), lot);
        CustodyStatus open = lot;
        assertThrows(LifecycleViolationException.class, () -> transfer(open, RECYCLER, Role.RECYCLER, OEM), "lots are not transferable");
        assertThrows(LifecycleViolationException.class, () -> step(open, EventType.RECYCLED, RECYCLER, Role.RECYCLER));
        CustodyStatus closed = step(lot, EventType.LOT_CLOSED, RECYCLER, Role.RECYCLER);
        assertTrue(closed.state().isTerminal());
        assertThrows(LifecycleViolationException.class, () -> step(closed, EventType.LOT_CLOSED, RECYCLER, Role.RECYCLER));
    }

    @Test
    void rejectsAnIllegalMoveWithItsReason() {
        CustodyStatus produced = step(null, EventType.PRODUCED, MAKER, Role.BATTERY_MAKER);
        var e = assertThrows(LifecycleViolationException.class, () -> step(produced, EventType.RECYCLED, MAKER, Role.RECYCLER));
        assertEquals(LifecycleViolationException.Kind.ILLEGAL_TRANSITION, e.kind());
        assertTrue(e.getMessage().contains("not allowed in state PRODUCED"), e.getMessage());
    }

    @Test
    void onlyTheCustodianRecords() {
        CustodyStatus produced = step(null, EventType.PRODUCED, MAKER, Role.BATTERY_MAKER);
        var e = assertThrows(LifecycleViolationException.class, () -> step(produced, EventType.INSTALLED, OEM, Role.VEHICLE_MAKER));
        assertEquals(LifecycleViolationException.Kind.NOT_CUSTODIAN, e.kind());
    }

    @Test
    void rolesDecideWhoRecordsWhat() {
        var e = assertThrows(LifecycleViolationException.class, () -> step(null, EventType.PRODUCED, RECYCLER, Role.RECYCLER));
        assertEquals(LifecycleViolationException.Kind.ROLE_NOT_ALLOWED, e.kind());
        // Offline audit: roles unknown, so only state and custody are checked.
        assertEquals(PRODUCED, Lifecycle.apply(null, EventType.PRODUCED, RECYCLER, null, null).state());
    }

    @Test
    void firstRecordMustBeGenesis() {
        assertEquals(LifecycleViolationException.Kind.ILLEGAL_TRANSITION,
                assertThrows(LifecycleViolationException.class, () -> step(null, EventType.SOLD, OEM, Role.VEHICLE_MAKER)).kind());
        CustodyStatus produced = step(null, EventType.PRODUCED, MAKER, Role.BATTERY_MAKER);
        assertEquals(LifecycleViolationException.Kind.ILLEGAL_TRANSITION,
                assertThrows(LifecycleViolationException.class, () -> step(produced, EventType.PRODUCED, MAKER, Role.BATTERY_MAKER)).kind());
    }

    @Test
    void closedChainsAcceptNothing() {
        CustodyStatus recycled = new CustodyStatus(RECYCLED, RECYCLER);
        assertEquals(LifecycleViolationException.Kind.TERMINAL_STATE,
                assertThrows(LifecycleViolationException.class, () -> transfer(recycled, RECYCLER, Role.RECYCLER, MAKER)).kind());
    }

    @Test
    void transfersNeedAnotherReceiver() {
        CustodyStatus produced = step(null, EventType.PRODUCED, MAKER, Role.BATTERY_MAKER);
        assertEquals(LifecycleViolationException.Kind.BAD_TRANSFER,
                assertThrows(LifecycleViolationException.class, () -> transfer(produced, MAKER, Role.BATTERY_MAKER, MAKER)).kind());
        assertEquals(LifecycleViolationException.Kind.BAD_TRANSFER,
                assertThrows(LifecycleViolationException.class, () -> transfer(produced, MAKER, Role.BATTERY_MAKER, null)).kind());
        assertEquals(LifecycleViolationException.Kind.ROLE_NOT_ALLOWED,
                assertThrows(LifecycleViolationException.class, () -> Lifecycle.apply(produced, EventType.TRANSFERRED, MAKER, Set.of(Role.REGULATOR), OEM)).kind());
    }

    @Test
    void everyStateIsReachableAndEveryNonTerminalStateHasAWayOn() {
        Set<BatteryState> reachable = EnumSet.noneOf(BatteryState.class);
        for (Transition t : Lifecycle.table().values()) {
            t.to().ifPresent(reachable::add);
        }
        assertEquals(EnumSet.allOf(BatteryState.class), reachable);
        for (BatteryState state : BatteryState.values()) {
            boolean canMove = Lifecycle.table().values().stream().anyMatch(t -> t.from().contains(state) && t.to().isPresent() && t.to().get() != state);
            assertEquals(!state.isTerminal(), canMove, state.name());
        }
    }
}
