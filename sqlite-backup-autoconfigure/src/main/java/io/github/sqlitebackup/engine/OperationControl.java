package io.github.sqlitebackup.engine;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.BackupCancellation;
import io.github.sqlitebackup.BackupCancelledException;

/**
 * The stop signal of one running operation: the caller's {@link BackupCancellation}, the
 * engine's own shutdown token and the interrupt status of the calling thread. Closing it
 * tells the {@link OperationRegistry} that the operation has ended.
 */
public final class OperationControl implements AutoCloseable {

	private static final Duration POLL_INTERVAL = Duration.ofMillis(5);

	private final BackupCancellation shutdown = new BackupCancellation();

	private final @Nullable BackupCancellation caller;

	private final OperationRegistry registry;

	OperationControl(@Nullable BackupCancellation caller, OperationRegistry registry) {
		this.caller = caller;
		this.registry = registry;
	}

	/**
	 * Return whether the operation should stop.
	 * @return {@code true} when cancelled, shut down or interrupted
	 */
	public boolean isCancelled() {
		return this.shutdown.isCancelled() || (this.caller != null && this.caller.isCancelled())
				|| Thread.currentThread().isInterrupted();
	}

	/**
	 * Throw if the operation should stop.
	 * @param operation what is running, for the message
	 * @throws BackupCancelledException if cancelled
	 */
	public void throwIfCancelled(String operation) {
		if (isCancelled()) {
			throw new BackupCancelledException(operation + " was cancelled; nothing was published or changed.");
		}
	}

	/**
	 * Sleep for the given time, returning early when the operation is cancelled.
	 * @param duration how long to sleep
	 * @return {@code false} if cancelled before or while sleeping
	 */
	public boolean pause(Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		while (!isCancelled()) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return true;
			}
			try {
				Thread.sleep(Math.max(1, Math.min(POLL_INTERVAL.toMillis(), remaining / 1_000_000)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return false;
	}

	void shutdown() {
		this.shutdown.cancel();
	}

	@Override
	public void close() {
		this.registry.ended(this);
	}

}
