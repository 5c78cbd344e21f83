package org.batterytrace.server.log;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** In-memory copies of log data follow the database only once the current transaction has ended. */
public final class TransactionEnd {
    private TransactionEnd() {
    }

    /** Runs {@code committed} after the current transaction commits, {@code otherwise} after it rolls back. */
    public static void then(TransactionSynchronizationRegistry transactions, Runnable committed, Runnable otherwise) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                (status == Status.STATUS_COMMITTED ? committed : otherwise).run();
            }
        });
    }
}
