package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.RestoreListener;

/**
 * Copies a private staging file into the live database with {@code sqlite3_backup_step}.
 * The live side is written in one transaction: until the copy is complete the database
 * keeps its old content, and a failed or stopped copy leaves it as it was.
 * <p>
 * The staging file must be in a rollback-journal mode. To stop early, the engine takes an
 * exclusive lock on it through {@code stagingLock}: the driver's next step cannot read the
 * source, gets {@code SQLITE_BUSY} and its loop ends, rolling the live database back.
 * <p>
 * With a {@link RestoreListener}, the copy takes at least two steps, the first one small
 * enough to stay in the page cache (so that, in rollback-journal modes, readers are not
 * locked out yet): after it the live database's write lock is held and nothing has been
 * committed, which is when {@link RestoreListener#liveDatabaseLocked()} is called.
 */
final class OnlineRestore implements CopyHooks {

	/** Bytes of the first step when a listener waits for the write lock: well within the
	 * default page cache of 2000 KiB, so that nothing spills before the listener ran. */
	private static final int FIRST_STEP_BYTES = 1024 * 1024;

	private final SQLiteConnection stagingLock;

	private final @Nullable RestoreListener listener;

	private boolean locked;

	private boolean listenerCalled;

	private OnlineRestore(SQLiteConnection stagingLock, @Nullable RestoreListener listener) {
		this.stagingLock = stagingLock;
		this.listener = listener;
	}

	/**
	 * Copy a staging file over the live schema.
	 * @param live the live schema, on a dedicated connection
	 * @param staging the staging file
	 * @param pageCount the staging file's pages
	 * @param stagingLock a read-write connection to the staging file
	 * @param options the options
	 * @param control the operation's stop signal
	 * @return what the copy did
	 * @throws SQLException if a statement of the engine fails
	 */
	static CopyStats copy(SourceDatabase live, Path staging, long pageCount, SQLiteConnection stagingLock,
			BackupOptions options, OperationControl control) throws SQLException {
		OnlineRestore restore = new OnlineRestore(stagingLock, options.restoreListener());
		int stepSize = restore.stepSize(options.stepSize(), pageCount, live.pageSize());
		RetryingBusyHandler busyHandler = new RetryingBusyHandler(options.retrySleep(), options.maxRetries(), control);
		StepMonitor monitor = new StepMonitor("Restore of " + live.describe(), options, control, busyHandler,
				restore, !live.journalMode().isWal(), staging, live.pageSize());
		SQLiteConnection connection = live.connection();
		// stays installed for the checks that follow; the connection is closed after them
		BusyHandler.setHandler(connection, busyHandler);
		try {
			int returnCode = connection.getDatabase()
				.restore(live.connectionSchema(), staging.toString(), monitor, (int) options.retrySleep().toMillis(),
						0, stepSize);
			return monitor.outcome(returnCode, Duration.ZERO);
		}
		finally {
			restore.unlock();
		}
	}

	private int stepSize(int requested, long pageCount, int pageSize) throws SQLException {
		if (this.listener == null) {
			return requested;
		}
		if (pageCount < 2) {
			// one page is copied and committed in one step: no moment with the lock held
			lockedMoment();
			return requested;
		}
		long firstStep = Math.max(1, Math.min(pageCount - 1, FIRST_STEP_BYTES / pageSize));
		return (int) ((requested > 0) ? Math.min(requested, firstStep) : firstStep);
	}

	@Override
	public void afterStep(int restarts) throws SQLException {
		// the staging file is private: nothing else writes to it, so it never restarts
		if (this.listener != null && !this.listenerCalled) {
			lockedMoment();
		}
	}

	private void lockedMoment() throws SQLException {
		this.listenerCalled = true;
		try {
			this.listener.liveDatabaseLocked();
		}
		catch (SQLException | RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new SQLException("The restore listener failed: " + ex, ex);
		}
	}

	@Override
	public void abort() throws SQLException {
		if (!this.locked) {
			SqliteConnections.execute(this.stagingLock, "BEGIN EXCLUSIVE");
			this.locked = true;
		}
	}

	private void unlock() throws SQLException {
		if (this.locked) {
			SqliteConnections.execute(this.stagingLock, "ROLLBACK");
			this.locked = false;
		}
	}

}
