package io.github.sqlitebackup.job;

import io.github.sqlitebackup.catalog.BackupTrigger;

/**
 * Published after every restore attempt of the {@link BackupJob}, whatever its outcome.
 */
public class RestoreFinishedEvent extends BackupEvent {

	private final RestoreOutcome outcome;

	/**
	 * Create an event.
	 * @param job the job
	 * @param outcome the restore's outcome
	 */
	public RestoreFinishedEvent(BackupJob job, RestoreOutcome outcome) {
		super(job, BackupTrigger.RESTORE);
		this.outcome = outcome;
	}

	/**
	 * Return the restore's outcome.
	 * @return the outcome
	 */
	public RestoreOutcome getOutcome() {
		return this.outcome;
	}

}
