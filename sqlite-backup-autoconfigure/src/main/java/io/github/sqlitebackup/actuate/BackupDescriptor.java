package io.github.sqlitebackup.actuate;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import io.github.sqlitebackup.SchemaVersion;
import io.github.sqlitebackup.catalog.BackupManifest;

/**
 * What {@code GET /actuator/sqlitebackup/{name}} answers: one backup's manifest.
 *
 * @param name the backup's name
 * @param database the id of its database
 * @param sequence its place in the database's sequence of backups
 * @param trigger what started it
 * @param created when it was made
 * @param schema the schema that was backed up
 * @param journalMode the source's journal mode, lower case as SQLite writes it
 * @param pageSize the page size in bytes
 * @param pageCount the number of pages
 * @param bytes the size of the backup file
 * @param sha256 its SHA-256
 * @param verified whether it was checked before publication
 * @param verification {@code none}, {@code quick} or {@code full}
 * @param sqliteVersion the SQLite version that made it
 * @param durationMillis how long copy and verification took
 * @param schemaVersion the schema version of the backup, or {@code null} if not recorded
 * @param codec how it is stored: {@code none} for the plain SQLite file
 */
public record BackupDescriptor(String name, String database, long sequence, String trigger, Instant created,
		String schema, String journalMode, int pageSize, long pageCount, long bytes, String sha256, boolean verified,
		String verification, String sqliteVersion, long durationMillis, @Nullable SchemaVersion schemaVersion,
		String codec) implements OperationResponseBody {

	static BackupDescriptor of(BackupManifest manifest) {
		return new BackupDescriptor(manifest.name(), manifest.databaseId(), manifest.sequence(),
				manifest.trigger().name(), manifest.created(), manifest.schema(), manifest.journalMode().pragmaValue(),
				manifest.pageSize(), manifest.pageCount(), manifest.bytes(), manifest.sha256(), manifest.verified(),
				manifest.verification().label(), manifest.sqliteVersion(), manifest.durationMillis(),
				manifest.schemaVersion(), manifest.stored().codec());
	}

}
