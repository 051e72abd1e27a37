package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.core.DB;

import io.github.sqlitebackup.BackupCancelledException;
import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupProgress;
import io.github.sqlitebackup.BackupProgressListener;
import io.github.sqlitebackup.DatabaseBusyException;
import io.github.sqlitebackup.DiskFullException;
import io.github.sqlitebackup.SqliteBackupException;

/**
 * Observes the driver's native copy loop after every step: counts steps and restarts,
 * reports progress, paces, and stops the copy when the listener fails or the operation is
 * cancelled. The driver keeps copying when an observer throws, so nothing is thrown from
 * here: a stop is requested through {@link CopyHooks#abort()} and reported by
 * {@link #outcome(int, Duration)} once the native call has returned.
 */
final class StepMonitor implements DB.ProgressObserver {

	private final String operation;

	private final BackupOptions options;

	private final OperationControl control;

	private final RetryingBusyHandler busyHandler;

	private final CopyHooks hooks;

	private final boolean suggestWal;

	private final Path destination;

	private final int pageSize;

	private int steps;

	private int restarts;

	private long copied = -1;

	private long remaining = -1;

	private long total;

	private boolean stopping;

	private @Nullable Throwable failure;

	private boolean failureFromListener;

	StepMonitor(String operation, BackupOptions options, OperationControl control, RetryingBusyHandler busyHandler,
			CopyHooks hooks, boolean suggestWal, Path destination, int pageSize) {
		this.operation = operation;
		this.options = options;
		this.control = control;
		this.busyHandler = busyHandler;
		this.hooks = hooks;
		this.suggestWal = suggestWal;
		this.destination = destination;
		this.pageSize = pageSize;
	}

	@Override
	public void progress(int remainingPages, int pageCount) {
		try {
			onStep(remainingPages, pageCount);
		}
		catch (Throwable ex) {
			stop(ex, false);
		}
	}

	private void onStep(int remainingPages, int pageCount) throws Exception {
		this.steps++;
		this.busyHandler.reset();
		long copiedNow = (long) pageCount - remainingPages;
		if (copiedNow <= this.copied) {
			this.restarts++;
		}
		this.copied = copiedNow;
		this.remaining = remainingPages;
		this.total = pageCount;
		if (this.stopping) {
			tryAbort();
			return;
		}
		BackupProgressListener listener = this.options.progress();
		if (listener != null) {
			try {
				listener.onProgress(new BackupProgress(remainingPages, pageCount, this.restarts, remainingPages == 0));
			}
			catch (Throwable ex) {
				stop(ex, true);
				return;
			}
		}
		if (remainingPages == 0) {
			return;
		}
		this.hooks.afterStep(this.restarts, copiedNow);
		boolean pause = this.options.stepSize() != BackupOptions.ALL_PAGES;
		if (this.control.isCancelled() || (pause && !this.control.pause(this.options.stepPause()))) {
			stop(null, false);
		}
	}

	private void stop(@Nullable Throwable cause, boolean fromListener) {
		if (!this.stopping) {
			this.failure = cause;
			this.failureFromListener = fromListener;
		}
		this.stopping = true;
		this.busyHandler.refuse();
		tryAbort();
	}

	private void tryAbort() {
		try {
			this.hooks.abort();
		}
		catch (Throwable ex) {
			// retried after the next step; the refusing busy handler ends the copy meanwhile
		}
	}

	/**
	 * Turn the driver's return code and what was observed into the copy's statistics, or
	 * the exception that explains why there is no complete copy.
	 * @param returnCode what the driver's backup or restore call returned
	 * @param writersBlocked how long writers were kept waiting
	 * @return the statistics of a complete copy
	 */
	CopyStats outcome(int returnCode, Duration writersBlocked) {
		if (this.failure instanceof SqliteBackupException ex && !this.failureFromListener) {
			// a hook's own failure, whose message already says what happened
			throw ex;
		}
		if (this.failure != null) {
			throw new SqliteBackupException(this.operation + " stopped because "
					+ (this.failureFromListener ? "the progress listener threw " : "of ") + this.failure
					+ "; nothing was published or changed.", this.failure);
		}
		if (this.stopping || this.control.isCancelled()) {
			throw new BackupCancelledException(
					this.operation + " was cancelled after " + this.steps + " steps; nothing was published or changed.");
		}
		if (this.busyHandler.isExhausted()) {
			// the driver's restore reports the source handle's code, not the destination's
			throw new DatabaseBusyException(this.operation + " failed: " + describe(SQLiteErrorCode.SQLITE_BUSY.code));
		}
		if (returnCode != 0) {
			SQLiteErrorCode code = SQLiteErrorCode.getErrorCode(returnCode);
			String message = this.operation + " failed: " + describe(returnCode);
			throw switch (code) {
				case SQLITE_BUSY, SQLITE_LOCKED -> new DatabaseBusyException(message);
				case SQLITE_FULL -> new DiskFullException(message);
				default -> new SqliteBackupException(message);
			};
		}
		if (this.steps == 0 || this.remaining != 0) {
			String shortage = DiskSpace.shortage(this.destination, Math.max(this.remaining, 0) * this.pageSize);
			String message = this.operation + " did not complete although the driver reported success ("
					+ Math.max(this.remaining, 0) + " of " + this.total + " pages left after " + this.steps + " steps)"
					+ shortage + "; nothing was published or changed.";
			throw shortage.isEmpty() ? new SqliteBackupException(message) : new DiskFullException(message);
		}
		return new CopyStats(this.total, this.steps, this.restarts, writersBlocked, null);
	}

	private String describe(int returnCode) {
		SQLiteErrorCode code = SQLiteErrorCode.getErrorCode(returnCode);
		return switch (code) {
			case SQLITE_BUSY, SQLITE_LOCKED -> code + ": the database stayed locked by another connection through "
					+ this.options.maxRetries() + " retries " + this.options.retrySleep().toMillis()
					+ " ms apart. Raise max-retries or retry-sleep" + (this.suggestWal
							? ", keep write transactions short, or use WAL mode." : " or keep write transactions short.");
			case SQLITE_FULL -> code + ": the disk is full. Free space where the copy is written.";
			case SQLITE_READONLY -> code + ": the destination cannot be written (in WAL mode source and destination "
					+ "must have the same page size).";
			default -> code + " (" + code.message + ").";
		};
	}

}
