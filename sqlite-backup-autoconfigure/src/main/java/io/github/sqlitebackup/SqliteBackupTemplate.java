package io.github.sqlitebackup;

import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.engine.ConnectionBackup;
import io.github.sqlitebackup.engine.DatabaseFileGuard;
import io.github.sqlitebackup.engine.FileBackup;
import io.github.sqlitebackup.engine.OperationControl;
import io.github.sqlitebackup.engine.OperationRegistry;
import io.github.sqlitebackup.engine.Restore;
import io.github.sqlitebackup.engine.SourceDatabase;

/**
 * Online backups and restores of a SQLite database through SQLite's Online Backup API, in
 * the spirit of {@code JdbcTemplate}: give it the application's {@link DataSource} and call
 * it from any thread while the application keeps working.
 *
 * <pre class="code">
 * SqliteBackupTemplate backups = new SqliteBackupTemplate(dataSource);
 * BackupResult result = backups.backup(Path.of("backups/app-2026-11-21.db"));
 * </pre>
 *
 * <ul>
 * <li>A backup is one committed state of the database. A file backup is written beside
 * its target under a temporary name, fsynced and renamed into place: a failed or cancelled
 * backup never leaves a file at the target path. It is one self-contained file in
 * rollback-journal mode, even when the database uses WAL.</li>
 * <li>The template opens its own connection to the database file, so it never holds the
 * application's pooled connection during a copy, and it always finishes under concurrent
 * writes. In WAL mode it never blocks writers; in rollback-journal modes a consistent copy
 * makes writers wait (see {@link BackupResult#writersBlocked()}). It remembers the
 * identity (device and inode) of the database file it first sees and refuses to work on a
 * file that was replaced at that path since: the application still has the original
 * open.</li>
 * <li>A restore checks the backup first and replaces the live database's content in one
 * transaction: a failed restore leaves the database as it was. Files that may be
 * incomplete are refused: truncated ones, and WAL-mode ones (whose latest commits may be
 * in a {@code -wal} file).</li>
 * </ul>
 * Operations stop early through {@link BackupOptions#withCancellation(BackupCancellation)},
 * an interrupt of the calling thread, or {@link #close()}.
 */
public class SqliteBackupTemplate implements AutoCloseable {

	/** How long {@link #close()} waits for running operations to stop. */
	public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(SqliteBackupTemplate.class);

	private final DataSource dataSource;

	private final BackupOptions defaultOptions;

	private final OperationRegistry operations = new OperationRegistry();

	private final DatabaseFileGuard fileGuard = new DatabaseFileGuard();

	/**
	 * Create a template with {@link BackupOptions#defaults() default options}.
	 * @param dataSource the application's SQLite DataSource
	 */
	public SqliteBackupTemplate(DataSource dataSource) {
		this(dataSource, BackupOptions.defaults());
	}

