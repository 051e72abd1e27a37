package io.github.sqlitebackup.job;

/**
 * Published when a run of the backup job does not make a backup: another run is still
 * going, or the database has not changed since the newest backup.
 */
public class BackupSkippedEvent extends BackupEvent {

	private final String reason;

	/**
	 * Create an event.
	 * @param job the job
	 * @param trigger what started the run
	 * @param reason why no backup was made
	 */
	public BackupSkippedEvent(BackupJob job, BackupTrigger trigger, String reason) {
		super(job, trigger);
		this.reason = reason;
	}

	/**
	 * Return why no backup was made.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
