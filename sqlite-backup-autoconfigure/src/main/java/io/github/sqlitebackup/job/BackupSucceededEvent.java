package io.github.sqlitebackup.job;

import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.catalog.BackupManifest;

/**
 * Published after a run of the {@link BackupJob} published a backup, once the run is over:
 * what listeners do cannot change the run's outcome or delay the next run.
 */
public class BackupSucceededEvent extends BackupEvent {

	private final BackupRunOutcome outcome;

	private final BackupResult result;

	/**
	 * Create an event.
	 * @param job the job
	 * @param outcome the run's outcome, with the published backup
	 * @param result the backup's result
	 */
	public BackupSucceededEvent(BackupJob job, BackupRunOutcome outcome, BackupResult result) {
		super(job, outcome.trigger());
		this.outcome = outcome;
		this.result = result;
	}

	/**
	 * Return the run's outcome.
	 * @return the outcome
	 */
	public BackupRunOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Return the published backup.
	 * @return its manifest
	 */
	public BackupManifest getBackup() {
		BackupManifest backup = this.outcome.backup();
		if (backup == null) {
			throw new IllegalStateException("A succeeded run has a backup");
		}
		return backup;
	}

	/**
	 * Return the backup's result.
	 * @return the result
	 */
	public BackupResult getResult() {
		return this.result;
	}

}