	/**
	 * Create a template.
	 * @param dataSource the application's SQLite DataSource
	 * @param defaultOptions the options of the methods that take none
	 */
	public SqliteBackupTemplate(DataSource dataSource, BackupOptions defaultOptions) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
		this.defaultOptions = Objects.requireNonNull(defaultOptions, "defaultOptions must not be null");
	}

	/**
	 * Return the options used by the methods that take none.
	 * @return the default options
	 */
	public BackupOptions getDefaultOptions() {
		return this.defaultOptions;
	}

	/**
	 * Back up the database into a file ("Save-As") with the default options.
	 * @param target the file to write; an existing file is replaced atomically
	 * @return the result
	 * @throws SqliteBackupException if the backup cannot be made
	 */
	public BackupResult backup(Path target) {
		return backup(target, this.defaultOptions);
	}

	/**
	 * Back up the database into a file ("Save-As").
	 * @param target the file to write; an existing file is replaced atomically
	 * @param options the options
	 * @return the result
	 * @throws SqliteBackupException if the backup cannot be made
	 */
	public BackupResult backup(Path target, BackupOptions options) {
		try (OperationControl control = start(options)) {
			return FileBackup.run(this.dataSource, target, options, control, this.fileGuard);
		}
	}

	/**
	 * Back up the database into the {@code main} schema of an open SQLite connection, for
	 * example {@code jdbc:sqlite::memory:}, with the default options.
	 * @param target an open SQLite connection in auto-commit mode; its content is replaced
	 * @return the result
	 * @throws SqliteBackupException if the backup cannot be made
	 */
	public BackupResult backup(Connection target) {
		return backup(target, this.defaultOptions);
	}

	/**
	 * Back up the database into the {@code main} schema of an open SQLite connection, for
	 * example {@code jdbc:sqlite::memory:}.
	 * @param target an open SQLite connection in auto-commit mode; its content is replaced
	 * @param options the options
	 * @return the result
	 * @throws SqliteBackupException if the backup cannot be made
	 */
	public BackupResult backup(Connection target, BackupOptions options) {
		try (OperationControl control = start(options)) {
			return ConnectionBackup.run(this.dataSource, target, options, control, this.fileGuard);
		}
	}

	/**
	 * Replace the live database's content with a backup's, with the default options.
	 * @param source the backup file
	 * @return the result
	 * @throws SqliteBackupException if the backup is unusable or the restore fails; the live
	 * database is then unchanged
	 */
	public RestoreResult restore(Path source) {
		return restore(source, this.defaultOptions);
	}

	/**
	 * Replace the live database's content with a backup's.
	 * @param source the backup file
	 * @param options the options
	 * @return the result
	 * @throws SqliteBackupException if the backup is unusable or the restore fails; the live
	 * database is then unchanged
	 */
	public RestoreResult restore(Path source, BackupOptions options) {
		try (OperationControl control = start(options)) {
			return Restore.run(this.dataSource, source, options, control, this.fileGuard);
		}
	}

	/**
	 * Replace the live database's content with a backup read from a stream, for example a
	 * download. The stream is copied to a private staging file first and checked there as
	 * a file would be.
	 * @param source the backup's content, read to its end; the caller closes it
	 * @param description what the stream is, for messages and the result
	 * @param options the options
	 * @return the result
	 * @throws SqliteBackupException if the backup is unusable or the restore fails; the live
	 * database is then unchanged
	 */
	public RestoreResult restore(InputStream source, String description, BackupOptions options) {
		Objects.requireNonNull(source, "source must not be null");
		try (OperationControl control = start(options)) {
			return Restore.run(this.dataSource, source, description, options, control, this.fileGuard);
		}
	}

	/**
	 * Describe the database of the default options' schema. The first call also records the
	 * identity of its file: operations refuse to work on a file that has been replaced
	 * since.
	 * @return the database
	 * @throws SqliteBackupException if the DataSource is not SQLite, has no such schema or
	 * its file was replaced
	 */
	public DatabaseInfo database() {
		try (SourceDatabase source = SourceDatabase.open(this.dataSource, this.defaultOptions.schema(),
				this.fileGuard)) {
			return new DatabaseInfo(source.schema(), source.file(), source.describe(), source.journalMode(),
					source.isPrivateMemory());
		}
	}

	/**
	 * Delete what a restore killed before its end left beside the database file (its
	 * staging copy). The database itself is never touched. Meant for start-up.
	 */
	public void removeInterruptedRestores() {
		Path file = database().file();
		if (file != null) {
			Restore.removeLeftovers(file);
		}
	}

	/**
	 * Cancel running operations, wait up to {@link #CLOSE_TIMEOUT} for them to stop, and
	 * refuse new ones. Called by Spring when the application context closes.
	 */
	@Override
	public void close() {
		if (!this.operations.shutdown(CLOSE_TIMEOUT)) {
			logger.warn("Backup operations were still running " + CLOSE_TIMEOUT.toSeconds() + " s after cancellation; "
					+ "a one-step copy stops only when its step ends. Their temporary files are removed when they end.");
		}
	}

	private OperationControl start(@Nullable BackupOptions options) {
		if (options == null) {
			throw new SqliteBackupException("Backup options must not be null; use BackupOptions.defaults().");
		}
		return this.operations.start(options.cancellation());
	}

}
