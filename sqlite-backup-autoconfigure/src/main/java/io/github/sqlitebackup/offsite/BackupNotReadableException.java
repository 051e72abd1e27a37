package io.github.sqlitebackup.offsite;

import io.github.sqlitebackup.SqliteBackupException;

/**
 * A stored backup that this application cannot read as configured: encrypted without an
 * identity, or in a codec this version or its class path lacks. Nothing was read.
 */
public class BackupNotReadableException extends SqliteBackupException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message why, and what to configure
	 */
	public BackupNotReadableException(String message) {
		super(message);
	}

}
