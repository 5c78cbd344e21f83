package org.batterytrace.compliance;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * A working-day calendar: Monday to Friday, minus public holidays, plus the weekend days that are
 * worked in exchange (China's 调休 make-up days, e.g. a Sunday before the National Day week).
 */
public final class WorkingDays {
    private final Set<LocalDate> holidays;
    private final Set<LocalDate> workedWeekendDays;

    private WorkingDays(Collection<LocalDate> holidays, Collection<LocalDate> workedWeekendDays) {
        this.holidays = Set.copyOf(new TreeSet<>(holidays));
        this.workedWeekendDays = Set.copyOf(new TreeSet<>(workedWeekendDays));
    }

    public static WorkingDays of(Collection<LocalDate> holidays, Collection<LocalDate> workedWeekendDays) {
        return new WorkingDays(holidays, workedWeekendDays);
    }

    /** Weekends only. */
    public static WorkingDays weekendsOnly() {
        return new WorkingDays(Set.of(), Set.of());
    }

    public boolean isWorkingDay(LocalDate day) {
        if (workedWeekendDays.contains(day)) {
            return true;
        }
        DayOfWeek d = day.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY && !holidays.contains(day);
    }

    /**
     * Working days after {@code from} up to and including {@code to}: an event on Monday reported on
     * Tuesday took 1 working day; reported the same day, 0. Negative if {@code to} is before {@code from}.
     */
    public long between(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return -between(to, from);
        }
        long days = 0;
        for (LocalDate day = from.plusDays(1); !day.isAfter(to); day = day.plusDays(1)) {
            if (isWorkingDay(day)) {
                days++;
            }
        }
        return days;
    }

    /** The last day on which a report is still on time: {@code workingDays} working days after {@code from}. */
    public LocalDate deadline(LocalDate from, int workingDays) {
        LocalDate day = from;
        for (int left = workingDays; left > 0; ) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                left--;
            }
        }
        return day;
    }
}
