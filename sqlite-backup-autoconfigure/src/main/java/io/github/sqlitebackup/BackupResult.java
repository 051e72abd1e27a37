package io.github.sqlitebackup;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a successful backup.
 *
 * @param target where the copy went: the file path, or a description of the target
 * connection
 * @param path the published file, or {@code null} for a backup into a connection
 * @param schema the schema that was copied
 * @param journalMode the source database's journal mode
 * @param pageSize the page size in bytes
 * @param pages the number of pages copied
 * @param bytes the size of the copy in bytes
 * @param duration how long the operation took until publication: copy and verification
 * @param steps the number of {@code sqlite3_backup_step} calls
 * @param restarts how often the copy started over because another connection wrote to the
 * source
 * @param writersBlocked how long the copy held a lock that kept the source's writers out
 * (always zero in WAL mode and for in-memory databases)
 * @param verification how the copy was checked before publication
 * @param verificationDuration how much of {@code duration} the verification took
 * @param sqliteVersion the version of the SQLite library that made the copy
 * @param schemaVersion the version of the schema in the copy
 * @param sha256 the SHA-256 of the published file (computed while it was verified), or
 * {@code null} for a backup into a connection
 */
public record BackupResult(String target, @Nullable Path path, String schema, JournalMode journalMode, int pageSize,
		long pages, long bytes, Duration duration, int steps, int restarts, Duration writersBlocked,
		Verification verification, Duration verificationDuration, String sqliteVersion, SchemaVersion schemaVersion,
		@Nullable String sha256) {

}
