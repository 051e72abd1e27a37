package io.github.sqlitebackup;

/**
 * Thrown when a backup or restore stops because it was cancelled: through its
 * {@link BackupCancellation}, by interrupting the calling thread, or because the
 * {@link SqliteBackupTemplate} was closed. Nothing is published and a live database being
 * restored keeps its previous content.
 */
public class BackupCancelledException extends SqliteBackupException {

	/**
	 * Create a new exception.
	 * @param message what was cancelled
	 */
	public BackupCancelledException(String message) {
		super(message);
	}

}
