package io.github.sqlitebackup.replication;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.offsite.StoredForm;
import io.github.sqlitebackup.storage.BackupStorage;

/**
 * Runs the replication of one database: a sync every {@code sync-interval} on a thread of
 * its own, a snapshot every {@code snapshot-interval} when something changed, retention
 * after each snapshot, compaction of the segments every few minutes, and {@link #awaitReplicated(Duration)} for writes that must not be
 * lost.
 */
public final class Replication implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(Replication.class);

	private final WalReplicator replicator;

	private final BackupStorage storage;

	private final Path staging;

	private final @Nullable ReplicaUploader uploader;

	/** Reads the remote storage's objects (compressed, encrypted). */
	private final BackupDecoder remoteDecoder;

	/** Held while objects are deleted or replaced, and by restores while they read. */
	private final ReentrantLock maintenance = new ReentrantLock();

	private final Clock clock;

	private final Settings settings;

	private final ScheduledExecutorService thread;

	private final Object progress = new Object();

	/** Requests for a sync that starts after them; guarded by {@link #progress}. */
	private long requested;

	/** The newest request that a finished sync started after; guarded by {@link #progress}. */
	private long satisfied;

	private volatile Status status;

	/** Bytes waiting locally for the remote storage after the last upload. */
	private long queued;

	/** Compaction levels: sync segments become 5-minute ones, those become hourly ones. */
	private static final List<Duration> LEVELS = List.of(Duration.ofMinutes(5), Duration.ofHours(1));

	private static final BackupDecoder PLAIN = new BackupDecoder(List.of());

	private Instant lastSnapshot;

	private Instant lastCompaction;

	private long objectsAtCompaction;

	/**
	 * Create the replication of a database to a local replica directory and, optionally, on
	 * to a remote storage; nothing runs before {@link #start()}.
	 * @param replicator ships the database's transactions to the local replica directory
	 * @param local the local replica directory's storage
	 * @param staging the local replica directory
	 * @param remote the remote storage, or {@code null}
	 * @param form how objects are stored remotely (compression, encryption)
	 * @param remoteDecoder reads the remote storage's objects, for restores
	 * @param localLimit how many bytes may wait locally for the remote storage
	 * @param clock the clock of intervals and retention
	 * @param settings intervals and retention
	 * @param threadName the name of the replication thread
	 * @return the replication
	 */
	public static Replication of(WalReplicator replicator, BackupStorage local, Path staging,
			@Nullable BackupStorage remote, StoredForm form, BackupDecoder remoteDecoder, long localLimit, Clock clock,
			Settings settings, String threadName) {
		return new Replication(replicator, local, staging,
				(remote != null) ? new ReplicaUploader(local, remote, localLimit, form, staging) : null, remoteDecoder,
				clock, settings, threadName);
	}

	/**
	 * Create the replication of a database; nothing runs before {@link #start()}.
	 * @param replicator ships the database's transactions
	 * @param storage where they go (for retention and compaction)
	 * @param staging where compacted segments are written before they are stored
	 * @param clock the clock of intervals and retention
	 * @param settings intervals and retention
	 * @param threadName the name of the replication thread
	 */
	Replication(WalReplicator replicator, BackupStorage storage, Path staging, Clock clock, Settings settings,
			String threadName) {
		this(replicator, storage, staging, null, PLAIN, clock, settings, threadName);
	}

	/**
	 * Create the replication of a database to a remote storage through a local replica
	 * directory; nothing runs before {@link #start()}.
	 * @param replicator ships the database's transactions to the local replica directory
	 * @param storage the local replica directory
	 * @param staging where compacted segments are written before they are stored
	 * @param uploader copies the local objects to the remote storage, or {@code null}
	 * @param remoteDecoder reads the remote storage's objects, for restores
	 * @param clock the clock of intervals and retention
	 * @param settings intervals and retention
	 * @param threadName the name of the replication thread
	 */
	Replication(WalReplicator replicator, BackupStorage storage, Path staging, @Nullable ReplicaUploader uploader,
			BackupDecoder remoteDecoder, Clock clock, Settings settings, String threadName) {
		this.uploader = uploader;
		this.remoteDecoder = remoteDecoder;
		this.replicator = replicator;
		this.storage = storage;
		this.staging = staging;
		this.clock = clock;
		this.settings = settings;
		this.thread = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread replication = new Thread(task, threadName);
			replication.setDaemon(true);
			return replication;
		});
		this.lastSnapshot = clock.instant();
		this.lastCompaction = clock.instant();
		this.status = new Status(null, 0, 0, 0, 0, null, null);
	}

	/**
	 * Start a generation with a snapshot, then sync every interval.
	 * @throws IOException if the first snapshot cannot be stored
	 */
	public void start() throws IOException {
		WalReplicator.Shipped first = this.replicator.start();
		this.lastSnapshot = this.clock.instant();
		record(first, null);
		long interval = this.settings.syncInterval().toNanos();
		this.thread.scheduleWithFixedDelay(this::runOnce, interval, interval, TimeUnit.NANOSECONDS);
	}

	/**
	 * Wait until everything committed before this call is in the storage: a sync that
	 * starts after the call runs at once and this returns when it has succeeded.
	 * @param timeout how long to wait at most
	 * @return {@code true} if it was stored in time
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitReplicated(Duration timeout) throws InterruptedException {
		long ticket;
		synchronized (this.progress) {
			ticket = ++this.requested;
		}
		try {
			this.thread.execute(this::runOnce);
		}
		catch (RejectedExecutionException ex) {
			throw new IllegalStateException("Replication of " + this.replicator.database() + " has stopped", ex);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.progress) {
			while (this.satisfied < ticket) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.progress, left);
			}
			return true;
		}
	}

	/**
	 * Return the replicated database file.
	 * @return the file
	 */
	public Path databaseFile() {
		return this.replicator.database();
	}

	/**
	 * Write the replicated state at an instant, or the latest one, to a new file: from the
	 * local replica directory, or from the remote storage when only it still holds what
	 * that instant needs. Compaction and retention wait while it reads.
	 * @param target the file to write; it must not exist
	 * @param pointInTime the instant, or {@code null} for the latest position
	 * @param settings how to check and publish the file
	 * @return what was restored
	 * @throws ReplicaNotFoundException if nothing was replicated at or before the instant
	 * @throws IOException if the objects cannot be read; nothing was published
	 */
	public ReplicaRestore.Restored restore(Path target, @Nullable Instant pointInTime,
			OfflineRestore.Settings settings) throws IOException {
		this.maintenance.lock();
		try {
			try {
				return ReplicaRestore.restore(this.storage, PLAIN, target, pointInTime, settings);
			}
			catch (ReplicaNotFoundException ex) {
				if (this.uploader == null) {
					throw ex;
				}
				return ReplicaRestore.restore(this.uploader.remote(), this.remoteDecoder, target, pointInTime,
						settings);
			}
		}
		finally {
			this.maintenance.unlock();
		}
	}

	/**
	 * Return the local replica directory.
	 * @return the directory
	 */
	Path staging() {
		return this.staging;
	}

	/**
	 * Return the replication's state.
	 * @return the state
	 */
	public Status status() {
		return this.status;
	}

	private void runOnce() {
		long ticket;
		synchronized (this.progress) {
			ticket = this.requested;
		}
		WalReplicator.Shipped shipped = WalReplicator.Shipped.NOTHING;
		try {
			shipped = this.replicator.sync();
			Instant now = this.clock.instant();
			// after a clock step back, intervals count from now rather than never ending
			this.lastSnapshot = earlier(this.lastSnapshot, now);
			this.lastCompaction = earlier(this.lastCompaction, now);
			if (!now.isBefore(this.lastSnapshot.plus(this.settings.snapshotInterval()))) {
				WalReplicator.Shipped snapshot = this.replicator.snapshot();
				if (snapshot.objects() > 0) {
					this.lastSnapshot = now;
					this.maintenance.lock();
					try {
						prune(now);
					}
					finally {
						this.maintenance.unlock();
					}
				}
				shipped = shipped.plus(snapshot);
			}
			this.maintenance.lock();
			try {
				shipped = shipped.plus(compactIfDue(now, this.status.objects() + shipped.objects()));
				if (this.uploader != null) {
					upload(now);
				}
			}
			finally {
				this.maintenance.unlock();
			}
			// a success only once the state is where it is meant to be (the remote storage, if any)
			record(shipped, null);
			synchronized (this.progress) {
				this.satisfied = Math.max(this.satisfied, ticket);
				this.progress.notifyAll();
			}
		}
		catch (IOException | RuntimeException ex) {
			if (this.status.error() == null) {
				logger.warn("Replication of " + this.replicator.database() + " failed; it is retried every "
						+ this.settings.syncInterval() + ": " + ex.getMessage(), ex);
			}
			record(shipped, ex.getMessage());
		}
	}

	private static Instant earlier(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	/** Upload what waits locally; a failure is this run's failure, so awaitReplicated waits on. */
	private void upload(Instant now) throws IOException {
		ReplicaUploader.Result result = Objects.requireNonNull(this.uploader).upload(now, this.settings.retention());
		this.queued = result.queued();
		if (result.dropped()) {
			logger.warn("Replication of " + this.replicator.database() + " dropped the segments that waited for the "
					+ "remote storage: they outgrew the local bound. A new generation starts with a snapshot.");
			this.replicator.restartGeneration();
		}
		if (result.failure() != null) {
			throw result.failure();
		}
	}

	/** Compact once per shortest level period, and only if something was stored since. */
	private WalReplicator.Shipped compactIfDue(Instant now, long objects) {
		if (now.isBefore(this.lastCompaction.plus(LEVELS.get(0))) || objects == this.objectsAtCompaction) {
			return WalReplicator.Shipped.NOTHING;
		}
		try {
			ReplicaCompaction.Result result = ReplicaCompaction.compact(this.storage, this.staging, LEVELS, now);
			this.lastCompaction = now;
			this.objectsAtCompaction = objects + result.merged();
			return new WalReplicator.Shipped(0, result.merged(), 0);
		}
		catch (IOException ex) {
			logger.warn("Compaction of the replication of " + this.replicator.database() + " failed: "
					+ ex.getMessage());
			return WalReplicator.Shipped.NOTHING;
		}
	}

	private void prune(Instant now) {
		try {
			List<String> deleted = ReplicaRetention.prune(this.storage, now.minus(this.settings.retention()));
			if (!deleted.isEmpty()) {
				logger.info("Replication retention deleted " + deleted.size() + " objects of "
						+ this.replicator.database() + " older than " + this.settings.retention());
			}
		}
		catch (IOException ex) {
			logger.warn("Replication retention of " + this.replicator.database() + " failed: " + ex.getMessage());
		}
	}

	private void record(WalReplicator.Shipped shipped, @Nullable String error) {
		Status previous = this.status;
		Instant now = this.clock.instant();
		this.status = new Status(this.replicator.generation(), this.replicator.transaction(),
				previous.objects() + shipped.objects(), previous.bytes() + shipped.bytes(), this.queued,
				(error == null) ? now : previous.lastSuccess(), error);
	}

	/**
	 * Ship what was committed until now, stop syncing and close the replicator's
	 * connections.
	 */
	@Override
	public void close() {
		try {
			this.thread.execute(this::runOnce);
		}
		catch (RejectedExecutionException ex) {
			// closed already
		}
		this.thread.shutdown();
		try {
			if (!this.thread.awaitTermination(1, TimeUnit.MINUTES)) {
				logger.warn("Replication of " + this.replicator.database() + " did not stop within a minute");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.replicator.close();
	}

	/**
	 * Intervals and retention.
	 *
	 * @param syncInterval how often committed transactions are shipped
	 * @param snapshotInterval how often a snapshot is stored (when something changed)
	 * @param retention how far back a point-in-time restore can go
	 */
	public record Settings(Duration syncInterval, Duration snapshotInterval, Duration retention) {
	}

	/**
	 * The state of a database's replication.
	 *
	 * @param generation the current generation, or {@code null} before it started
	 * @param transaction the last transaction stored
	 * @param objects objects written to the storage so far
	 * @param bytes bytes written to the storage so far
	 * @param queued bytes waiting in the replica directory for the remote storage (at most
	 * {@code local-max-size}; always 0 without a remote storage)
	 * @param lastSuccess when the last sync succeeded, or {@code null} if none did
	 * @param error the last sync's failure, or {@code null} if it succeeded
	 */
	public record Status(@Nullable String generation, long transaction, long objects, long bytes, long queued,
			@Nullable Instant lastSuccess, @Nullable String error) {
	}

}
