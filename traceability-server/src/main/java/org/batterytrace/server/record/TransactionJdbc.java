package org.batterytrace.server.record;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.batterytrace.server.log.LogStorageException;
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

    /** {@code keys} in chunks of at most {@link #CHUNK}, for {@code IN (...)} queries. */
    public static void inChunks(Collection<String> keys, Consumer<List<String>> chunk) {
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += CHUNK) {
            chunk.accept(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
    }

    /** "?, ?, ?" for {@code n} parameters. */
    public static String placeholders(int n) {
        return "?,".repeat(n - 1) + "?";
    }
}
