package io.github.sqlitebackup.job;

/**
 * Published when a run of the backup job fails; nothing was published.
 */
public class BackupFailedEvent extends BackupEvent {

	private final Throwable cause;

	/**
	 * Create an event.
	 * @param job the job
	 * @param trigger what started the run
	 * @param cause why it failed
	 */
	public BackupFailedEvent(BackupJob job, BackupTrigger trigger, Throwable cause) {
		super(job, trigger);
		this.cause = cause;
	}

	/**
	 * Return why the run failed.
	 * @return the cause
	 */
	public Throwable getCause() {
		return this.cause;
	}

}
