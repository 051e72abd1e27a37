package io.github.sqlitebackup.benchmarks.soak;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Notes written through the app's HTTP API at a steady rate on one thread, until closed.
 */
final class WriteLoad implements AutoCloseable {

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong errors = new AtomicLong();

	private final Thread thread;

	private WriteLoad(SampleApp app, int perSecond) {
		long pauseNanos = 1_000_000_000L / perSecond;
		this.thread = new Thread(() -> {
			long next = System.nanoTime();
			while (this.running.get()) {
				try {
					int status = app.post("/notes", "{\"text\":\"written during the soak\"}");
					(status == 201 ? this.written : this.errors).incrementAndGet();
					next += pauseNanos;
					long wait = next - System.nanoTime();
					if (wait > 0) {
						Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (Exception ex) {
					this.errors.incrementAndGet();
				}
			}
		}, "soak-writer");
		this.thread.setDaemon(true);
	}

	static WriteLoad start(SampleApp app, int perSecond) {
		WriteLoad load = new WriteLoad(app, perSecond);
		load.thread.start();
		return load;
	}

	long written() {
		return this.written.get();
	}

	long errors() {
		return this.errors.get();
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		this.thread.join(30_000);
	}

}
