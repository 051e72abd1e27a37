package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.BeforePublishListener;
import io.github.sqlitebackup.SchemaVersion;
import io.github.sqlitebackup.SqliteBackupException;

/**
 * "Save-As": a backup into a file, written to a staging file beside the target, checked,
 * and published atomically.
 */
public final class FileBackup {

	private FileBackup() {
	}

	/**
	 * Back up a schema of the DataSource's database into a file.
	 * @param dataSource the application's DataSource
	 * @param target the file to publish; replaced if it exists
	 * @param options the options
	 * @param control the operation's stop signal
	 * @param guard the check that the live file is the one the application opened
	 * @return the result
	 */
	public static BackupResult run(DataSource dataSource, @Nullable Path target, BackupOptions options,
			OperationControl control, DatabaseFileGuard guard) {
		Path file = checkTarget(target);
		long start = System.nanoTime();
		try (SourceDatabase source = SourceDatabase.open(dataSource, options.schema(), guard)) {
			if (source.file() != null && SqliteFiles.isDatabaseOrSideFile(file, source.file())) {
				throw new SqliteBackupException("Backup target " + target + " is the live database " + source.file()
						+ " or one of its side files; choose another path.");
			}
			control.throwIfCancelled("Backup of " + source.describe());
			try (StagingFile staging = StagingFile.create(file.getParent(), file.getFileName().toString())) {
				BackupLog.copying(source, staging.path());
				CopyStats stats = PageCopy.applies(source, options)
						? PageCopy.copy(source, staging.path(), options, control)
						: OnlineBackup.copy(source, staging.path(), options, control);
				SqliteHeader header = selfContained(staging.path(),
						CopyChecks.checkCopy(staging.path(), stats, source.pageSize()));
				// the page copy digests as it copies; else the digest reads the finished copy on the
				// other core while the check reads it here (after the listener instead when there is
				// one: it might change the copy)
				@Nullable CompletableFuture<String> sha256 = (options.beforePublish() != null) ? null
						: (stats.sha256() != null) ? CompletableFuture.completedFuture(stats.sha256())
								: FileDigest.sha256Async(staging.path());
				Duration verificationDuration = CopyChecks.verify(staging.path(), options.verification());
				control.throwIfCancelled("Backup of " + source.describe());
				BackupResult checked = new BackupResult(file.toString(), file, source.schema(), source.journalMode(),
						header.pageSize(), header.pageCount(), header.fileSize(), Duration.ofNanos(System.nanoTime() - start),
						stats.steps(), stats.restarts(), stats.writersBlocked(), options.verification(),
						verificationDuration, source.connection().libversion(), schemaVersion(staging.path()), null);
				BackupLog.publishing(staging.path(), file);
				beforePublish(options, staging.path(), checked);
				String digest = (sha256 != null) ? FileDigest.await(sha256) : FileDigest.sha256(staging.path());
				BackupResult result = withDigest(checked, digest);
				staging.publish(file);
				BackupLog.succeeded(source, result);
				return result;
			}
		}
		catch (SQLException | IOException ex) {
			throw new SqliteBackupException("Backup to " + target + " failed: " + ex.getMessage(), ex);
		}
	}

	private static BackupResult withDigest(BackupResult result, String sha256) {
		return new BackupResult(result.target(), result.path(), result.schema(), result.journalMode(),
				result.pageSize(), result.pages(), result.bytes(), result.duration(), result.steps(), result.restarts(),
				result.writersBlocked(), result.verification(), result.verificationDuration(), result.sqliteVersion(),
				result.schemaVersion(), sha256);
	}

	/**
	 * A copy of a WAL-mode database is marked for WAL too, and SQLite opens such a file only
	 * with a {@code -wal} beside it (which needs a writable directory): switching the copy to
	 * the rollback journal makes it one file that opens anywhere, and lets a restore refuse
	 * WAL-mode files, whose content may be partly in a {@code -wal} that was lost.
	 */
	private static SqliteHeader selfContained(Path copy, SqliteHeader header) throws SQLException {
		if (!header.walMode()) {
			return header;
		}
		try (SQLiteConnection connection = SqliteConnections.open(copy)) {
			SqliteConnections.useRollbackJournal(connection);
		}
		return SqliteHeader.read(copy);
	}

	static SchemaVersion schemaVersion(Path copy) throws SQLException {
		try (SQLiteConnection connection = SqliteConnections.openImmutable(copy)) {
			return SchemaVersions.read(connection, "main");
		}
	}

	private static void beforePublish(BackupOptions options, Path copy, BackupResult result) {
		BeforePublishListener listener = options.beforePublish();
		if (listener != null) {
			try {
				listener.beforePublish(copy, result);
			}
			catch (Exception ex) {
				throw new SqliteBackupException("Backup to " + result.target() + " was not published because the "
						+ "before-publish listener threw " + ex + ".", ex);
			}
		}
	}

	private static Path checkTarget(@Nullable Path target) {
		if (target == null) {
			throw new SqliteBackupException("Backup target path must not be null.");
		}
		Path file = target.toAbsolutePath().normalize();
		Path directory = file.getParent();
		if (directory == null || file.getFileName() == null) {
			throw new SqliteBackupException("Backup target " + target + " is not a file path.");
		}
		if (!Files.isDirectory(directory)) {
			throw new SqliteBackupException(
					"Backup target directory " + directory + " does not exist; create it before backing up.");
		}
		if (!Files.isWritable(directory)) {
			throw new SqliteBackupException("Backup target directory " + directory + " is not writable.");
		}
		if (Files.isDirectory(file)) {
			throw new SqliteBackupException("Backup target " + target + " is a directory; give a file path.");
		}
		return file;
	}

}
