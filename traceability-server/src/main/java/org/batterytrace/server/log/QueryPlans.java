package org.batterytrace.server.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGStatement;

/** How PostgreSQL plans the statements whose array parameters vary in size. */
public final class QueryPlans {
    private QueryPlans() {
    }

    /**
     * PostgreSQL plans this statement for its actual arrays at every execution instead of caching a
     * generic plan. A generic plan made while a table was small (a new database, the first minutes of a
     * benchmark) scans the whole table and compares each row with every key of the array, unhashed; as
     * the table grew, reading 5,000 battery heads took seconds of database CPU. Planned with the keys
     * known, the array's size is known too and an index scan (or a hashed comparison) is chosen.
     * Planning costs far less than one such scan. Other databases' statements are left as they are.
     */
    public static void plannedWithItsKeys(PreparedStatement statement) throws SQLException {
        if (statement.isWrapperFor(PGStatement.class)) {
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
    }

    /**
     * While {@code on} (in the current transaction), PostgreSQL joins by index lookups only; off returns
     * to the configured plans. For statements that change a few rows of a large table found by key from an
     * array: planned for thousands of keys, they would rather hash the whole table.
     */
    public static void joinByIndexLookups(Connection connection, boolean on) throws SQLException {
        String value = on ? "off" : "DEFAULT";
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL enable_hashjoin TO " + value + "; SET LOCAL enable_mergejoin TO " + value);
        }
    }
}
