package io.github.sqlitebackup.engine;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.BackupCancellation;
import io.github.sqlitebackup.SqliteBackupException;

/**
 * Keeps track of the operations of one template, so that closing the template cancels
 * them and waits, for a bounded time, until they have stopped.
 */
public final class OperationRegistry {

	private final Set<OperationControl> running = new HashSet<>();

	private boolean closed;

	/**
	 * Register a starting operation.
	 * @param cancellation the caller's token, or {@code null}
	 * @return the operation's control, to be closed when it ends
	 * @throws SqliteBackupException if the registry has been closed
	 */
	public synchronized OperationControl start(@Nullable BackupCancellation cancellation) {
		if (this.closed) {
			throw new SqliteBackupException("The SqliteBackupTemplate has been closed (the application is shutting "
					+ "down); no new backup or restore can start.");
		}
		OperationControl control = new OperationControl(cancellation, this);
		this.running.add(control);
		return control;
	}

	/**
	 * Refuse new operations, cancel the running ones and wait until they have stopped.
	 * @param timeout how long to wait at most
	 * @return {@code true} if every operation stopped in time
	 */
	public synchronized boolean shutdown(Duration timeout) {
		this.closed = true;
		this.running.forEach(OperationControl::shutdown);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.running.isEmpty()) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return false;
			}
			try {
				wait(Math.max(1, remaining / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	synchronized void ended(OperationControl control) {
		this.running.remove(control);
		notifyAll();
	}

}
