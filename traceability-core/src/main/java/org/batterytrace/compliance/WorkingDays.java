package org.batterytrace.compliance;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A working-day calendar: Monday to Friday, minus public holidays, plus the weekend days that are
 * worked in exchange (China's 调休 make-up days, e.g. a Sunday before the National Day week). Days are
 * calendar dates in China ({@link ChinaTime#ZONE}); instants are turned into dates by the caller.
 *
 * <p>A calendar knows which years it <em>covers</em>: the years whose holiday notice it holds. Outside
 * them it still answers, counting Monday to Friday only; {@link #covers(LocalDate, LocalDate)} tells a
 * report whether an answer rests on published holidays or on weekends alone.
 */
public final class WorkingDays {
    /** Weekdays that are not worked. Weekend holidays are dropped: they change nothing. */
    private final NavigableSet<LocalDate> holidays;
    /** Saturdays and Sundays that are worked. */
    private final NavigableSet<LocalDate> workedWeekendDays;
    private final SortedSet<Integer> coveredYears;

    private WorkingDays(Collection<LocalDate> holidays, Collection<LocalDate> workedWeekendDays, Collection<Integer> coveredYears) {
        TreeSet<LocalDate> off = new TreeSet<>();
        holidays.stream().filter(d -> !isWeekend(d)).forEach(off::add);
        TreeSet<LocalDate> worked = new TreeSet<>();
        workedWeekendDays.stream().filter(WorkingDays::isWeekend).forEach(worked::add);
        this.holidays = Collections.unmodifiableNavigableSet(off);
        this.workedWeekendDays = Collections.unmodifiableNavigableSet(worked);
        this.coveredYears = Collections.unmodifiableSortedSet(new TreeSet<>(coveredYears));
    }

    /**
     * A calendar of {@code holidays} (days off, whatever their weekday) and {@code workedWeekendDays}
     * (make-up days; a listed weekday is already a working day and changes nothing). It covers every
     * year in which it lists a day.
     */
    public static WorkingDays of(Collection<LocalDate> holidays, Collection<LocalDate> workedWeekendDays) {
        TreeSet<Integer> years = new TreeSet<>();
        holidays.forEach(d -> years.add(d.getYear()));
        workedWeekendDays.forEach(d -> years.add(d.getYear()));
        return new WorkingDays(holidays, workedWeekendDays, years);
    }

    /** Weekends only; covers no year. */
    public static WorkingDays weekendsOnly() {
        return new WorkingDays(Collections.emptySet(), Collections.emptySet(), Collections.emptySet());
    }

    /** Exactly these days and covered years (for the published calendar, whose notices also reach into the previous December). */
    static WorkingDays of(Collection<LocalDate> holidays, Collection<LocalDate> workedWeekendDays, Collection<Integer> coveredYears) {
        return new WorkingDays(holidays, workedWeekendDays, coveredYears);
    }

    /**
     * This calendar with local corrections on top: every day in {@code holidays} becomes a day off and
     * every day in {@code workingDays} a working day, whatever this calendar said (a day in both is a
     * working day). Years in which a correction falls become covered.
     */
    public WorkingDays overriddenBy(Collection<LocalDate> holidays, Collection<LocalDate> workingDays) {
        TreeSet<LocalDate> off = new TreeSet<>(this.holidays);
        TreeSet<LocalDate> worked = new TreeSet<>(this.workedWeekendDays);
        TreeSet<LocalDate> weekendsOff = new TreeSet<>();
        holidays.forEach(d -> {
            off.add(d);
            if (isWeekend(d)) {
                weekendsOff.add(d);
            }
        });
        worked.removeAll(weekendsOff);
        workingDays.forEach(d -> {
            off.remove(d);
            worked.add(d);
        });
        TreeSet<Integer> years = new TreeSet<>(coveredYears);
        holidays.forEach(d -> years.add(d.getYear()));
        workingDays.forEach(d -> years.add(d.getYear()));
        return new WorkingDays(off, worked, years);
    }

    public boolean isWorkingDay(LocalDate day) {
        return isWeekend(day) ? workedWeekendDays.contains(day) : !holidays.contains(day);
    }

    /** The years whose holidays this calendar knows. */
    public SortedSet<Integer> coveredYears() {
        return coveredYears;
    }

    /** Whether every day from {@code from} to {@code to} (either order) lies in a covered year. */
    public boolean covers(LocalDate from, LocalDate to) {
        LocalDate first = from.isBefore(to) ? from : to;
        LocalDate last = from.isBefore(to) ? to : from;
        for (int year = first.getYear(); year <= last.getYear(); year++) {
            if (!coveredYears.contains(year)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Working days after {@code from} up to and including {@code to}: an event on Monday reported on
     * Tuesday took 1 working day; reported the same day, 0. Negative if {@code to} is before {@code from}.
     * Costs O(holidays in the range), not O(days).
     */
    public long between(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return -between(to, from);
        }
        long weekdays = weekdaysUpTo(to) - weekdaysUpTo(from);
        return weekdays - holidays.subSet(from, false, to, true).size() + workedWeekendDays.subSet(from, false, to, true).size();
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

    private static final LocalDate MONDAY = LocalDate.of(2000, 1, 3);

    /** Monday-to-Friday days from a fixed Monday up to {@code day} (negative before it); only differences matter. */
    private static long weekdaysUpTo(LocalDate day) {
        long days = ChronoUnit.DAYS.between(MONDAY, day);
        long weeks = Math.floorDiv(days, 7);
        long rest = Math.floorMod(days, 7); // 0 = Monday … 6 = Sunday
        return weeks * 5 + Math.min(rest + 1, 5);
    }

    private static boolean isWeekend(LocalDate day) {
        DayOfWeek d = day.getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
    }
}
