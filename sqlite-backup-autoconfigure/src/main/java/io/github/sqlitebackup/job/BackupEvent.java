package io.github.sqlitebackup.job;

import org.springframework.context.ApplicationEvent;

import io.github.sqlitebackup.catalog.BackupTrigger;

/**
 * Base of the events the backup job publishes; the source is the {@link BackupJob}.
 */
public abstract class BackupEvent extends ApplicationEvent {

	private final BackupTrigger trigger;

	private final String databaseId;

	/**
	 * Create an event.
	 * @param job the job
	 * @param trigger what started the run
	 */
	protected BackupEvent(BackupJob job, BackupTrigger trigger) {
		super(job);
		this.trigger = trigger;
		this.databaseId = job.databaseId();
	}

	/**
	 * Return the id of the database the job backs up.
	 * @return the database id
	 */
	public String getDatabaseId() {
		return this.databaseId;
	}

	/**
	 * Return what started the run.
	 * @return the trigger
	 */
	public BackupTrigger getTrigger() {
		return this.trigger;
	}

}
