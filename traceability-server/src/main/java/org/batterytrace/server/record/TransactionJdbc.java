package org.batterytrace.server.record;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.batterytrace.server.log.LogStorageException;
import org.batterytrace.server.log.QueryPlans;
import org.hibernate.Session;

/** Plain JDBC on the current transaction's connection, for the bulk paths where entity bookkeeping costs more than the SQL. */
@ApplicationScoped
public class TransactionJdbc {
    /** Keys per {@code IN (...)} list: well under every driver's parameter limit. */
    public static final int CHUNK = 500;

    @Inject
    EntityManager em;

    public interface SqlWork {
        void run(Connection connection) throws SQLException;
    }

    public void run(String what, SqlWork work) {
        em.unwrap(Session.class).doWork(connection -> {
            try {
                work.run(connection);
            } catch (SQLException e) {
                throw new LogStorageException(what, e);
            }
        });
    }

    /** A timestamp column of a native query as an instant, whichever type the driver and Hibernate return it as. */
    public static java.time.Instant instant(Object value) {
        if (value instanceof java.time.Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    /** A numeric server setting of PostgreSQL as the current transaction sees it, in its base unit ({@code pg_settings}); empty elsewhere (H2). */
    public java.util.OptionalLong postgresSetting(String name) {
        java.util.OptionalLong[] value = {java.util.OptionalLong.empty()};
        run("reading the setting " + name, connection -> {
            if (!connection.isWrapperFor(org.postgresql.PGConnection.class)) {
                return;
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT setting FROM pg_settings WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        value[0] = java.util.OptionalLong.of(Long.parseLong(rs.getString(1)));
                    }
                }
            }
        });
        return value[0];
    }

    /** Reads one result row. */
    public interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /**
     * Runs {@code select} (ending in {@code WHERE <column>}) with {@code = ANY(?)} over {@code keys}, in
     * chunks of at most {@link #CHUNK}, handing every result row to {@code reader}.
     */
    public void selectIn(String what, String select, Collection<String> keys, RowReader reader) {
        selectIn(what, select, "varchar", String[]::new, keys, reader);
    }

    /** {@link #selectIn} over binary keys (record hashes). */
    public void selectInBinary(String what, String select, Collection<byte[]> keys, RowReader reader) {
        selectIn(what, select, "bytea", byte[][]::new, keys, reader);
    }

    /** {@code newArray} makes the typed array the drivers expect (PostgreSQL refuses a {@code byte[]} inside an {@code Object[]}). */
    private void selectIn(String what, String select, String elementType, java.util.function.IntFunction<Object[]> newArray, Collection<?> keys,
            RowReader reader) {
        if (keys.isEmpty()) {
            return;
        }
        List<?> all = new ArrayList<>(keys);
        run(what, connection -> {
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<?> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                // One array parameter rather than an IN list: one statement text for every size.
                try (PreparedStatement statement = connection.prepareStatement(select + " = ANY(?)")) {
                    QueryPlans.plannedWithItsKeys(statement);
                    statement.setArray(1, connection.createArrayOf(elementType, chunk.toArray(newArray)));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            reader.read(rs);
                        }
                    }
                }
            }
        });
    }
}
