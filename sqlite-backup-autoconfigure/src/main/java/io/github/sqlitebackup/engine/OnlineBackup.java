package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupOptions;

/**
 * Copies a source schema into a new database file with {@code sqlite3_backup_step}, such
 * that the copy is one committed state of the source and always finishes under concurrent
 * writes:
 * <ul>
 * <li>in WAL mode the engine's connection holds one read transaction for the whole copy: a
 * snapshot that never restarts and never blocks writers;</li>
 * <li>in rollback-journal modes a stepwise copy lets writers in between steps, but each of
 * their commits restarts it; after {@value #RESTARTS_BEFORE_READ_LOCK} restarts the
 * engine holds a read lock for the rest of the copy, which then finishes while writers
 * wait. A one-step copy ({@code stepSize = -1}) holds that lock from the start.</li>
 * </ul>
 * To stop early, the engine opens a write transaction on its source connection: the
 * driver's next step gets {@code SQLITE_BUSY} and, with no driver-level retries, its loop
 * ends at once and discards the destination.
 */
public final class OnlineBackup implements CopyHooks {

	/** Restarts a rollback-journal copy may suffer before it holds a read lock. */
	public static final int RESTARTS_BEFORE_READ_LOCK = 3;

	private static final Log logger = LogFactory.getLog(OnlineBackup.class);

	private final SourceDatabase source;

	private final SQLiteConnection connection;

	/** How many bytes of a WAL database one step copies when all pages were asked for. */
	static final long WAL_STEP_BYTES = 4L * 1024 * 1024;

	private @Nullable DestinationSync sync;

	/** Whether all pages were asked for and a WAL database is copied in steps all the same. */
	private boolean wholeInSteps;

	private boolean readLockHeld;

	private boolean writeLockHeld;

	private long readLockSince;

	private OnlineBackup(SourceDatabase source) {
		this.source = source;
		this.connection = source.connection();
	}

	/**
	 * Copy the source into a database file.
	 * @param source the schema to copy
	 * @param destination a new, private file (created empty beforehand is fine)
	 * @param options the options
	 * @param control the operation's stop signal
	 * @return what the copy did
	 * @throws SQLException if a statement of the engine fails
	 */
	static CopyStats copy(SourceDatabase source, Path destination, BackupOptions options, OperationControl control)
			throws SQLException {
		return new OnlineBackup(source).copyTo(destination, options, control);
	}

	private CopyStats copyTo(Path destination, BackupOptions options, OperationControl control) throws SQLException {
		try (DestinationSync sync = new DestinationSync(destination)) {
			this.sync = sync;
			return copyTo(destination, options, control, stepSize(options));
		}
		catch (IOException ex) {
			throw new SQLException("Cannot sync the copy " + destination + ": " + ex.getMessage(), ex);
		}
		finally {
			this.sync = null;
		}
	}

	/**
	 * A WAL database is copied inside the read transaction this copy holds, so steps never
	 * restart: copying all pages is done in steps of {@value #WAL_STEP_BYTES} bytes, between
	 * which the destination is synced as it grows (and nothing else: no pause, no stop before
	 * the end, as for one step).
	 */
	private int stepSize(BackupOptions options) {
		this.wholeInSteps = options.stepSize() == BackupOptions.ALL_PAGES && this.source.journalMode().isWal();
		return this.wholeInSteps ? (int) Math.max(1, WAL_STEP_BYTES / this.source.pageSize()) : options.stepSize();
	}

	private CopyStats copyTo(Path destination, BackupOptions options, OperationControl control, int stepSize)
			throws SQLException {
		RetryingBusyHandler busyHandler = new RetryingBusyHandler(options.retrySleep(), options.maxRetries(), control);
		StepMonitor monitor = new StepMonitor("Backup of " + this.source.describe(), options, control, busyHandler,
				this, !this.source.journalMode().isWal(), destination, this.source.pageSize());
		if (this.source.isDedicated()) {
			// the connection is the engine's own and is closed after the operation
			BusyHandler.setHandler(this.connection, busyHandler);
		}
		long start = System.nanoTime();
		try {
			if (this.source.journalMode().isWal()) {
				holdReadLock();
			}
			else if (options.stepSize() == BackupOptions.ALL_PAGES) {
				this.readLockSince = start;
			}
			int returnCode = this.connection.getDatabase()
				.backup(this.source.connectionSchema(), destination.toString(), monitor,
						(int) options.retrySleep().toMillis(), 0, stepSize);
			return monitor.outcome(returnCode, writersBlocked(System.nanoTime()));
		}
		finally {
			endTransaction();
		}
	}

	@Override
	public void afterStep(int restarts, long copiedPages) throws SQLException, IOException {
		DestinationSync destination = this.sync;
		if (destination != null) {
			destination.copied(copiedPages * this.source.pageSize());
		}
		if (!this.readLockHeld && restarts >= RESTARTS_BEFORE_READ_LOCK) {
			logger.info("Backup of " + this.source.describe() + " restarted " + restarts + " times under concurrent "
					+ "writes (journal_mode=" + this.source.journalMode().pragmaValue() + "); finishing with a "
					+ "read lock held, so writers wait until the copy ends. Use WAL mode to avoid this.");
			holdReadLock();
			this.readLockSince = System.nanoTime();
		}
	}

	@Override
	public void abort() throws SQLException {
		if (this.writeLockHeld || this.wholeInSteps) {
			// a WAL database copied whole in steps keeps its snapshot to the end: letting go of
			// it to take the write lock would make every later step start over while a writer
			// holds that lock (the copy then ends as it would have in one step, and is reported
			// as stopped)
			return;
		}
		if (this.readLockHeld) {
			SqliteConnections.execute(this.connection, "COMMIT");
			this.readLockHeld = false;
		}
		SqliteConnections.execute(this.connection, "BEGIN IMMEDIATE");
		this.writeLockHeld = true;
	}

	private void holdReadLock() throws SQLException {
		SqliteConnections.execute(this.connection, "BEGIN");
		this.readLockHeld = true;
		SqliteConnections.queryLong(this.connection,
				"SELECT count(*) FROM " + SqliteConnections.quote(this.source.connectionSchema()) + ".sqlite_schema");
	}

	private Duration writersBlocked(long end) {
		if (this.source.journalMode().isWal() || this.source.file() == null || this.readLockSince == 0) {
			return Duration.ZERO;
		}
		return Duration.ofNanos(end - this.readLockSince);
	}

	private void endTransaction() {
		if (this.readLockHeld || this.writeLockHeld) {
			try {
				SqliteConnections.execute(this.connection, "ROLLBACK");
			}
			catch (SQLException ex) {
				logger.warn("Could not end the backup's transaction on " + this.source.describe() + ": " + ex);
			}
			this.readLockHeld = false;
			this.writeLockHeld = false;
		}
	}

}
