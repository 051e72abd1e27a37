package io.github.sqlitebackup.job;

/**
 * Published after a run of the {@link BackupJob} failed, once the run is over.
 */
public class BackupFailedEvent extends BackupEvent {

	private final BackupRunOutcome outcome;

	private final Throwable cause;

	/**
	 * Create an event.
	 * @param job the job
	 * @param outcome the run's outcome
	 * @param cause why it failed
	 */
	public BackupFailedEvent(BackupJob job, BackupRunOutcome outcome, Throwable cause) {
		super(job, outcome.trigger());
		this.outcome = outcome;
		this.cause = cause;
	}

	/**
	 * Return the run's outcome, with its typed cause.
	 * @return the outcome
	 */
	public BackupRunOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Return why the run failed.
	 * @return the exception
	 */
	public Throwable getCause() {
		return this.cause;
	}

}
