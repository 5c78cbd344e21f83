package org.batterytrace.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class WorkingDaysTest {
    /** China's 2026 National Day week: 1-7 October off, Sunday 20 September and Saturday 10 October worked. */
    static final WorkingDays CHINA_2026 = WorkingDays.of(dates(LocalDate.of(2026, 10, 1), 7), List.of(LocalDate.of(2026, 9, 20), LocalDate.of(2026, 10, 10)));

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
        assertFalse(calendar.covers(friday, friday));
    }

    @Test
    void holidaysSkipAndMakeUpDaysCount() {
        assertFalse(CHINA_2026.isWorkingDay(LocalDate.of(2026, 10, 1)));
        assertTrue(CHINA_2026.isWorkingDay(LocalDate.of(2026, 9, 20)), "a worked Sunday");
        // Wednesday 30 Sep + 15 working days: 8, 9, 10 (Saturday, worked), 12..16, 19..23 = 13 days, then 26, 27.
        assertEquals(LocalDate.of(2026, 10, 27), CHINA_2026.deadline(LocalDate.of(2026, 9, 30), 15));
        assertEquals(15, CHINA_2026.between(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 27)));
        for (int n = 0; n < 40; n++) {
            LocalDate from = LocalDate.of(2026, 9, 10).plusDays(n);
            assertEquals(15, CHINA_2026.between(from, CHINA_2026.deadline(from, 15)), "deadline and between agree from " + from);
        }
    }

    /** The definition, day by day: the fast counting must agree with it everywhere (style: a slow model straight from the spec). */
    static long naiveBetween(WorkingDays calendar, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return -naiveBetween(calendar, to, from);
        }
        long days = 0;
        for (LocalDate day = from.plusDays(1); !day.isAfter(to); day = day.plusDays(1)) {
            if (calendar.isWorkingDay(day)) {
                days++;
            }
        }
        return days;
    }

    static boolean naiveIsWorkingDay(Set<LocalDate> holidays, Set<LocalDate> worked, LocalDate day) {
        if (worked.contains(day)) {
            return true;
        }
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY && !holidays.contains(day);
    }

    @Test
    void fastCountingAgreesWithTheDayByDayDefinition() {
        Random random = new Random(20260131);
        for (int round = 0; round < 30; round++) {
            Set<LocalDate> holidays = new HashSet<>();
            Set<LocalDate> worked = new HashSet<>();
            LocalDate base = LocalDate.of(2017 + random.nextInt(12), 1, 1);
            for (int i = 0; i < 40; i++) {
                LocalDate d = base.plusDays(random.nextInt(800));
                if (random.nextBoolean()) {
                    holidays.add(d);
                } else if (d.getDayOfWeek().getValue() >= 6 && !holidays.contains(d)) {
                    worked.add(d);
                }
            }
            WorkingDays calendar = WorkingDays.of(holidays, worked);
            for (int i = 0; i < 300; i++) {
                LocalDate day = base.plusDays(random.nextInt(800));
                assertEquals(naiveIsWorkingDay(holidays, worked, day), calendar.isWorkingDay(day), day.toString());
                LocalDate other = day.plusDays(random.nextInt(200) - 100);
                assertEquals(naiveBetween(calendar, day, other), calendar.between(day, other), day + " .. " + other);
                int n = random.nextInt(40);
                LocalDate deadline = calendar.deadline(day, n);
                assertEquals(n, calendar.between(day, deadline), "deadline from " + day);
                assertTrue(n == 0 ? deadline.equals(day) : calendar.isWorkingDay(deadline), "a deadline is a working day");
            }
        }
    }

    @Test
    void thePublishedCalendarKnowsTheSpringFestivalAndTheMakeUpDays() {
        WorkingDays china = ChinaTime.publishedHolidays();
        assertEquals(new TreeSet<>(List.of(2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026)), china.coveredYears());
        for (LocalDate day = LocalDate.of(2026, 2, 15); !day.isAfter(LocalDate.of(2026, 2, 23)); day = day.plusDays(1)) {
            assertFalse(china.isWorkingDay(day), "Spring Festival 2026: " + day);
        }
        assertTrue(china.isWorkingDay(LocalDate.of(2026, 2, 14)), "Saturday 14 February 2026 is worked");
        assertTrue(china.isWorkingDay(LocalDate.of(2026, 2, 28)), "Saturday 28 February 2026 is worked");
        assertFalse(china.isWorkingDay(LocalDate.of(2020, 2, 1)), "the COVID-19 extension made Saturday 1 February 2020 a holiday");
        assertTrue(china.isWorkingDay(LocalDate.of(2019, 5, 5)), "2019 Labour Day adjustment: Sunday 5 May worked");
        // Friday 13 February 2026 + 15 working days: 14 (Sat, worked), 24, 25, 26, 27, 28 (Sat, worked), then 2..6 and 9..12 March.
        assertEquals(LocalDate.of(2026, 3, 12), china.deadline(LocalDate.of(2026, 2, 13), 15));
        assertEquals(LocalDate.of(2026, 3, 6), WorkingDays.weekendsOnly().deadline(LocalDate.of(2026, 2, 13), 15), "weekends only would be 6 days earlier");
        assertTrue(china.covers(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 31)));
        assertFalse(china.covers(LocalDate.of(2026, 12, 1), LocalDate.of(2027, 1, 15)), "2027's notice is not published in the data");
        assertTrue(china.isWorkingDay(LocalDate.of(2027, 2, 8)), "outside the covered years only weekends are off");
    }

    @Test
    void configurationOverridesThePublishedDays() {
        WorkingDays china = ChinaTime.publishedHolidays();
        WorkingDays local = china.overriddenBy(List.of(LocalDate.of(2027, 2, 8), LocalDate.of(2026, 2, 14)), List.of(LocalDate.of(2026, 2, 16)));
        assertFalse(local.isWorkingDay(LocalDate.of(2027, 2, 8)), "a configured holiday");
        assertFalse(local.isWorkingDay(LocalDate.of(2026, 2, 14)), "a configured holiday undoes a published make-up Saturday");
        assertTrue(local.isWorkingDay(LocalDate.of(2026, 2, 16)), "a configured working day undoes a published holiday");
        assertTrue(local.coveredYears().contains(2027), "configuring a day of 2027 covers 2027");
        assertTrue(china.isWorkingDay(LocalDate.of(2026, 2, 14)), "the published calendar itself is unchanged");
    }

    @Test
    void daysAreBeijingDates() {
        assertEquals(LocalDate.of(2026, 2, 1), ChinaTime.date(Instant.parse("2026-01-31T20:00:00Z")));
        assertEquals(LocalDate.of(2026, 1, 31), ChinaTime.date(Instant.parse("2026-01-31T15:59:59.999Z")));
        assertEquals("2026-02", ChinaTime.month(Instant.parse("2026-01-31T16:00:00Z")).toString());
        assertEquals(Instant.parse("2026-01-31T16:00:00Z"), ChinaTime.startOf(LocalDate.of(2026, 2, 1)));
    }

    @Test
    void malformedCalendarFilesAreRefused() throws Exception {
        String header = "# comment\ndate\tkind\tfestival\tyear_notice\n";
        assertThrows(IllegalArgumentException.class, () -> parse(header + "2026-02-16\tworkday\tSpring Festival\t2026\n"), "a Monday cannot be a make-up day");
        assertThrows(IllegalArgumentException.class, () -> parse(header + "2026-02-16\tholiday\tx\t2026\n2026-02-16\tholiday\tx\t2026\n"), "twice");
        assertThrows(IllegalArgumentException.class, () -> parse(header + "2026-02-16\tday-off\tx\t2026\n"), "unknown kind");
        assertThrows(IllegalArgumentException.class, () -> parse("2026-02-16\tholiday\tx\t2026\n"), "no header");
        assertThrows(RuntimeException.class, () -> parse(header + "2026-02-30\tholiday\tx\t2026\n"), "not a date");
        assertEquals(Set.of(2026), parse(header + "2026-02-16\tholiday\tx\t2026\n").coveredYears());
    }

    private static WorkingDays parse(String text) throws Exception {
        return ChinaTime.parse(new BufferedReader(new StringReader(text)));
    }
}
