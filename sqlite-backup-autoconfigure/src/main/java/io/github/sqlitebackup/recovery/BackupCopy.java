package io.github.sqlitebackup.recovery;

import io.github.sqlitebackup.catalog.BackupManifest;

/**
 * One backup as it is kept in one location; the same backup may be kept in several.
 *
 * @param backup the backup's manifest there
 * @param location where it is kept
 */
public record BackupCopy(BackupManifest backup, BackupLocation location) {

	/**
	 * Return the copy for messages.
	 * @return e.g. {@code app-20261203T101500Z.db in directory /var/backups}
	 */
	public String describe() {
		return this.backup.name() + " in " + this.location.description();
	}

}
