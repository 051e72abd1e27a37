package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Syncs a file that is being written, every few tens of MiB, on a thread of its own: the disk
 * writes while the writer goes on, the final fsync finds little left to do, and the page
 * cache never holds the whole file dirty (which would stall the application's own commits
 * behind it).
 */
final class BackgroundSync implements AutoCloseable {

	private static final long EVERY = 64L * 1024 * 1024;

	private final FileChannel channel;

	private final ExecutorService thread;

	private long next = EVERY;

	private @Nullable Future<?> pending;

	BackgroundSync(FileChannel channel, String threadName) {
		this.channel = channel;
		this.thread = Executors.newSingleThreadExecutor((task) -> {
			Thread sync = new Thread(task, threadName);
			sync.setDaemon(true);
			return sync;
		});
	}

	/**
	 * Start a sync if enough was written since the last one and none is running.
	 * @param written the bytes written so far
	 * @throws IOException if an earlier sync failed
	 */
	void written(long written) throws IOException {
		if (written < this.next || (this.pending != null && !this.pending.isDone())) {
			return;
		}
		await();
		this.pending = this.thread.submit(() -> {
			this.channel.force(false);
			return null;
		});
		this.next = written + EVERY;
	}

	/**
	 * Wait for the running sync, if any.
	 * @throws IOException if it failed
	 */
	void await() throws IOException {
		if (this.pending == null) {
			return;
		}
		try {
			this.pending.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw new IOException("Syncing the file failed: " + ex.getCause(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while syncing the file");
		}
		finally {
			this.pending = null;
		}
	}

	/** Let a running sync finish (never interrupted: that would close the channel), then stop. */
	@Override
	public void close() {
		this.thread.shutdown();
		try {
			this.thread.awaitTermination(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
