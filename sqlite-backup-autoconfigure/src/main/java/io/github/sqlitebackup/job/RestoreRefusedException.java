package io.github.sqlitebackup.job;

import io.github.sqlitebackup.SqliteBackupException;

/**
 * A restore that is refused unless forced: the backup belongs to another database, or its
 * schema is not the live one's.
 */
final class RestoreRefusedException extends SqliteBackupException {

	private static final long serialVersionUID = 1L;

	RestoreRefusedException(String message) {
		super(message);
	}

}
