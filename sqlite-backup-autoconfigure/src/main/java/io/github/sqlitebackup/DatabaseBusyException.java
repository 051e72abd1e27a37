package io.github.sqlitebackup;

/**
 * Thrown when the database stayed locked by other connections ({@code SQLITE_BUSY} or
 * {@code SQLITE_LOCKED}) through every retry an operation was allowed.
 */
public class DatabaseBusyException extends SqliteBackupException {

	/**
	 * Create a new exception.
	 * @param message what failed and what to do
	 */
	public DatabaseBusyException(String message) {
		super(message);
	}

}
