package io.github.sqlitebackup.job;

import io.github.sqlitebackup.catalog.BackupTrigger;

/**
 * Published when a run of the backup job starts copying.
 */
public class BackupStartedEvent extends BackupEvent {

	/**
	 * Create an event.
	 * @param job the job
	 * @param trigger what started the run
	 */
	public BackupStartedEvent(BackupJob job, BackupTrigger trigger) {
		super(job, trigger);
	}

}
