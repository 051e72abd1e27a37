package io.github.sqlitebackup.catalog;

/**
 * What started a backup; recorded in its manifest.
 */
public enum BackupTrigger {

	/** The configured schedule. */
	SCHEDULE,

	/** A request of the application or of the actuator endpoint. */
	MANUAL,

	/** The application shutting down, with {@code sqlite.backup.shutdown.backup=true}. */
	SHUTDOWN,

	/**
	 * A restore: the safety backup of the state the restore replaced. Safety backups have
	 * their own retention rule and never count against {@code keep-last}.
	 */
	RESTORE

}
