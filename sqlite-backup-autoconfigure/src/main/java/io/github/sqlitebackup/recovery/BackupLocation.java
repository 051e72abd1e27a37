package io.github.sqlitebackup.recovery;

import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.offsite.BackupDecoder;

/**
 * A place where backups are kept, with what reads them back.
 *
 * @param catalog the backups there (any database's: recovery picks by database id)
 * @param decoder what reads a stored backup back as a plain SQLite file
 */
public record BackupLocation(BackupCatalog catalog, BackupDecoder decoder) {

	/**
	 * Return the location for messages.
	 * @return e.g. {@code directory /var/backups} or {@code s3://bucket/app/}
	 */
	public String description() {
		return this.catalog.storage().description();
	}

}
