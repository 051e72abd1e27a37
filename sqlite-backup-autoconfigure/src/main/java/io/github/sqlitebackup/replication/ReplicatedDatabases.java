package io.github.sqlitebackup.replication;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.FileSystemUtils;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.RestoreOutcome;

/**
 * The continuous replication of the application's databases
 * ({@code sqlite.backup.replication.enabled=true}): started with the application context,
 * stopped before its DataSources close. For writes that must not be lost, call
 * {@link #awaitReplicated(Duration)} after the commit.
 */
public final class ReplicatedDatabases implements SmartLifecycle {

	/** The lifecycle phase: that of the backup schedulers, below the web server's shutdown. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(ReplicatedDatabases.class);

	/** The replicated state is checked once here and again by the job's restore. */
	private static final OfflineRestore.Settings STATE_CHECKS = new OfflineRestore.Settings(Verification.QUICK,
			OfflineRestore.Mode.IF_MISSING, false);

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

	/**
	 * Return the live database to its replicated state at an instant (the last transaction
	 * committed at or before it) or to its latest replicated state: that state is written and
	 * checked in a private file in the replica directory, then restored through the
	 * database's job the way a backup is (refused while a backup or restore runs, a safety
	 * backup of the current state first, refused for another schema unless forced). The
	 * restore is itself replicated, so the state before it stays restorable. A state
	 * replicated from another database file is refused unless forced.
	 * @param job the database's job
	 * @param pointInTime the instant, or {@code null} for the latest replicated state
	 * @param force whether to restore a state with another schema than the live one
	 * @return what happened; failures are reported here, not thrown
	 * @throws IllegalArgumentException if the job's database is not replicated
	 */
	public RestoreOutcome restoreLive(BackupJob job, @Nullable Instant pointInTime, boolean force) {
		Replication replication = replication(job.databaseId());
		String wanted = "replicated state of database '" + job.databaseId() + "'"
				+ ((pointInTime != null) ? " at " + pointInTime : " (latest)");
		Path directory = null;
		try {
			directory = Files.createTempDirectory(replication.staging(), ".restore-");
			Path state = directory.resolve("state.db");
			ReplicaRestore.Restored restored = replication.restore(state, pointInTime, STATE_CHECKS);
			if (!force && !sameFile(restored.source(), replication.databaseFile())) {
				return new RestoreOutcome(RestoreOutcome.Status.REFUSED, wanted, null, null, "The " + wanted
						+ " found is generation " + restored.generation() + ", replicated from database file "
						+ restored.source() + ", not from this application's database " + replication.databaseFile()
						+ " (objects copied into its replica directory from elsewhere?). Restore it with force only if "
						+ "you mean to replace this database with that one. The live database was not changed.",
						Instant.now());
			}
			return job.restoreState("replicated state of database '" + job.databaseId() + "' as of transaction "
					+ restored.transaction() + " committed " + restored.committed() + " (generation "
					+ restored.generation() + ")", state, force);
		}
		catch (ReplicaNotFoundException ex) {
			return new RestoreOutcome(RestoreOutcome.Status.NOT_FOUND, wanted, null, null, ex.getMessage(),
					Instant.now());
		}
		catch (IOException | RuntimeException ex) {
			logger.error("Restore of the " + wanted + " failed: " + ex.getMessage(), ex);
			return new RestoreOutcome(RestoreOutcome.Status.FAILED, wanted, null, null,
					"The " + wanted + " cannot be read: " + ex.getMessage() + ". The live database was not changed.",
					Instant.now());
		}
		finally {
			if (directory != null) {
				deleteQuietly(directory);
			}
		}
	}

	private static boolean sameFile(String source, Path database) {
		Path path = Path.of(source);
		try {
			return Files.isSameFile(path, database);
		}
		catch (IOException ex) {
			return path.toAbsolutePath().normalize().equals(database.toAbsolutePath().normalize());
		}
	}

	private static void deleteQuietly(Path directory) {
		try {
			FileSystemUtils.deleteRecursively(directory);
		}
		catch (IOException ex) {
			logger.warn("Cannot delete " + directory + ": " + ex.getMessage());
		}
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
