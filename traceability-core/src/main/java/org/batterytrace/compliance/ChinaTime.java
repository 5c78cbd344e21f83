package org.batterytrace.compliance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Calendar days in mainland China. Every day, month and deadline on the platform is a date in Beijing
 * time (Asia/Shanghai, UTC+8 without daylight saving since 1991), whatever the server's zone: a record
 * at 2026-01-31T20:00Z happened on 1 February. The State Council's public holidays and make-up working
 * days for the published years ship with the library ({@code china-holidays.tsv}, with its sources).
 */
public final class ChinaTime {
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The shipped calendar file, next to this class. */
    public static final String HOLIDAYS_RESOURCE = "china-holidays.tsv";

    private static volatile WorkingDays published;

    private ChinaTime() {
    }

    /** The date in China of {@code instant}. */
    public static LocalDate date(Instant instant) {
        return instant.atZone(ZONE).toLocalDate();
    }

    /** The month in China of {@code instant}. */
    public static YearMonth month(Instant instant) {
        return YearMonth.from(instant.atZone(ZONE));
    }

    /** The first instant of {@code day} in China. */
    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant();
    }

    /**
     * The working-day calendar of the State Council's yearly holiday notices (国务院办公厅关于部分节假日安排的通知)
     * shipped with the library: holidays, including weekend days inside a holiday block, and weekend days
     * worked in exchange. It covers the years of the notices it holds ({@link WorkingDays#coveredYears()});
     * outside them it counts Monday to Friday.
     */
    public static WorkingDays publishedHolidays() {
        WorkingDays calendar = published;
        if (calendar == null) {
            try (InputStream in = ChinaTime.class.getResourceAsStream(HOLIDAYS_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(HOLIDAYS_RESOURCE + " is missing from the class path");
                }
                calendar = parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            published = calendar;
        }
        return calendar;
    }

    /**
     * Reads the tab-separated calendar: {@code #} comment lines, a header row, then
     * {@code date kind festival year_notice} with kind {@code holiday} or {@code workday}. A workday row
     * must fall on a Saturday or Sunday and no date may appear twice; the years covered are the
     * {@code year_notice} values.
     *
     * @throws IllegalArgumentException on a malformed line
     */
    static WorkingDays parse(BufferedReader reader) throws IOException {
        List<LocalDate> holidays = new ArrayList<>();
        List<LocalDate> workdays = new ArrayList<>();
        TreeSet<LocalDate> seen = new TreeSet<>();
        TreeSet<Integer> years = new TreeSet<>();
        boolean header = true;
        int number = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t");
            if (header) {
                if (cells.length < 4 || !cells[0].equals("date") || !cells[1].equals("kind") || !cells[3].equals("year_notice")) {
                    throw new IllegalArgumentException("line " + number + ": expected the header date, kind, festival, year_notice");
                }
                header = false;
                continue;
            }
            if (cells.length != 4) {
                throw new IllegalArgumentException("line " + number + ": expected 4 tab-separated cells, got " + cells.length);
            }
            LocalDate date = LocalDate.parse(cells[0]);
            if (!seen.add(date)) {
                throw new IllegalArgumentException("line " + number + ": " + date + " appears twice");
            }
            years.add(Integer.parseInt(cells[3]));
            switch (cells[1]) {
                case "holiday" -> holidays.add(date);
                case "workday" -> {
                    if (date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY) {
                        throw new IllegalArgumentException("line " + number + ": make-up working day " + date + " is not a Saturday or Sunday");
                    }
                    workdays.add(date);
                }
                default -> throw new IllegalArgumentException("line " + number + ": kind must be holiday or workday, got " + cells[1]);
            }
        }
        if (header) {
            throw new IllegalArgumentException("no header row");
        }
        return WorkingDays.of(holidays, workdays, years);
    }
}
