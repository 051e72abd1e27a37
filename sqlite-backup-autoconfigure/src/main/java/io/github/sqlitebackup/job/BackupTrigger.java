package io.github.sqlitebackup.job;

/**
 * What started a run of the backup job.
 */
public enum BackupTrigger {

	/** The configured schedule. */
	SCHEDULE,

	/** A call of {@link BackupJob#run(BackupTrigger)} by the application or the endpoint. */
	MANUAL,

	/** The application shutting down, with {@code sqlite.backup.shutdown.backup=true}. */
	SHUTDOWN,

	/** A restore: the safety backup of the current state taken before it. */
	RESTORE

}
