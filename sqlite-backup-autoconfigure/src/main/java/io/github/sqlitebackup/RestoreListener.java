package io.github.sqlitebackup;

/**
 * Takes part in a restore at its two decisive moments, for callers that check a backup
 * against what they know of it, or keep the state that the restore replaces. Set it with
 * {@link BackupOptions#withRestoreListener(RestoreListener)}; an exception from either
 * method stops the restore and leaves the live database as it was.
 */
public interface RestoreListener {

	/**
	 * Called once the backup is in its private staging copy and has passed
	 * {@code PRAGMA quick_check}, before the live database is touched. What is checked
	 * here is exactly what will be restored: nothing can change the staging copy.
	 * @param backup the staging copy and its facts
	 * @throws Exception to refuse the restore
	 */
	default void checkBackup(StagedBackup backup) throws Exception {
	}

	/**
	 * Called while the restore holds the live database's write lock and before it commits:
	 * nothing else can commit until the restore ends, so a backup taken now from another
	 * connection holds everything committed before the restore. (For a backup of a single
	 * page, an empty database, the restore has no such moment: this is called just before
	 * it starts instead.)
	 * @throws Exception to stop the restore
	 */
	default void liveDatabaseLocked() throws Exception {
	}

}
