package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.DatabaseBusyException;
import io.github.sqlitebackup.RestoreListener;
import io.github.sqlitebackup.SqliteBackupException;

/**
 * Copies a private staging file into the live database with {@code sqlite3_backup_step}.
 * The live side is written in one transaction: until the copy is complete the database
 * keeps its old content, and a failed or stopped copy leaves it as it was.
 * <p>
 * The staging file must be in a rollback-journal mode. To stop early, the engine takes an
 * exclusive lock on it through {@code stagingLock}: the driver's next step cannot read the
 * source, gets {@code SQLITE_BUSY} and its loop ends, rolling the live database back.
 * <p>
 * With a {@link RestoreListener}, {@link RestoreListener#liveDatabaseLocked()} is called
 * when the state the restore replaces is fixed:
 * <ul>
 * <li>in WAL mode, after a first step small enough to stay in the page cache: the restore
 * then holds the write lock and has committed nothing, and readers still see the old
 * state;</li>
 * <li>in rollback-journal modes the restore's first step locks readers out too, so the
 * listener is called just before it, while another connection of the engine holds the
 * write lock (writers wait, readers go on); the first step checks the file change counter,
 * which every commit increments: if a writer committed in the instant the lock passed to
 * the restore, the copy is rolled back and the whole attempt (listener included) starts
 * over, up to {@value #ATTEMPTS} times.</li>
 * </ul>
 */
final class OnlineRestore implements CopyHooks {

	/** Bytes of the first step when a listener waits for the write lock: well within the
	 * default page cache of 2000 KiB, so that nothing spills before the listener ran. */
	private static final int FIRST_STEP_BYTES = 1024 * 1024;

	/** Bytes of each step of a restore copied whole: the step before the last waits for the check. */
	private static final long STEP_BYTES = 4L * 1024 * 1024;

	/** Pause between two attempts to take the write lock before a rollback-journal restore. */
	private static final long LOCK_POLL_NANOS = 200_000;

	/** Attempts of a rollback-journal restore whose listener's state was overtaken. */
	static final int ATTEMPTS = 5;

	private static final Log logger = LogFactory.getLog(OnlineRestore.class);

	private final SQLiteConnection stagingLock;

	private final @Nullable RestoreListener listener;

	private final Path database;

	private final boolean wal;

	private final Runnable beforeCommit;

	private long pageCount;

	private int stepSize;

	private boolean commitAllowed;

	private long expectedChangeCounter = -1;

	private boolean firstStepChecked;

	private boolean overtaken;

	private boolean locked;

	private OnlineRestore(SQLiteConnection stagingLock, @Nullable RestoreListener listener, Path database,
			boolean wal, Runnable beforeCommit) {
		this.stagingLock = stagingLock;
		this.listener = listener;
		this.database = database;
		this.wal = wal;
		this.beforeCommit = beforeCommit;
	}

	/**
	 * Copy a staging file over the live schema.
	 * @param live the live schema, on a dedicated connection to its file
	 * @param staging the staging file
	 * @param pageCount the staging file's pages
	 * @param stagingLock a read-write connection to the staging file
	 * @param options the options
	 * @param control the operation's stop signal
	 * @param beforeCommit runs before the step that commits, and throws to roll the restore
	 * back (the staging file's check, which runs meanwhile)
	 * @return what the copy did
	 * @throws SQLException if a statement of the engine fails
	 */
	static CopyStats copy(SourceDatabase live, Path staging, long pageCount, SQLiteConnection stagingLock,
			BackupOptions options, OperationControl control, Runnable beforeCommit) throws SQLException {
		Path database = live.file();
		if (database == null) {
			throw new SqliteBackupException("Cannot restore into " + live.describe() + ": it is not a file.");
		}
		for (int attempt = 1;; attempt++) {
			OnlineRestore restore = new OnlineRestore(stagingLock, options.restoreListener(), database,
					live.journalMode().isWal(), beforeCommit);
			try {
				return restore.copy(live, staging, pageCount, options, control);
			}
			catch (SqliteBackupException ex) {
				if (!restore.overtaken) {
					throw ex;
				}
				if (attempt == ATTEMPTS) {
					throw new DatabaseBusyException("Restore of " + live.describe() + " failed: writers committed "
							+ "between the safety moment and the restore's lock in all " + ATTEMPTS + " attempts "
							+ "(rollback-journal mode); the live database was not changed. Retry when fewer writes "
							+ "arrive, or use WAL mode, where the restore locks writers out first.");
				}
				logger.info("Restore of " + live.describe() + ": a writer committed before the restore's lock; "
						+ "starting over (attempt " + (attempt + 1) + " of " + ATTEMPTS + ")");
			}
		}
	}

