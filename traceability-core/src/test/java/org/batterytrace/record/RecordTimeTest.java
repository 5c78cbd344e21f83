package org.batterytrace.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordTimeTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-05-08T09:30:00Z", "2026-05-08T09:30:00.5Z", "2026-05-08T09:30:00.123456789Z", "2028-02-29T23:59:59.000001Z",
            "0001-01-01T00:00:00Z"})
    void acceptsStrictUtcTimesAndAgreesWithInstantParse(String time) {
        assertEquals(Instant.parse(time), TraceRecord.parseTime(time));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2026-05-08", "2026-05-08T09:30:00", "2026-05-08T09:30:00+08:00", "2026-05-08 09:30:00Z",
            "2026-05-08t09:30:00Z", "2026-05-08T09:30:00.Z", "2026-05-08T09:30:00.1234567890Z", "2026-5-08T09:30:00Z",
            "2026-05-08T09:3a:00Z", "２０２６-05-08T09:30:00Z", "2026-05-08T09:30:00,5Z", "+2026-05-08T09:30:00Z"})
    void rejectsAnythingElse(String time) {
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> TraceRecord.parseTime(time));
        assertTrue(e.getMessage().startsWith("record.time must be RFC 3339 UTC"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2027-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-05-08T24:00:00Z", "2026-05-08T23:60:00Z",
            "2026-05-08T23:59:60Z"})
    void rejectsImpossibleDates(String time) {
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> TraceRecord.parseTime(time));
        assertEquals("record.time is not a real instant: " + time, e.getMessage());
    }
}
