package io.github.sqlitebackup;

/**
 * Receives progress after every {@code sqlite3_backup_step} of a backup or restore.
 * Called on the thread that runs the operation. If it throws, the operation stops at
 * once, fails with a {@link SqliteBackupException} whose cause is the thrown exception,
 * and nothing is published.
 */
@FunctionalInterface
public interface BackupProgressListener {

	/**
	 * Called after each step.
	 * @param progress the state of the copy after the step
	 */
	void onProgress(BackupProgress progress);

}
