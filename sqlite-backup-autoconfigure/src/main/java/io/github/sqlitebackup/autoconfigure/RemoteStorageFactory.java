package io.github.sqlitebackup.autoconfigure;

import io.github.sqlitebackup.storage.BackupStorage;

/**
 * Makes the remote storage of one database (e.g. its prefix in an S3 bucket); keeps the
 * auto-configuration free of the optional storage SDKs' types.
 */
@FunctionalInterface
interface RemoteStorageFactory {

	/**
	 * Return the remote storage of one database, checked.
	 * @param databaseId the database's id
	 * @return the storage
	 */
	BackupStorage storageOf(String databaseId);

}
