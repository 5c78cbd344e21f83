package org.batterytrace.server.log;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** A fresh in-memory H2 database for tests that work below the server on plain JDBC. */
final class InMemoryH2 {
    private InMemoryH2() {
    }

    static DataSource create(String purpose) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + purpose + "-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        return h2;
    }
}
