package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupOptions;

/**
 * Copies a private staging file into the live database with {@code sqlite3_backup_step}.
 * The live side is written in one transaction: until the copy is complete the database
 * keeps its old content, and a failed or stopped copy leaves it as it was.
 * <p>
 * The staging file must be in a rollback-journal mode. To stop early, the engine takes an
 * exclusive lock on it through {@code stagingLock}: the driver's next step cannot read the
 * source, gets {@code SQLITE_BUSY} and its loop ends, rolling the live database back.
 */
final class OnlineRestore implements CopyHooks {

	private final SQLiteConnection stagingLock;

	private boolean locked;

	private OnlineRestore(SQLiteConnection stagingLock) {
		this.stagingLock = stagingLock;
	}

	/**
	 * Copy a staging file over the live schema.
	 * @param live the live schema, on a dedicated connection
	 * @param staging the staging file
	 * @param stagingLock a read-write connection to the staging file
	 * @param options the options
	 * @param control the operation's stop signal
	 * @return what the copy did
	 * @throws SQLException if a statement of the engine fails
	 */
	static CopyStats copy(SourceDatabase live, Path staging, SQLiteConnection stagingLock, BackupOptions options,
			OperationControl control) throws SQLException {
		OnlineRestore restore = new OnlineRestore(stagingLock);
		RetryingBusyHandler busyHandler = new RetryingBusyHandler(options.retrySleep(), options.maxRetries(), control);
		StepMonitor monitor = new StepMonitor("Restore of " + live.describe(), options, control, busyHandler,
				restore);
		SQLiteConnection connection = live.connection();
		// stays installed for the checks that follow; the connection is closed after them
		BusyHandler.setHandler(connection, busyHandler);
		try {
			int returnCode = connection.getDatabase()
				.restore(live.connectionSchema(), staging.toString(), monitor, (int) options.retrySleep().toMillis(),
						0, options.stepSize());
			return monitor.outcome(returnCode, Duration.ZERO);
		}
		finally {
			restore.unlock();
		}
	}

	@Override
	public void afterStep(int restarts) {
		// the staging file is private: nothing else writes to it, so it never restarts
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
