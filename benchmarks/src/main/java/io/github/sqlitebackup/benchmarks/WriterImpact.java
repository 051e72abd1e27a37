package io.github.sqlitebackup.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A writer on its own connection that commits a small transaction every 5 ms (200
 * commits/s) and records the latency and failure of each commit that starts while an
 * action runs.
 */
final class WriterImpact implements AutoCloseable {

	private final Thread thread;

	private final List<Double> latencies = new CopyOnWriteArrayList<>();

	private final AtomicLong errors = new AtomicLong();

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile boolean running = true;

	private volatile boolean recording;

	WriterImpact(Path database) {
		this.thread = new Thread(() -> write(database), "benchmark-writer");
		this.thread.start();
	}

	private void write(Path database) {
		try (Connection connection = Databases.connect(database);
				PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger (amount, note) VALUES (1, ?)")) {
			while (this.running) {
				boolean recorded = this.recording;
				if (recorded) {
					this.inFlight.incrementAndGet();
				}
				long start = System.nanoTime();
				boolean failed = false;
				try {
					insert.setString(1, "commit at " + start);
					insert.executeUpdate();
				}
				catch (SQLException ex) {
					failed = true;
				}
				if (recorded) {
					this.latencies.add((System.nanoTime() - start) / 1e6);
					if (failed) {
						this.errors.incrementAndGet();
					}
					this.inFlight.decrementAndGet();
				}
				Thread.sleep(5);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Record the writer's commits while an action runs.
	 * @param action what to run
	 * @return the commits' latencies and errors during the action
	 */
	Latencies during(Action action) throws Exception {
		this.latencies.clear();
		this.errors.set(0);
		this.recording = true;
		try {
			action.run();
		}
		finally {
			this.recording = false;
		}
		// a commit that started during the action counts, however long the action kept it waiting
		long deadline = System.nanoTime() + 60_000_000_000L;
		while (this.inFlight.get() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
		List<Double> recorded = new ArrayList<>(this.latencies);
		return new Latencies(recorded.size(), this.errors.get(), Stats.percentile(recorded, 50),
				Stats.percentile(recorded, 99), Stats.percentile(recorded, 100));
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join();
	}

	/**
	 * Something to run while the writer is recorded.
	 */
	@FunctionalInterface
	interface Action {

		void run() throws Exception;

	}

	/**
	 * The writer's commits during an action.
	 *
	 * @param commits how many commits
	 * @param errors how many failed
	 * @param p50 median latency, ms
	 * @param p99 99th percentile latency, ms
	 * @param max maximum latency, ms
	 */
	record Latencies(long commits, long errors, double p50, double p99, double max) {

	}

}
