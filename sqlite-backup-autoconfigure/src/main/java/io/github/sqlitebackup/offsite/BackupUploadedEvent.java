package io.github.sqlitebackup.offsite;

/**
 * Published when a backup was uploaded to the remote storage.
 */
public class BackupUploadedEvent extends OffsiteEvent {

	private static final long serialVersionUID = 1L;

	private final transient Upload upload;

	/**
	 * Create an event.
	 * @param databaseId the database's id
	 * @param upload what was uploaded
	 */
	public BackupUploadedEvent(String databaseId, Upload upload) {
		super(databaseId);
		this.upload = upload;
	}

	/**
	 * Return what was uploaded.
	 * @return the upload
	 */
	public Upload getUpload() {
		return this.upload;
	}

}
