package io.github.sqlitebackup.actuate;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import io.github.sqlitebackup.SchemaVersion;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.job.LocatedBackup;

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
 * @param storedBytes the size of the stored object
 * @param storedSha256 the SHA-256 of the stored object
 * @param locations where it is kept: {@code local}, {@code remote} or both
 */
public record BackupDescriptor(String name, String database, long sequence, String trigger, Instant created,
		String schema, String journalMode, int pageSize, long pageCount, long bytes, String sha256, boolean verified,
		String verification, String sqliteVersion, long durationMillis, @Nullable SchemaVersion schemaVersion,
		String codec, long storedBytes, String storedSha256, List<String> locations) implements OperationResponseBody {

	static BackupDescriptor of(LocatedBackup located) {
		BackupManifest manifest = located.manifest();
		return new BackupDescriptor(manifest.name(), manifest.databaseId(), manifest.sequence(),
				manifest.trigger().name(), manifest.created(), manifest.schema(), manifest.journalMode().pragmaValue(),
				manifest.pageSize(), manifest.pageCount(), manifest.bytes(), manifest.sha256(), manifest.verified(),
				manifest.verification().label(), manifest.sqliteVersion(), manifest.durationMillis(),
				manifest.schemaVersion(), manifest.stored().codec(), manifest.stored().bytes(), manifest.stored().sha256(),
				BackupsDescriptor.locations(located));
	}

}
