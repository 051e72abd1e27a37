package io.github.sqlitebackup.engine;

import java.time.Duration;

import org.sqlite.BusyHandler;

/**
 * SQLite busy handler of the engine's own connection: waits {@code retrySleep} after each
 * {@code SQLITE_BUSY}, at most {@code maxRetries} times per step, and not at all once the
 * operation is being stopped. SQLite's own {@code busy_timeout} cannot do this here: its
 * count is not reset between {@code sqlite3_backup_step} calls, and it cannot be told to
 * give up early.
 */
final class RetryingBusyHandler extends BusyHandler {

	private final Duration retrySleep;

	private final int maxRetries;

	private final OperationControl control;

	private volatile boolean refusing;

	private int retries;

	private boolean exhausted;

	RetryingBusyHandler(Duration retrySleep, int maxRetries, OperationControl control) {
		this.retrySleep = retrySleep;
		this.maxRetries = maxRetries;
		this.control = control;
	}

	@Override
	protected int callback(int previousInvocations) {
		if (this.refusing) {
			return 0;
		}
		if (this.retries >= this.maxRetries) {
			this.exhausted = true;
			return 0;
		}
		this.retries++;
		return this.control.pause(this.retrySleep) ? 1 : 0;
	}

	/**
	 * Start counting retries afresh, for the next step or statement.
	 */
	void reset() {
		this.retries = 0;
	}

	/**
	 * Return whether a lock wait gave up after {@code maxRetries} retries, which ends the
	 * copy with {@code SQLITE_BUSY} whatever code the driver returns.
	 * @return {@code true} if the retries ran out
	 */
	boolean isExhausted() {
		return this.exhausted;
	}

	/**
	 * Make every further lock wait fail at once, so that a stopping copy ends quickly.
	 */
	void refuse() {
		this.refusing = true;
	}

}
