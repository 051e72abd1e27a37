package io.github.sqlitebackup.recovery;

import io.github.sqlitebackup.SqliteBackupException;

/**
 * Thrown when backups of a database exist but none could be restored, or when which
 * backups are the database's is ambiguous. Nothing was written to the database file.
 */
public class RecoveryFailedException extends SqliteBackupException {

	/**
	 * Create an exception.
	 * @param message what was tried and why each attempt failed
	 */
	public RecoveryFailedException(String message) {
		super(message);
	}

}
