package org.batterytrace.server.log;

/** The database failed underneath the log: a server fault, never a client mistake. */
public class LogStorageException extends RuntimeException {
    public LogStorageException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
