package io.github.sqlitebackup.offsite;

/**
 * Told about each upload attempt of {@link OffsiteCopies}, on its upload thread.
 */
public interface UploadListener {

	/**
	 * A backup was uploaded.
	 * @param upload what was uploaded
	 */
	void uploaded(Upload upload);

	/**
	 * An upload, or the first listing of the remote storage, failed.
	 * @param failure what failed
	 */
	void failed(UploadFailure failure);

}
