package io.github.sqlitebackup.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A writer on its own connection that commits a small transaction every few milliseconds
 * (a ledger row plus the matching balance update) until stopped, recording each commit's
 * latency and any failure.
 */
public final class LedgerWriter implements AutoCloseable {

	private final Path database;

	private final long intervalMillis;

	private final Thread thread;

	private final AtomicLong commits = new AtomicLong();

	private final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());

	private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

	private volatile boolean running = true;

	/**
	 * Start a writer.
	 * @param database the database file
	 * @param intervalMillis pause between commits
	 */
	public LedgerWriter(Path database, long intervalMillis) {
		this.database = database;
		this.intervalMillis = intervalMillis;
		this.thread = new Thread(this::run, "ledger-writer");
		this.thread.start();
	}

	private void run() {
		try (Connection connection = TestDatabase.connect(this.database)) {
			connection.setAutoCommit(false);
			try (PreparedStatement ledger = connection
				.prepareStatement("INSERT INTO ledger (amount, note) VALUES (1, ?)");
					Statement account = connection.createStatement()) {
				while (this.running) {
					long start = System.nanoTime();
					try {
						ledger.setString(1, "entry-" + this.commits.get());
						ledger.executeUpdate();
						account.executeUpdate("UPDATE account SET balance = balance + 1 WHERE id = 1");
						connection.commit();
						this.commits.incrementAndGet();
						this.latenciesMicros.add((System.nanoTime() - start) / 1000);
					}
					catch (SQLException ex) {
						this.failures.add(ex);
						connection.rollback();
					}
					Thread.sleep(this.intervalMillis);
				}
			}
		}
		catch (Exception ex) {
			this.failures.add(ex);
		}
	}

	/**
	 * Return the number of commits so far.
	 * @return commits
	 */
	public long commits() {
		return this.commits.get();
	}

	/**
	 * Return failed transactions so far.
	 * @return the failures
	 */
	public List<Throwable> failures() {
		return List.copyOf(this.failures);
	}

	/**
	 * Return the longest commit latency so far.
	 * @return the latency in milliseconds
	 */
	public long maxLatencyMillis() {
		synchronized (this.latenciesMicros) {
			return this.latenciesMicros.stream().mapToLong(Long::longValue).max().orElse(0) / 1000;
		}
	}

	/**
	 * Wait until the writer has committed at least this many more transactions.
	 * @param count how many
	 */
	public void awaitCommits(long count) throws InterruptedException {
		long target = this.commits.get() + count;
		while (this.commits.get() < target && this.thread.isAlive()) {
			Thread.sleep(1);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join();
	}

}
