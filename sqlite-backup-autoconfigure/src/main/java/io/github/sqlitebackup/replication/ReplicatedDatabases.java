package io.github.sqlitebackup.replication;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.context.SmartLifecycle;

import io.github.sqlitebackup.SqliteBackupException;

/**
 * The continuous replication of the application's databases
 * ({@code sqlite.backup.replication.enabled=true}): started with the application context,
 * stopped before its DataSources close. For writes that must not be lost, call
 * {@link #awaitReplicated(Duration)} after the commit.
 */
public final class ReplicatedDatabases implements SmartLifecycle {

	/** The lifecycle phase: that of the backup schedulers, below the web server's shutdown. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final Map<String, Replication> replications;

	private volatile boolean running;

	/**
	 * Create the replications, each started with {@link #start()}.
	 * @param replications the replication of each database, by database id
	 */
	public ReplicatedDatabases(Map<String, Replication> replications) {
		this.replications = new LinkedHashMap<>(replications);
	}

	/**
	 * Return the ids of the replicated databases.
	 * @return the ids
	 */
	public Set<String> databaseIds() {
		return this.replications.keySet();
	}

	/**
	 * Wait until everything the single replicated database committed before this call is in
	 * its storage (the remote one, when there is one).
	 * @param timeout how long to wait at most
	 * @return {@code true} if it was stored in time
	 * @throws InterruptedException if the waiting thread is interrupted
	 * @throws IllegalStateException if several databases are replicated
	 */
	public boolean awaitReplicated(Duration timeout) throws InterruptedException {
		if (this.replications.size() != 1) {
			throw new IllegalStateException("Several databases are replicated (" + this.replications.keySet()
					+ "): name one with awaitReplicated(databaseId, timeout)");
		}
		return this.replications.values().iterator().next().awaitReplicated(timeout);
	}

	/**
	 * Wait until everything a database committed before this call is in its storage.
	 * @param databaseId the database's id
	 * @param timeout how long to wait at most
	 * @return {@code true} if it was stored in time
	 * @throws InterruptedException if the waiting thread is interrupted
	 * @throws IllegalArgumentException if the database is not replicated
	 */
	public boolean awaitReplicated(String databaseId, Duration timeout) throws InterruptedException {
		return replication(databaseId).awaitReplicated(timeout);
	}

	/**
	 * Return the state of a database's replication.
	 * @param databaseId the database's id
	 * @return its state
	 * @throws IllegalArgumentException if the database is not replicated
	 */
	public Replication.Status status(String databaseId) {
		return replication(databaseId).status();
	}

	/**
	 * Return the replicated database file.
	 * @param databaseId the database's id
	 * @return its file
	 * @throws IllegalArgumentException if the database is not replicated
	 */
	public Path databaseFile(String databaseId) {
		return replication(databaseId).databaseFile();
	}

	private Replication replication(String databaseId) {
		Replication replication = this.replications.get(databaseId);
		if (replication == null) {
			throw new IllegalArgumentException("Database '" + databaseId + "' is not replicated; replicated: "
					+ this.replications.keySet());
		}
		return replication;
	}

	@Override
	public void start() {
		List<Replication> started = new ArrayList<>();
		for (Map.Entry<String, Replication> entry : this.replications.entrySet()) {
			try {
				entry.getValue().start();
				started.add(entry.getValue());
			}
			catch (IOException | RuntimeException ex) {
				started.forEach(Replication::close);
				entry.getValue().close();
				throw new SqliteBackupException("Cannot start the replication of database '" + entry.getKey() + "': "
						+ ex.getMessage(), ex);
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.replications.values().forEach(Replication::close);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Start before and stop after the web server's graceful shutdown, so that what requests
	 * commit while it drains is replicated too.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return PHASE;
	}

}
