package org.batterytrace.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LotFactsTest {
    @Test
    void aLotIsClosedOnlyAfterAnInput() {
        LotFacts lot = LotFacts.withInputs(0);
        LifecycleViolationException e = assertThrows(LifecycleViolationException.class, () -> lot.check(EventType.LOT_CLOSED, "LOT-X"));
        assertEquals(LifecycleViolationException.Kind.EMPTY_LOT, e.kind());
        lot.observeInput();
        lot.check(EventType.LOT_CLOSED, "LOT-X");
        assertEquals(1, lot.inputs());
        LotFacts.withInputs(0).check(EventType.LOT_OPENED, "LOT-X");
    }
}
