package io.github.sqlitebackup.offsite;

/**
 * Published when an upload attempt (or the first listing of the remote storage) failed;
 * the backup stays local and is tried again.
 */
public class BackupUploadFailedEvent extends OffsiteEvent {

	private static final long serialVersionUID = 1L;

	private final transient UploadFailure failure;

	/**
	 * Create an event.
	 * @param databaseId the database's id
	 * @param failure what failed
	 */
	public BackupUploadFailedEvent(String databaseId, UploadFailure failure) {
		super(databaseId);
		this.failure = failure;
	}

	/**
	 * Return what failed.
	 * @return the failure
	 */
	public UploadFailure getFailure() {
		return this.failure;
	}

}
