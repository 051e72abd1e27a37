package io.github.sqlitebackup;

import org.springframework.dao.DataAccessException;

/**
 * Thrown when a backup or restore cannot be started or does not complete. The message
 * says what failed and what to do about it; nothing is published when it is thrown.
 *
 * @see BackupCancelledException
 */
public class SqliteBackupException extends DataAccessException {

	/**
	 * Create a new exception.
	 * @param message what failed and what to do
	 */
	public SqliteBackupException(String message) {
		super(message);
	}

	/**
	 * Create a new exception.
	 * @param message what failed and what to do
	 * @param cause the underlying failure
	 */
	public SqliteBackupException(String message, Throwable cause) {
		super(message, cause);
	}

}
