package org.batterytrace.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Role;
import org.junit.jupiter.api.Test;

class WorkingDaysTest {
    /** China's 2026 National Day week: 1-7 October off, Sunday 27 September and Saturday 10 October worked (illustrative). */
    static final WorkingDays CHINA_2026 = WorkingDays.of(dates(LocalDate.of(2026, 10, 1), 7), List.of(LocalDate.of(2026, 9, 27), LocalDate.of(2026, 10, 10)));

    static List<LocalDate> dates(LocalDate first, int n) {
        List<LocalDate> days = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            days.add(first.plusDays(i));
        }
        return days;
    }

    @Test
    void weekendsDoNotCount() {
        WorkingDays calendar = WorkingDays.weekendsOnly();
        LocalDate friday = LocalDate.of(2026, 11, 20);
        assertEquals(0, calendar.between(friday, friday));
        assertEquals(1, calendar.between(friday, LocalDate.of(2026, 11, 23)), "Friday to Monday is one working day");
        assertEquals(10, calendar.between(friday, LocalDate.of(2026, 12, 4)));
        assertEquals(-1, calendar.between(LocalDate.of(2026, 11, 23), friday));
        assertEquals(LocalDate.of(2026, 12, 11), calendar.deadline(friday, 15));
    }

    @Test
    void holidaysSkipAndMakeUpDaysCount() {
        assertFalse(CHINA_2026.isWorkingDay(LocalDate.of(2026, 10, 1)));
        assertTrue(CHINA_2026.isWorkingDay(LocalDate.of(2026, 9, 27)), "a worked Sunday");
        // Wednesday 30 Sep + 15 working days: 8, 9, 10 (Saturday, worked), 12..16, 19..23 = 13 days, then 26, 27.
        assertEquals(LocalDate.of(2026, 10, 27), CHINA_2026.deadline(LocalDate.of(2026, 9, 30), 15));
        assertEquals(15, CHINA_2026.between(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 27)));
        for (int n = 0; n < 40; n++) {
            LocalDate from = LocalDate.of(2026, 9, 20).plusDays(n);
            assertEquals(15, CHINA_2026.between(from, CHINA_2026.deadline(from, 15)), "deadline and between agree from " + from);
        }
    }

    @Test
    void deadlinesFollowTheActorAndTheStage() {
        assertEquals(15, ReportingDeadline.of(EventType.COLLECTED, Set.of(Role.CASCADE_ENTERPRISE)).orElseThrow().workingDays());
        assertEquals(30, ReportingDeadline.of(EventType.COLLECTED, Set.of(Role.SERVICE_POINT)).orElseThrow().workingDays());
        assertEquals(15, ReportingDeadline.of(EventType.TRANSFERRED, Set.of(Role.DISMANTLER)).orElseThrow().workingDays());
        assertEquals(30, ReportingDeadline.of(EventType.RECYCLED, Set.of(Role.RECYCLER, Role.DISMANTLER)).orElseThrow().workingDays());
        assertEquals(30, ReportingDeadline.of(EventType.REPLACED, Set.of(Role.REPAIRER)).orElseThrow().workingDays());
        assertEquals(15, ReportingDeadline.of(EventType.INSTALLED, Set.of(Role.VEHICLE_MAKER)).orElseThrow().workingDays());
        Set<EventType> unreported = Set.of(EventType.LOT_OPENED, EventType.PASSPORT_DECLARED, EventType.PASSPORT_UPDATED);
        for (EventType type : unreported) {
            assertTrue(ReportingDeadline.of(type, Set.of(Role.RECYCLER)).isEmpty(), type + " is not a stage the 2018 rules report");
        }
        for (EventType type : EventType.values()) {
            if (!unreported.contains(type)) {
                assertTrue(ReportingDeadline.of(type, Set.of(Role.RECYCLER)).isPresent(), type + " has a deadline");
            }
        }
    }
}
