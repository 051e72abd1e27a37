package io.github.sqlitebackup.job;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sqlitebackup.BackupCancellation;
import io.github.sqlitebackup.BackupCancelledException;

/**
 * How many backups may copy at the same time, shared by the jobs of an application's
 * databases: on a small machine two copies of hundreds of MiB compete for the same disk
 * and both writers' fsyncs wait behind them. A job that finds every permit taken waits
 * (first come, first served) until one is free or its run is cancelled. Restores do not
 * wait: an operator asked for them.
 */
public final class BackupConcurrencyLimit {

	/** How often a waiting run looks at its cancellation. */
	private static final long CANCELLATION_CHECK_MILLIS = 50;

	private final Semaphore permits;

	private final int limit;

	private final AtomicInteger waiting = new AtomicInteger();

	/**
	 * Create a limit.
	 * @param limit how many backups may copy at the same time, at least 1
	 */
	public BackupConcurrencyLimit(int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("the limit must be 1 or more, not " + limit);
		}
		this.limit = limit;
		this.permits = new Semaphore(limit, true);
	}

	/**
	 * Return a limit that never makes a backup wait.
	 * @return the limit
	 */
	public static BackupConcurrencyLimit unlimited() {
		return new BackupConcurrencyLimit(Integer.MAX_VALUE);
	}

	/**
	 * Return how many backups may copy at the same time.
	 * @return the limit
	 */
	public int limit() {
		return this.limit;
	}

	/**
	 * Return how many backups wait for a permit now.
	 * @return the number of waiting backups
	 */
	public int waiting() {
		return this.waiting.get();
	}

	/**
	 * Wait for a permit to copy.
	 * @param cancellation the run's cancellation, which ends the wait
	 * @return the permit, to be closed when the copy is published or failed
	 * @throws BackupCancelledException if the run is cancelled or the thread interrupted
	 * while it waits
	 */
	Permit acquire(BackupCancellation cancellation) {
		try {
			// a timed try keeps first come, first served; an untimed one would barge
			if (!this.permits.tryAcquire(0, TimeUnit.MILLISECONDS)) {
				awaitPermit(cancellation);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackupCancelledException("interrupted while waiting for another database's backup");
		}
		return this.permits::release;
	}

	private void awaitPermit(BackupCancellation cancellation) throws InterruptedException {
		this.waiting.incrementAndGet();
		try {
			while (!this.permits.tryAcquire(CANCELLATION_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
				if (cancellation.isCancelled()) {
					throw new BackupCancelledException("cancelled while waiting for another database's backup");
				}
			}
		}
		finally {
			this.waiting.decrementAndGet();
		}
	}

	/**
	 * A permit to copy; closing it lets the next backup go.
	 */
	@FunctionalInterface
	interface Permit extends AutoCloseable {

		@Override
		void close();

	}

}
