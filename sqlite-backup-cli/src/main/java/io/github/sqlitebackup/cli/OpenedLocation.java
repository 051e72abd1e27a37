package io.github.sqlitebackup.cli;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.recovery.BackupLocation;

/**
 * A location the tool reads, with the S3 client it owns, if any.
 *
 * @param location the backups and their decoder
 * @param client the S3 client to close, or {@code null} for a directory
 */
record OpenedLocation(BackupLocation location, @Nullable S3Client client) implements AutoCloseable {

	/**
	 * List the complete backups there, newest first, optionally of one database only.
	 * @param databaseId the database, or {@code null} for all
	 * @return the backups
	 * @throws CliException if the location cannot be listed, or holds no such backup
	 */
	List<BackupManifest> backups(@Nullable String databaseId) {
		List<BackupManifest> backups;
		try {
			backups = this.location.catalog().everyBackup();
		}
		catch (SqliteBackupException ex) {
			throw new CliException(ExitCode.LOCATION_UNREADABLE,
					"Cannot list the backups in " + description() + ": " + ex.getMessage());
		}
		if (databaseId != null) {
			backups = backups.stream().filter((backup) -> backup.databaseId().equals(databaseId)).toList();
		}
		return backups;
	}

	/**
	 * Like {@link #backups(String)}, but none is an error.
	 * @param databaseId the database, or {@code null} for all
	 * @return the backups, at least one
	 * @throws CliException if the location cannot be listed, or holds no such backup
	 */
	List<BackupManifest> someBackups(@Nullable String databaseId) {
		List<BackupManifest> backups = backups(databaseId);
		if (backups.isEmpty()) {
			throw new CliException(ExitCode.NO_BACKUP, "No backups" + ((databaseId != null) ? " of database '"
					+ databaseId + "'" : "") + " in " + description() + (description().startsWith("s3://")
							? " (with sqlite.backup.remote.url=s3://bucket/prefix, a database's backups are under "
									+ "s3://bucket/prefix/<database id>/)" : ""));
		}
		return backups;
	}

	/**
	 * Return the backup files that no usable manifest describes, and why.
	 * @param databaseId the database, or {@code null} for all
	 * @return the reason for each, by backup name
	 * @throws CliException if the location cannot be listed
	 */
	Map<String, String> unusable(@Nullable String databaseId) {
		try {
			return this.location.catalog().unusable(databaseId);
		}
		catch (SqliteBackupException ex) {
			throw new CliException(ExitCode.LOCATION_UNREADABLE,
					"Cannot list the backups in " + description() + ": " + ex.getMessage());
		}
	}

	String description() {
		return this.location.description();
	}

	@Override
	public void close() {
		if (this.client != null) {
			this.client.close();
		}
	}

}
