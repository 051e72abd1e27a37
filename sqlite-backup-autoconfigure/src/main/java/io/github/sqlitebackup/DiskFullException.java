package io.github.sqlitebackup;

/**
 * Thrown when an operation ran out of disk space ({@code SQLITE_FULL}); nothing was
 * published or changed.
 */
public class DiskFullException extends SqliteBackupException {

	/**
	 * Create a new exception.
	 * @param message what failed and where space is missing
	 */
	public DiskFullException(String message) {
		super(message);
	}

}
