package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.RestoreResult;
import io.github.sqlitebackup.SqliteBackupException;

/**
 * Replaces the live database's content with a backup's. The backup is copied to a private
 * staging file beside the live database first, so it cannot change between being checked
 * and being restored; the staging copy must be a SQLite database that passes
 * {@code PRAGMA quick_check}. Only then is the live database touched, in one transaction
 * that is checked afterwards.
 */
public final class Restore {

	private static final Log logger = LogFactory.getLog(Restore.class);

	private Restore() {
	}

	/**
	 * Restore a backup file over a schema of the DataSource's database.
	 * @param dataSource the application's DataSource
	 * @param backup the backup file
	 * @param options the options
	 * @param control the operation's stop signal
	 * @return the result
	 */
	public static RestoreResult run(DataSource dataSource, @Nullable Path backup, BackupOptions options,
			OperationControl control) {
		Path source = checkSource(backup);
		long start = System.nanoTime();
		try (SourceDatabase live = SourceDatabase.open(dataSource, options.schema())) {
			Path database = live.file();
			if (database == null) {
				throw new SqliteBackupException("Cannot restore into " + live.describe()
						+ ": online restore needs a database stored in a file.");
			}
			if (SqliteFiles.isDatabaseOrSideFile(source, database)) {
				throw new SqliteBackupException(
						"Restore source " + backup + " is the live database " + database + " itself.");
			}
			checkComplete(source, SqliteHeader.read(source));
			removeLeftovers(database);
			try (StagingFile staging = StagingFile.create(database.getParent(), stagingBaseName(database))) {
				Files.copy(source, staging.path(), StandardCopyOption.REPLACE_EXISTING);
				SqliteHeader header = SqliteHeader.read(staging.path());
				try (SQLiteConnection stagingConnection = SqliteConnections.open(staging.path())) {
					checkRestorable(source, header, stagingConnection, live);
					long schemaVersion = schemaVersion(live);
					control.throwIfCancelled("Restore of " + database);
					CopyStats stats = OnlineRestore.copy(live, staging.path(), stagingConnection, options, control);
					checkRestored(live, header, schemaVersion);
					RestoreResult result = new RestoreResult(source, database, live.schema(), live.journalMode(),
							header.pageSize(), stats.pages(), stats.pages() * header.pageSize(),
							Duration.ofNanos(System.nanoTime() - start), stats.steps(), stats.restarts());
					logger.info("Restored " + database + " from " + source + ": " + result.pages() + " pages in "
							+ result.duration().toMillis() + " ms");
					return result;
				}
			}
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Restore from " + backup + " failed: cannot copy it (" + ex
					+ "); the live database was not changed.", ex);
		}
		catch (SQLException ex) {
			throw new SqliteBackupException(
					"Restore from " + backup + " failed: " + ex.getMessage() + "; the live database was not changed.",
					ex);
		}
	}

	/**
	 * Delete the staging copy (and its side files) that a restore killed before it ended
	 * left beside a database. The live database itself is never touched: SQLite's rollback
	 * of the interrupted write transaction is what keeps it intact.
	 * @param database the live database file
	 */
	public static void removeLeftovers(Path database) {
		for (Path file : StagingFile.removeLeftovers(database.toAbsolutePath().getParent(), stagingBaseName(database))) {
			logger.warn("Removed " + file + ", left behind by an interrupted restore");
		}
	}

	private static String stagingBaseName(Path database) {
		return database.getFileName() + ".restore";
	}

	private static Path checkSource(@Nullable Path backup) {
		if (backup == null) {
			throw new SqliteBackupException("Restore source path must not be null.");
		}
		if (!Files.exists(backup)) {
			throw new SqliteBackupException("Restore source " + backup + " does not exist.");
		}
		if (!Files.isRegularFile(backup) || !Files.isReadable(backup)) {
			throw new SqliteBackupException("Restore source " + backup + " is not a readable file.");
		}
		Path wal = backup.resolveSibling(backup.getFileName() + "-wal");
		try {
			if (Files.exists(wal) && Files.size(wal) > 0) {
				throw new SqliteBackupException("Restore source " + backup + " has a write-ahead log " + wal
						+ " that may hold part of its content. Checkpoint it first: sqlite3 " + backup
						+ " 'PRAGMA wal_checkpoint(TRUNCATE)'.");
			}
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot read " + wal + ": " + ex, ex);
		}
		return backup.toAbsolutePath().normalize();
	}

	private static void checkRestorable(Path source, SqliteHeader header, SQLiteConnection staging,
			SourceDatabase live) throws SQLException {
		List<String> problems;
		try {
			problems = SqliteConnections.check(staging, "quick_check");
		}
		catch (SQLException ex) {
			problems = List.of(ex.getMessage());
		}
		if (!problems.isEmpty()) {
			throw new SqliteBackupException("Restore source " + source + " is damaged (PRAGMA quick_check: "
					+ String.join("; ", problems) + "); the live database was not changed.");
		}
		if (live.journalMode().isWal() && header.pageSize() != live.pageSize()) {
			throw new SqliteBackupException("Restore source " + source + " has pages of " + header.pageSize()
					+ " bytes but the live WAL-mode database has " + live.pageSize() + "; SQLite cannot restore across "
					+ "page sizes in WAL mode. Stop the application and replace the file instead.");
		}
	}

	private static void checkComplete(Path source, SqliteHeader header) {
		long statedSize = header.pageCount() * header.pageSize();
		if (header.fileSize() < statedSize) {
			throw new SqliteBackupException("Restore source " + source + " is truncated: its header states "
					+ header.pageCount() + " pages of " + header.pageSize() + " bytes (" + statedSize
					+ " bytes) but the file has " + header.fileSize() + " bytes; the live database was not changed.");
		}
		if (header.walMode()) {
			throw new SqliteBackupException("Restore source " + source + " is a WAL-mode database without its write-ahead "
					+ "log: its latest commits may have been in a -wal file that was not copied with it, so it cannot "
					+ "be trusted to be complete; the live database was not changed. Backups made by sqlite-backup are "
					+ "never in WAL mode. If you know the file is complete (it was closed cleanly, or made with sqlite3 "
					+ ".backup), switch it to the rollback journal and restore again: sqlite3 " + source
					+ " 'PRAGMA journal_mode=DELETE'.");
		}
	}

	private static long schemaVersion(SourceDatabase live) throws SQLException {
		return SqliteConnections.queryLong(live.connection(), "PRAGMA main.schema_version");
	}

	private static void checkRestored(SourceDatabase live, SqliteHeader header, long schemaVersionBefore)
			throws SQLException {
		long pages = SqliteConnections.queryLong(live.connection(), "PRAGMA main.page_count");
		if (pages != header.pageCount() || schemaVersion(live) == schemaVersionBefore) {
			throw new SqliteBackupException("Restore of " + live.describe() + " did not take effect although the driver "
					+ "reported success (the live database has " + pages + " pages, the backup " + header.pageCount()
					+ "). Another connection may have held a write transaction; retry when it has ended.");
		}
	}

}
