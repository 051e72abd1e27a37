package io.github.sqlitebackup.job;

/**
 * Published when a run of the {@link BackupJob} published nothing because none was needed
 * or possible: see {@link BackupRunOutcome#cause()}.
 */
public class BackupSkippedEvent extends BackupEvent {

	private final BackupRunOutcome outcome;

	/**
	 * Create an event.
	 * @param job the job
	 * @param outcome the run's outcome
	 */
	public BackupSkippedEvent(BackupJob job, BackupRunOutcome outcome) {
		super(job, outcome.trigger());
		this.outcome = outcome;
	}

	/**
	 * Return the run's outcome.
	 * @return the outcome
	 */
	public BackupRunOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Return why no backup was made.
	 * @return the reason
	 */
	public String getReason() {
		return String.valueOf(this.outcome.reason());
	}

}
