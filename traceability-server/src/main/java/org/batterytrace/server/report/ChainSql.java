package org.batterytrace.server.report;

import java.util.Map;
import java.util.stream.Collectors;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.Transition;

/**
 * SQL fragments over the log shared by the reports: a battery's state and custodian at a past instant,
 * replayed from its chain, and months in Beijing time. Chains are time-ordered (ingest refuses a record
 * older than its predecessor), so the records up to an instant are a prefix of the chain.
 */
public final class ChainSql {
    private ChainSql() {
    }

    /** The record types that change a chain's state (everything but TRANSFERRED, MAINTAINED, SWAPPED), quoted for IN (...). */
    public static final String MOVING_TYPES = Lifecycle.table().values().stream().filter(t -> t.to().isPresent()).map(t -> "'" + t.event() + "'")
            .collect(Collectors.joining(", "));

    /** The state a chain is in after a record of the type in {@code typeColumn}, when that type changes state. */
    static String stateAfter(String typeColumn) {
        StringBuilder sql = new StringBuilder("CASE ").append(typeColumn);
        for (Map.Entry<EventType, Transition> e : Lifecycle.table().entrySet()) {
            e.getValue().to().ifPresent(to -> sql.append(" WHEN '").append(e.getKey()).append("' THEN '").append(to).append('\''));
        }
        return sql.append(" END").toString();
    }

    /**
     * Every battery as it stood at the instant bound to {@code :asOf}: alias {@code b} the battery,
     * {@code m} its last state-changing record at or before the instant (the state is
     * {@code stateAfter("m.type")}, entered at {@code m.record_time}), {@code l} its last record, and
     * {@code o} the custodian then: the receiver of {@code l} if it was a transfer, else its actor.
     * Batteries registered after the instant are absent.
     */
    static final String BATTERIES_AT = "battery b"
            + " JOIN (SELECT subject, MAX(seq) AS seq FROM log_entry WHERE record_time <= :asOf AND type IN (" + MOVING_TYPES + ") GROUP BY subject) ms ON ms.subject = b.code"
            + " JOIN log_entry m ON m.subject = ms.subject AND m.seq = ms.seq"
            + " JOIN (SELECT subject, MAX(seq) AS seq FROM log_entry WHERE record_time <= :asOf GROUP BY subject) ls ON ls.subject = b.code"
            + " JOIN log_entry l ON l.subject = ls.subject AND l.seq = ls.seq"
            + " LEFT JOIN record_fact t ON t.idx = l.idx"
            + " JOIN organization o ON o.id = " + custodianAfter("l", "t");

    /** The custodian after log entry {@code entry} whose record_fact row is {@code fact}. */
    static String custodianAfter(String entry, String fact) {
        return "(CASE WHEN " + entry + ".type = 'TRANSFERRED' THEN " + fact + ".receiver ELSE " + entry + ".actor END)";
    }

    /** yyyymm of a timestamp column, in Beijing time. */
    static String month(String timestampColumn) {
        String local = "(" + timestampColumn + " AT TIME ZONE '" + ChinaTime.ZONE.getId() + "')";
        return "(EXTRACT(YEAR FROM " + local + ") * 100 + EXTRACT(MONTH FROM " + local + "))";
    }

    /** yyyymm of a date column (already a date in China). */
    static String monthOfDate(String dateColumn) {
        return "(EXTRACT(YEAR FROM " + dateColumn + ") * 100 + EXTRACT(MONTH FROM " + dateColumn + "))";
    }
}
