package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.DiskFullException;
import io.github.sqlitebackup.RestoreListener;
import io.github.sqlitebackup.RestoreResult;
import io.github.sqlitebackup.SchemaVersion;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.StagedBackup;

/**
 * Replaces the live database's content with a backup's. The backup is copied to a private
 * staging file beside the live database first (its SHA-256 computed on the way), so it
 * cannot change between being checked and being restored; the staging copy must be a
 * complete SQLite database in a rollback-journal mode that passes
 * {@code PRAGMA quick_check}, and the {@link RestoreListener} may refuse it. Only then is
 * the live database touched, in one transaction.
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
	 * @param guard the check that the live file is the one the application opened
	 * @return the result
	 */
	public static RestoreResult run(DataSource dataSource, @Nullable Path backup, BackupOptions options,
			OperationControl control, DatabaseFileGuard guard) {
		Path source = checkSource(backup);
		return run(dataSource, new Input(source.toString(), source), options, control, guard);
	}

	/**
	 * Restore a backup read from a stream over a schema of the DataSource's database.
	 * @param dataSource the application's DataSource
	 * @param backup the backup's content, read to its end (not closed)
	 * @param description what the stream is, for messages
	 * @param options the options
	 * @param control the operation's stop signal
	 * @param guard the check that the live file is the one the application opened
	 * @return the result
	 */
	public static RestoreResult run(DataSource dataSource, InputStream backup, String description,
			BackupOptions options, OperationControl control, DatabaseFileGuard guard) {
		return run(dataSource, new Input(description, backup), options, control, guard);
	}

	private static RestoreResult run(DataSource dataSource, Input input, BackupOptions options,
			OperationControl control, DatabaseFileGuard guard) {
		long start = System.nanoTime();
		try (SourceDatabase live = SourceDatabase.open(dataSource, options.schema(), guard)) {
			Path database = live.file();
			if (database == null) {
				throw new SqliteBackupException("Cannot restore into " + live.describe()
						+ ": online restore needs a database stored in a file.");
			}
			if (input.file != null && SqliteFiles.isDatabaseOrSideFile(input.file, database)) {
				throw new SqliteBackupException(
						"Restore source " + input.description + " is the live database " + database + " itself.");
			}
			if (input.file != null) {
				refuseFileOpenHere(input.file);
			}
			removeLeftovers(database);
			try (StagingFile staging = StagingFile.create(database.getParent(), stagingBaseName(database))) {
				RestoreListener listener = options.restoreListener();
				CompletableFuture<String> digest = input.copyTo(staging.path(), database, listener != null);
				SqliteHeader header = SqliteHeader.read(staging.path());
				checkComplete(input.description, header);
				StagingCheck check = StagingCheck.start(staging.path(), input.description);
				try (SQLiteConnection stagingConnection = SqliteConnections.open(staging.path())) {
					checkPageSize(input.description, header, live);
					if (listener != null) {
						// the listener decides on a sound backup
						check.requireSound();
						String sha256 = FileDigest.await(digest);
						SchemaVersion liveSchema = SchemaVersions.read(live.connection(), live.connectionSchema());
						notify(listener, new StagedBackup(staging.path(), header.fileSize(), sha256,
								SchemaVersions.read(stagingConnection, "main"), liveSchema));
					}
					long schemaCookie = schemaCookie(live);
					control.throwIfCancelled("Restore of " + database);
					CopyStats stats = OnlineRestore.copy(live, staging.path(), header.pageCount(), stagingConnection,
							options, control, check::requireSound);
					checkRestored(live, schemaCookie, database, header);
					RestoreResult result = new RestoreResult(input.description, database, live.schema(),
							live.journalMode(), header.pageSize(), stats.pages(), stats.pages() * header.pageSize(),
							Duration.ofNanos(System.nanoTime() - start), stats.steps(), stats.restarts());
					logger.info("Restored " + database + " from " + input.description + ": " + result.pages()
							+ " pages in " + result.duration().toMillis() + " ms");
					return result;
				}
				finally {
					check.awaitEnd();
				}
			}
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Restore from " + input.description + " failed: cannot copy it (" + ex
					+ "); the live database was not changed.", ex);
		}
		catch (SQLException ex) {
			throw new SqliteBackupException("Restore from " + input.description + " failed: " + ex.getMessage()
					+ "; the live database was not changed.", ex);
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

	private static void notify(RestoreListener listener, StagedBackup backup) {
		try {
			listener.checkBackup(backup);
		}
		catch (SqliteBackupException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new SqliteBackupException("The restore listener refused the backup: " + ex
					+ "; the live database was not changed.", ex);
		}
	}

	/**
	 * Refuse a source that SQLite has open in this process (a side file, or a database of
	 * the application given by mistake): opening and closing it here would drop the locks
	 * SQLite holds on it.
	 */
	private static void refuseFileOpenHere(Path backup) {
		String name = backup.getFileName().toString();
		if (name.endsWith("-wal") || name.endsWith("-shm") || name.endsWith("-journal")) {
			throw new SqliteBackupException("Restore source " + backup + " is a side file of a SQLite database (its "
					+ "write-ahead log, shared-memory index or journal), not a backup; nothing was opened.");
		}
		if (ProcessLocks.heldOn(backup)) {
			// opening and closing it here would drop the locks SQLite holds on it in this process
			throw new SqliteBackupException("Restore source " + backup + " is a database this application has open "
					+ "(SQLite holds its locks on it); restore from a backup file instead. Nothing was opened.");
		}
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

	private static void checkPageSize(String source, SqliteHeader header, SourceDatabase live) {
		if (live.journalMode().isWal() && header.pageSize() != live.pageSize()) {
			throw new SqliteBackupException("Restore source " + source + " has pages of " + header.pageSize()
					+ " bytes but the live WAL-mode database has " + live.pageSize() + "; SQLite cannot restore across "
					+ "page sizes in WAL mode. Stop the application and replace the file instead.");
		}
	}

	private static void checkComplete(String source, SqliteHeader header) {
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

	private static long schemaCookie(SourceDatabase live) throws SQLException {
		return SqliteConnections.queryLong(live.connection(),
				"PRAGMA " + SqliteConnections.quote(live.connectionSchema()) + ".schema_version");
	}

	/**
	 * A completed restore bumps the live schema cookie (so that other connections reload
	 * the schema); one rolled back leaves it as it was. Writers that commit right after the
	 * restore change the content but not the cookie, so they cannot make a completed restore
	 * look failed.
	 */
	private static void checkRestored(SourceDatabase live, long schemaCookieBefore, Path database,
			SqliteHeader header) throws SQLException {
		if (schemaCookie(live) == schemaCookieBefore) {
			String shortage = DiskSpace.shortage(database, header.fileSize());
			String message = "Restore of " + live.describe() + " did not take effect although the driver reported "
					+ "success" + shortage + "; the live database was not changed.";
			throw shortage.isEmpty() ? new SqliteBackupException(message) : new DiskFullException(message);
		}
	}

	private static final class Input {

		private final String description;

		private final @Nullable Path file;

		private final @Nullable InputStream stream;

		Input(String description, Path file) {
			this.description = description;
			this.file = file;
			this.stream = null;
		}

		Input(String description, InputStream stream) {
			this.description = description;
			this.file = null;
			this.stream = stream;
		}

		/**
		 * Copy the backup to the staging file and return the SHA-256 of what was copied.
		 */
		/**
		 * Copy the input into the staging file: a file with the kernel's copy, its digest
		 * then read from the private copy on a thread of its own (while the copy is checked);
		 * a stream through a digest as it is read.
		 */
		CompletableFuture<String> copyTo(Path staging, Path database, boolean digest) throws IOException {
			try {
				if (this.stream != null) {
					MessageDigest sha256 = FileDigest.newSha256();
					try (OutputStream out = new DigestOutputStream(Files.newOutputStream(staging), sha256)) {
						this.stream.transferTo(out);
					}
					return CompletableFuture.completedFuture(HexFormat.of().formatHex(sha256.digest()));
				}
				try (FileChannel in = FileChannel.open(this.file, StandardOpenOption.READ);
						FileChannel out = FileChannel.open(staging, StandardOpenOption.WRITE)) {
					long position = 0;
					long copied;
					while ((copied = in.transferTo(position, Long.MAX_VALUE, out)) > 0) {
						position += copied;
					}
				}
			}
			catch (IOException ex) {
				String shortage = DiskSpace.shortage(database, 0);
				if (!shortage.isEmpty()) {
					throw new DiskFullException("Restore from " + this.description + " failed: cannot copy it into "
							+ staging + " (" + ex.getMessage() + ")" + shortage + "; the live database was not changed.");
				}
				throw ex;
			}
			return digest ? FileDigest.sha256Async(staging) : CompletableFuture.completedFuture("");
		}

	}

}
