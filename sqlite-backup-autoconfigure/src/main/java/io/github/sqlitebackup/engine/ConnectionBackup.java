package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.SchemaVersion;
import io.github.sqlitebackup.SqliteBackupException;

/**
 * A backup into an open SQLite connection, such as {@code jdbc:sqlite::memory:}. The
 * snapshot is first taken into a private staging file by the same engine as a file
 * backup (consistent, restart-proof, cancellable), then loaded into the target in one
 * step; the target's previous content is replaced only if the whole load succeeds.
 */
public final class ConnectionBackup {

	private ConnectionBackup() {
	}

	/**
	 * Back up a schema of the DataSource's database into the target connection's
	 * {@code main} schema.
	 * @param dataSource the application's DataSource
	 * @param target an open SQLite connection in auto-commit mode
	 * @param options the options
	 * @param control the operation's stop signal
	 * @param guard the check that the live file is the one the application opened
	 * @return the result
	 */
	public static BackupResult run(DataSource dataSource, @Nullable Connection target, BackupOptions options,
			OperationControl control, DatabaseFileGuard guard) {
		SQLiteConnection destination = checkTarget(target);
		long start = System.nanoTime();
		try (SourceDatabase source = SourceDatabase.open(dataSource, options.schema(), guard)) {
			String description = describe(destination);
			checkNotSource(destination, source);
			try (StagingFile staging = StagingFile.create(Path.of(System.getProperty("java.io.tmpdir")),
					"sqlite-backup")) {
				CopyStats stats = OnlineBackup.copy(source, staging.path(), options, control);
				SqliteHeader header = CopyChecks.checkCopy(staging.path(), stats, source.pageSize());
				Duration verificationDuration = CopyChecks.verify(staging.path(), options.verification());
				SchemaVersion schemaVersion = FileBackup.schemaVersion(staging.path());
				control.throwIfCancelled("Backup of " + source.describe());
				load(staging.path(), destination, header, options);
				BackupResult result = new BackupResult(description, null, source.schema(), source.journalMode(),
						header.pageSize(), header.pageCount(), header.pageCount() * header.pageSize(),
						Duration.ofNanos(System.nanoTime() - start), stats.steps(), stats.restarts(),
						stats.writersBlocked(), options.verification(), verificationDuration,
						source.connection().libversion(), schemaVersion, null);
				BackupLog.succeeded(source, result);
				return result;
			}
		}
		catch (SQLException ex) {
			throw new SqliteBackupException("Backup into connection failed: " + ex.getMessage(), ex);
		}
	}

	private static void load(Path staging, SQLiteConnection destination, SqliteHeader header, BackupOptions options)
			throws SQLException {
		try (SQLiteConnection stagingConnection = SqliteConnections.open(staging)) {
			SqliteConnections.useRollbackJournal(stagingConnection);
		}
		if (SqliteConnections.queryLong(destination, "PRAGMA main.page_size") != header.pageSize()) {
			// takes effect on an empty target, which in-memory targets usually are
			SqliteConnections.execute(destination, "PRAGMA main.page_size=" + header.pageSize());
		}
		int returnCode = destination.getDatabase()
			.restore("main", staging.toString(), null, (int) options.retrySleep().toMillis(), options.maxRetries(),
					BackupOptions.ALL_PAGES);
		if (returnCode != 0) {
			throw new SqliteBackupException("Loading the snapshot into the target connection failed with SQLite code "
					+ returnCode + "; the target keeps its previous content.");
		}
		long pages = SqliteConnections.queryLong(destination, "PRAGMA main.page_count");
		if (pages != header.pageCount()) {
			throw new SqliteBackupException("Loading the snapshot into the target connection did not complete: it has "
					+ pages + " pages instead of " + header.pageCount() + ".");
		}
	}

	private static SQLiteConnection checkTarget(@Nullable Connection target) {
		if (target == null) {
			throw new SqliteBackupException("Backup target connection must not be null.");
		}
		try {
			if (target.isClosed()) {
				throw new SqliteBackupException("Backup target connection is closed.");
			}
			if (!target.isWrapperFor(SQLiteConnection.class)) {
				throw new SqliteBackupException("Backup target connection is not a SQLite connection ("
						+ target.getMetaData().getDatabaseProductName() + ").");
			}
			if (!target.getAutoCommit()) {
				throw new SqliteBackupException("Backup target connection is inside a transaction (auto-commit is off); "
						+ "commit or roll back and enable auto-commit first.");
			}
			return target.unwrap(SQLiteConnection.class);
		}
		catch (SQLException ex) {
			throw new SqliteBackupException("Cannot use the backup target connection: " + ex.getMessage(), ex);
		}
	}

	private static void checkNotSource(SQLiteConnection destination, SourceDatabase source) throws SQLException {
		if (destination == source.connection()) {
			throw new SqliteBackupException("Backup target connection is the source connection itself.");
		}
		Path destinationFile = mainFile(destination);
		if (source.file() != null && destinationFile != null
				&& SqliteFiles.isDatabaseOrSideFile(destinationFile, source.file())) {
			throw new SqliteBackupException("Backup target connection points at the live database " + source.file()
					+ "; open a connection to another file or to :memory:.");
		}
	}

	private static @Nullable Path mainFile(SQLiteConnection connection) throws SQLException {
		String file = SqliteConnections.queryString(connection,
				"SELECT file FROM pragma_database_list WHERE name = 'main'");
		return (file == null || file.isEmpty()) ? null : Path.of(file);
	}

	private static String describe(SQLiteConnection connection) throws SQLException {
		Path file = mainFile(connection);
		return "connection to " + ((file != null) ? file.toString() : connection.getUrl());
	}

}
