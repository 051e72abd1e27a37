package io.github.sqlitebackup;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A token that cancels a running backup or restore from another thread. Pass it with
 * {@link BackupOptions#withCancellation(BackupCancellation)} and call {@link #cancel()}
 * from anywhere; the operation stops at its next step boundary (within milliseconds for
 * a positive step size; a one-step copy, {@code stepSize = -1}, stops when that step
 * ends) and fails with {@link BackupCancelledException}. A token cannot be reset; use a
 * new one per operation or share one to cancel several.
 */
public final class BackupCancellation {

	private final AtomicBoolean cancelled = new AtomicBoolean();

	/**
	 * Request cancellation. Safe to call from any thread, any number of times.
	 */
	public void cancel() {
		this.cancelled.set(true);
	}

	/**
	 * Return whether {@link #cancel()} has been called.
	 * @return {@code true} once cancelled
	 */
	public boolean isCancelled() {
		return this.cancelled.get();
	}

}
