package io.github.sqlitebackup.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waits that an interrupt must not cut short (the work waited for holds something that
 * has to end first), keeping the interrupt status for the caller.
 */
final class Uninterruptibly {

	private Uninterruptibly() {
	}

	/**
	 * Wait for a result, however often the thread is interrupted meanwhile.
	 * @param <T> the result's type
	 * @param future the result to come
	 * @return the result
	 * @throws ExecutionException if the work failed
	 */
	static <T> T get(Future<T> future) throws ExecutionException {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return future.get();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
