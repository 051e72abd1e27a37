package io.github.sqlitebackup.job;

import io.github.sqlitebackup.BackupResult;

/**
 * Published when a run of the backup job has published a backup.
 */
public class BackupSucceededEvent extends BackupEvent {

	private final BackupManifest backup;

	private final BackupResult result;

	/**
	 * Create an event.
	 * @param job the job
	 * @param trigger what started the run
	 * @param backup the published backup
	 * @param result the backup's result
	 */
	public BackupSucceededEvent(BackupJob job, BackupTrigger trigger, BackupManifest backup, BackupResult result) {
		super(job, trigger);
		this.backup = backup;
		this.result = result;
	}

	/**
	 * Return the published backup.
	 * @return its manifest
	 */
	public BackupManifest getBackup() {
		return this.backup;
	}

	/**
	 * Return the backup's result.
	 * @return the result
	 */
	public BackupResult getResult() {
		return this.result;
	}

}
