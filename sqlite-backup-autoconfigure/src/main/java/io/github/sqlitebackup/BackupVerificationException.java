package io.github.sqlitebackup;

/**
 * Thrown when a copy fails its verification before publication ({@code PRAGMA quick_check}
 * or {@code PRAGMA integrity_check}). Nothing is published; the live database itself may
 * be damaged.
 */
public class BackupVerificationException extends SqliteBackupException {

	/**
	 * Create a new exception.
	 * @param message what the check found
	 */
	public BackupVerificationException(String message) {
		super(message);
	}

}