	private CopyStats copy(SourceDatabase live, Path staging, long pageCount, BackupOptions options,
			OperationControl control) throws SQLException {
		int stepSize = stepSize(options.stepSize(), pageCount, live.pageSize(), options);
		this.pageCount = pageCount;
		this.stepSize = stepSize;
		if (stepSize < 0 || pageCount <= stepSize) {
			// the first step commits
			allowCommit();
		}
		RetryingBusyHandler busyHandler = finelyPolling(options, control);
		StepMonitor monitor = new StepMonitor("Restore of " + live.describe(), options, control, busyHandler, this,
				!this.wal, staging, live.pageSize());
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
			unlock();
		}
	}

	/**
	 * A restore must win the write lock from writers that commit back to back, whose own
	 * busy handlers retry within milliseconds: it polls every millisecond, within the same
	 * total wait as {@code retry-sleep} times {@code max-retries}.
	 */
	private static RetryingBusyHandler finelyPolling(BackupOptions options, OperationControl control) {
		long budgetMillis = options.retrySleep().toMillis() * Math.max(1, options.maxRetries());
		return new RetryingBusyHandler(Duration.ofMillis(1), (int) Math.min(Integer.MAX_VALUE, Math.max(1, budgetMillis)),
				control);
	}

	private int stepSize(int requested, long pageCount, int pageSize, BackupOptions options) throws SQLException {
		if (this.listener == null) {
			// a whole copy goes in steps all the same, so that the one before the commit can wait
			// for the check (nothing else happens between them: no pause, no stop)
			return (requested == BackupOptions.ALL_PAGES) ? (int) Math.max(1, STEP_BYTES / pageSize) : requested;
		}
		if (!this.wal || pageCount < 2) {
			// rollback journal: readers are locked out from the first step on; one page: no
			// moment between the lock and the commit
			lockedMomentBeforeTheRestore(options);
			if (pageCount < 2) {
				return requested;
			}
		}
		long firstStep = Math.max(1, Math.min(pageCount - 1, FIRST_STEP_BYTES / pageSize));
		return (int) ((requested > 0) ? Math.min(requested, firstStep) : firstStep);
	}

	@Override
	public void afterStep(int restarts, long copiedPages) throws SQLException {
		// the staging file is private: nothing else writes to it, so it never restarts
		checkListenersMoment();
		if (this.pageCount - copiedPages <= this.stepSize) {
			allowCommit();
		}
	}

	private void allowCommit() {
		if (!this.commitAllowed) {
			this.beforeCommit.run();
			this.commitAllowed = true;
		}
	}

	private void checkListenersMoment() throws SQLException {
		if (this.listener == null || this.firstStepChecked) {
			return;
		}
		this.firstStepChecked = true;
		if (this.wal) {
			lockedMoment();
		}
		else if (SqliteHeader.readLive(this.database).changeCounter() != this.expectedChangeCounter) {
			this.overtaken = true;
			throw new SQLException("a writer committed before the restore's lock");
		}
	}

	/**
	 * Call the listener while a connection of the engine holds the write lock (readers go
	 * on), and remember the change counter of that state. The lock passes to the restore
	 * when it is released; a writer that commits in that instant is noticed by the first
	 * step.
	 */
	private void lockedMomentBeforeTheRestore(BackupOptions options) throws SQLException {
		try (SQLiteConnection holder = SqliteConnections.open(this.database)) {
			takeWriteLock(holder, options.retrySleep().multipliedBy(Math.max(1, options.maxRetries())));
			try {
				this.expectedChangeCounter = SqliteHeader.readLive(this.database).changeCounter();
				lockedMoment();
			}
			finally {
				SqliteConnections.execute(holder, "ROLLBACK");
			}
		}
	}

	/**
	 * Take the write lock against writers that commit back to back. SQLite's own busy
	 * handler sleeps ever longer between attempts and loses that race for seconds; polling
	 * every fraction of a millisecond wins it in the first gap between two commits.
	 */
	private void takeWriteLock(SQLiteConnection holder, Duration budget) throws SQLException {
		SqliteConnections.execute(holder, "PRAGMA busy_timeout=0");
		long deadline = System.nanoTime() + budget.toNanos();
		while (true) {
			try {
				SqliteConnections.execute(holder, "BEGIN IMMEDIATE");
				return;
			}
			catch (SQLiteException ex) {
				if ((ex.getResultCode().code & 0xff) != SQLiteErrorCode.SQLITE_BUSY.code || System.nanoTime() > deadline) {
					throw ex;
				}
				LockSupport.parkNanos(LOCK_POLL_NANOS);
			}
		}
	}

	private void lockedMoment() throws SQLException {
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
