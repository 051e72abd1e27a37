package io.github.sqlitebackup.offsite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupCatalog.DeleteOutcome;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.RetentionPolicy;
import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.ObjectExistsException;

/**
 * The off-site copies of one database's backups: an upload queue from the local catalog
 * to a remote one, on its own thread.
 * <ul>
 * <li>Each verified backup is encoded (compressed, optionally encrypted) to a staging file
 * beside the local backups, checked against its manifest while it is read, and published
 * in the remote catalog, object first and manifest last.</li>
 * <li>A failed upload leaves the backup local and pending; the queue tries again after a
 * backoff that doubles up to a limit, and at start-up every local backup missing remotely
 * is pending again, so an outage of hours catches up when it ends.</li>
 * <li>The remote storage is listed once at start-up and after uploads (for retention);
 * nothing is listed or uploaded while no new backup is made.</li>
 * <li>Remote backups get sequence numbers above every remote backup's, so a local
 * directory that lost its backups never makes new backups rank below old ones.</li>
 * </ul>
 */
public final class OffsiteCopies implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(OffsiteCopies.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Comparator<BackupManifest> OLDEST_FIRST = Comparator.comparingLong(BackupManifest::sequence)
		.thenComparing(BackupManifest::created);

	private final BackupCatalog local;

	private final BackupCatalog remote;

	private final StoredForm form;

	private final BackupDecoder decoder;

	private final Settings settings;

	private final Path stagingDirectory;

	private final Clock clock;

	private final UploadListener listener;

	private final ScheduledExecutorService executor;

	private final AtomicBoolean queued = new AtomicBoolean();

	private final Set<String> uploaded = ConcurrentHashMap.newKeySet();

	private final Set<String> notNeeded = ConcurrentHashMap.newKeySet();

	private final Map<String, BackupManifest> pending = new ConcurrentHashMap<>();

	private volatile BooleanSupplier maxAgeApplies = () -> true;

	private volatile Runnable afterUploads = () -> {
	};

	private volatile boolean listed;

	private volatile boolean closed;

	private volatile @Nullable BackupManifest newestRemote;

	private volatile long highestRemoteSequence;

	private volatile @Nullable Instant lastUpload;

	private volatile @Nullable UploadFailure lastFailure;

	private volatile int consecutiveFailures;

	private volatile @Nullable Instant nextAttempt;

	/**
	 * Create the off-site copies of a database's backups.
	 * @param local the local catalog, read from
	 * @param remote the remote catalog, uploaded to
	 * @param form how copies are encoded
	 * @param decoder how copies are read back
	 * @param settings retention and retries
	 * @param stagingDirectory where encoded copies are staged before upload
	 * @param clock the clock for retention and status
	 * @param listener told about every upload attempt
	 */
	public OffsiteCopies(BackupCatalog local, BackupCatalog remote, StoredForm form, BackupDecoder decoder,
			Settings settings, Path stagingDirectory, Clock clock, UploadListener listener) {
		this.local = local;
		this.remote = remote;
		this.form = form;
		this.decoder = decoder;
		this.settings = settings;
		this.stagingDirectory = stagingDirectory;
		this.clock = clock;
		this.listener = listener;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "sqlite-backup-upload-" + local.identity().id());
			thread.setDaemon(true);
			return thread;
		});
		// at shutdown, a retry waiting for its backoff is dropped; pending backups stay local
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.executor = executor;
	}

	/**
	 * Connect the queue to its job: the rule that suspends max-age after a clock step, and
	 * what to run after uploads (local retention, which may now delete uploaded backups).
	 * @param maxAgeApplies whether retention's max-age rule applies now
	 * @param afterUploads run on the upload thread after backups were uploaded
	 */
	public void connect(BooleanSupplier maxAgeApplies, Runnable afterUploads) {
		this.maxAgeApplies = maxAgeApplies;
		this.afterUploads = afterUploads;
	}

	/**
	 * Start: list the remote storage and upload the local backups it lacks, in the
	 * background.
	 */
	public void start() {
		requestDrain(Duration.ZERO);
	}

	/**
	 * Queue a newly published local backup for upload. An upload waiting for its backoff
	 * after failures is not brought forward.
	 * @param backup the backup
	 */
	public void backupPublished(BackupManifest backup) {
		if (!backup.verified()) {
			return;
		}
		this.pending.put(backup.name(), backup);
		requestDrain(Duration.ZERO);
	}

	/**
	 * Confirm, just before local retention deletes a backup, that it may go: a backup not yet
	 * uploaded never goes (unless remote retention does not want it); one that counts as
	 * uploaded is looked up in the remote storage (object and manifest), so a copy
	 * deleted there behind the application's back is never the reason to delete the last
	 * one. A backup found missing is queued for upload again and kept.
	 * @param backup the local backup retention would delete
	 * @return {@code true} if it may be deleted
	 */
	public boolean confirmDeletableLocally(BackupManifest backup) {
		String name = backup.name();
		if (!this.uploaded.contains(name)) {
			return this.notNeeded.contains(name);
		}
		try {
			BackupStorage storage = this.remote.storage();
			if (storage.stat(name).isPresent() && storage.stat(BackupNames.manifestName(name)).isPresent()) {
				return true;
			}
		}
		catch (IOException ex) {
			logger.warn("Keeping backup " + name + " locally: cannot check its off-site copy (" + ex.getMessage() + ")");
			return false;
		}
		logger.warn("The off-site copy of backup " + name + " is gone from " + this.remote.storage().description()
				+ "; keeping it locally and uploading it again");
		forget(name);
		this.notNeeded.remove(name);
		if (backup.verified()) {
			this.pending.put(name, backup);
			requestDrain(Duration.ZERO);
		}
		return false;
	}

	/**
	 * Return whether a backup is known to be in the remote storage.
	 * @param name the backup's name
	 * @return {@code true} if it was listed there or uploaded
	 */
	public boolean isUploaded(String name) {
		return this.uploaded.contains(name);
	}

	/**
	 * Return the newest verified backup known to be in the remote storage, without listing it.
	 * @return that backup, or empty
	 */
	public Optional<BackupManifest> newestKnown() {
		return Optional.ofNullable(this.newestRemote);
	}

	/**
	 * Return the highest sequence number known in the remote storage, without listing it.
	 * @return the sequence number, 0 if none is known
	 */
	public long highestKnownSequence() {
		return this.highestRemoteSequence;
	}

	/**
	 * Return the state of the queue, without asking the remote storage.
	 * @return the status
	 */
	public OffsiteStatus status() {
		Instant oldestPending = this.pending.values().stream().map(BackupManifest::created).min(Instant::compareTo)
			.orElse(null);
		return new OffsiteStatus(this.remote.storage().description(), this.listed, this.newestRemote,
				this.pending.size(), oldestPending, this.lastUpload, this.lastFailure, this.consecutiveFailures,
				this.nextAttempt);
	}

	/**
	 * List the database's backups in the remote storage.
	 * @return the backups, newest first
	 * @throws SqliteBackupException if the storage cannot be listed
	 */
	public List<BackupManifest> backups() {
		return this.remote.entries();
	}

	/**
	 * Find one of the database's backups in the remote storage.
	 * @param name the backup's name
	 * @return the backup, or empty
	 * @throws SqliteBackupException if the storage cannot be listed
	 */
	public Optional<BackupManifest> find(String name) {
		return this.remote.find(name);
	}

	/**
	 * Check that a remote backup can be read as configured.
	 * @param backup the backup
	 * @throws BackupNotReadableException if it cannot, e.g. encrypted without an identity
	 */
	public void checkReadable(BackupManifest backup) {
		this.decoder.checkReadable(backup);
	}

	/**
	 * Open a remote backup as the plain SQLite file: decrypted and decompressed on the fly,
	 * stored and plain checksums checked when the stream ends.
	 * @param backup a remote backup
	 * @return its plain content, to be closed by the caller
	 * @throws BackupNotReadableException if it cannot be read as configured
	 * @throws IOException if it is gone, changed or unreadable
	 */
	public InputStream open(BackupManifest backup) throws IOException {
		this.decoder.checkReadable(backup);
		InputStream stored = this.remote.open(backup);
		try {
			return this.decoder.decode(backup, stored);
		}
		catch (IOException | RuntimeException ex) {
			stored.close();
			throw ex;
		}
	}

	/**
	 * Delete a remote backup, unless it is the only verified one there.
	 * @param name the backup's name
	 * @return what happened
	 */
	public DeleteOutcome delete(String name) {
		DeleteOutcome outcome = this.remote.delete(name);
		if (outcome == DeleteOutcome.DELETED) {
			forget(name);
		}
		return outcome;
	}

	/**
	 * Stop: pending uploads may go on until the timeout (so that a backup taken at shutdown
	 * can still leave the machine); then an upload in progress is abandoned (nothing partial
	 * becomes visible) and tried again at the next start.
	 * @param timeout how long pending uploads may take
	 */
	public void stop(Duration timeout) {
		requestDrain(Duration.ZERO);
		this.executor.shutdown();
		try {
			if (!this.executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn(this.pending.size() + " backups are not uploaded to " + this.remote.storage().description()
						+ " at shutdown; they will be at the next start");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.closed = true;
			this.executor.shutdownNow();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.executor.shutdownNow();
	}

	private void requestDrain(Duration delay) {
		if (!this.closed && this.queued.compareAndSet(false, true)) {
			try {
				this.executor.schedule(this::drain, delay.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				this.queued.set(false);
			}
		}
	}

	private void drain() {
		this.queued.set(false);
		List<String> done = new ArrayList<>();
		try {
			if (!this.listed) {
				list();
			}
			for (BackupManifest backup : this.pending.values().stream().sorted(OLDEST_FIRST).toList()) {
				if (this.closed) {
					return;
				}
				if (this.pending.containsKey(backup.name()) && upload(backup)) {
					done.add(backup.name());
				}
			}
			this.consecutiveFailures = 0;
			this.nextAttempt = null;
		}
		catch (Failure failure) {
			retryLater(failure.failure);
		}
		catch (RuntimeException ex) {
			logger.error("Off-site copies failed unexpectedly", ex);
			retryLater(new UploadFailure(null, UploadFailure.Cause.ERROR, String.valueOf(ex), this.clock.instant(),
					Duration.ZERO));
		}
		finally {
			if (!done.isEmpty() && !this.closed) {
				afterUploads(Set.copyOf(done));
			}
		}
	}

	private void retryLater(UploadFailure failure) {
		int failures = ++this.consecutiveFailures;
		this.lastFailure = failure;
		Duration backoff = backoff(failures);
		this.nextAttempt = this.clock.instant().plus(backoff);
		logger.warn("Off-site copy to " + this.remote.storage().description() + " failed (" + failure.message() + "); "
				+ this.pending.size() + " backups wait, next attempt in " + backoff.toMillis() + " ms");
		this.listener.failed(failure);
		requestDrain(backoff);
	}

	private Duration backoff(int failures) {
		Duration backoff = this.settings.initialBackoff();
		for (int i = 1; i < failures && backoff.compareTo(this.settings.maxBackoff()) < 0; i++) {
			backoff = backoff.multipliedBy(2);
		}
		return (backoff.compareTo(this.settings.maxBackoff()) > 0) ? this.settings.maxBackoff() : backoff;
	}

	private void afterUploads(Set<String> justUploaded) {
		try {
			for (BackupManifest deleted : this.remote.prune(this.settings.retention(), this.clock.instant(),
					this.maxAgeApplies.getAsBoolean(), justUploaded)) {
				forget(deleted.name());
				logger.info("Remote retention deleted backup " + deleted.name() + " from "
						+ this.remote.storage().description());
			}
		}
		catch (SqliteBackupException ex) {
			logger.warn("Remote retention could not run: " + ex.getMessage());
		}
		try {
			this.afterUploads.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Local retention after uploads failed: " + ex.getMessage());
		}
	}

	private void forget(String name) {
		this.uploaded.remove(name);
		this.notNeeded.add(name);
		BackupManifest newest = this.newestRemote;
		if (newest != null && newest.name().equals(name)) {
			this.newestRemote = null;
		}
	}

	/** List the remote storage once: what is there, and which local backups it lacks. */
	private void list() {
		Instant started = this.clock.instant();
		long start = System.nanoTime();
		List<BackupManifest> remoteBackups;
		try {
			remoteBackups = this.remote.open();
		}
		catch (SqliteBackupException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new Failure(new UploadFailure(null, UploadFailure.Cause.of(cause), ex.getMessage(), started,
					Duration.ofNanos(System.nanoTime() - start)));
		}
		remoteBackups.forEach(this::remember);
		List<BackupManifest> missing = new ArrayList<>();
		try {
			for (BackupManifest backup : this.local.entries()) {
				if (backup.verified() && !this.uploaded.contains(backup.name())) {
					missing.add(backup);
				}
			}
		}
		catch (SqliteBackupException ex) {
			logger.warn("Cannot list the local backups to upload: " + ex.getMessage());
		}
		Set<String> unwanted = unwantedRemotely(remoteBackups, missing);
		for (BackupManifest backup : missing) {
			if (unwanted.contains(backup.name())) {
				this.notNeeded.add(backup.name());
			}
			else {
				this.pending.putIfAbsent(backup.name(), backup);
			}
		}
		this.listed = true;
		logger.info("Off-site copies in " + this.remote.storage().description() + ": " + remoteBackups.size()
				+ " backups; " + this.pending.size() + " local backups to upload");
	}

	/** The local backups missing remotely that remote retention would delete at once. */
	private Set<String> unwantedRemotely(List<BackupManifest> remoteBackups, List<BackupManifest> missing) {
		List<BackupManifest> combined = new ArrayList<>(remoteBackups);
		long sequence = this.highestRemoteSequence;
		for (BackupManifest backup : missing.stream().sorted(OLDEST_FIRST).toList()) {
			sequence = Math.max(backup.sequence(), sequence + 1);
			combined.add(backup.storedAs(backup.stored(), sequence));
		}
		combined.sort(OLDEST_FIRST.reversed());
		RetentionPolicy retention = this.settings.retention();
		Set<String> unwanted = ConcurrentHashMap.newKeySet();
		for (BackupManifest backup : retention.toDelete(combined, this.clock.instant(), this.maxAgeApplies.getAsBoolean(),
				Set.of())) {
			unwanted.add(backup.name());
		}
		return unwanted;
	}

	private void remember(BackupManifest remoteBackup) {
		this.uploaded.add(remoteBackup.name());
		this.highestRemoteSequence = Math.max(this.highestRemoteSequence, remoteBackup.sequence());
		BackupManifest newest = this.newestRemote;
		if (remoteBackup.verified() && (newest == null || remoteBackup.sequence() > newest.sequence())) {
			this.newestRemote = remoteBackup;
		}
	}

	/**
	 * Upload one backup.
	 * @return {@code true} if it was uploaded, {@code false} if it is no longer to be
	 * uploaded (deleted locally, or damaged)
	 * @throws Failure if the remote storage failed: to be tried again later
	 */
	private boolean upload(BackupManifest backup) {
		long start = System.nanoTime();
		Instant started = this.clock.instant();
		Path staged = this.stagingDirectory.resolve("." + backup.name() + "."
				+ Long.toUnsignedString(RANDOM.nextLong(), 36) + ".upload" + StagingFile.SUFFIX);
		try {
			BackupManifest.Stored stored;
			try (InputStream in = new VerifyingInputStream(this.local.open(backup), backup.bytes(), backup.sha256(),
					"Local backup " + backup.name())) {
				stored = this.form.encode(in, staged);
			}
			catch (NoSuchFileException ex) {
				this.pending.remove(backup.name());
				logger.info("Backup " + backup.name() + " was deleted locally before it was uploaded");
				return false;
			}
			catch (VerifyingInputStream.MismatchException ex) {
				// the local backup is not what its manifest states: uploading it again will not help
				this.pending.remove(backup.name());
				this.notNeeded.add(backup.name());
				UploadFailure failure = new UploadFailure(backup.name(), UploadFailure.Cause.LOCAL_BACKUP,
						ex.getMessage(), started, Duration.ofNanos(System.nanoTime() - start));
				this.lastFailure = failure;
				logger.error("Backup " + backup.name() + " is not uploaded: " + ex.getMessage());
				this.listener.failed(failure);
				return false;
			}
			catch (IOException ex) {
				throw new Failure(new UploadFailure(backup.name(), UploadFailure.Cause.LOCAL_BACKUP,
						"backup " + backup.name() + " could not be read or encoded locally: " + ex.getMessage(), started,
						Duration.ofNanos(System.nanoTime() - start)));
			}
			long sequence = Math.max(backup.sequence(), this.highestRemoteSequence + 1);
			BackupManifest remoteBackup = publish(backup.storedAs(stored, sequence), staged);
			remember(remoteBackup);
			this.pending.remove(backup.name());
			this.lastUpload = this.clock.instant();
			Upload upload = new Upload(remoteBackup, Duration.ofNanos(System.nanoTime() - start));
			logger.info("Uploaded backup " + backup.name() + " to " + this.remote.storage().description() + " ("
					+ remoteBackup.stored().codec() + ", " + backup.bytes() + " -> " + remoteBackup.stored().bytes()
					+ " bytes, " + upload.duration().toMillis() + " ms)");
			this.listener.uploaded(upload);
			return true;
		}
		catch (IOException | SqliteBackupException ex) {
			Throwable cause = (ex instanceof SqliteBackupException && ex.getCause() != null) ? ex.getCause() : ex;
			throw new Failure(new UploadFailure(backup.name(), UploadFailure.Cause.of(cause),
					"backup " + backup.name() + ": " + ex.getMessage(), started,
					Duration.ofNanos(System.nanoTime() - start)));
		}
		finally {
			try {
				Files.deleteIfExists(staged);
			}
			catch (IOException ex) {
				logger.warn("Could not delete the upload staging file " + staged + ": " + ex);
			}
		}
	}

	/**
	 * Publish in the remote catalog. A name that is taken is either this backup, uploaded
	 * before its upload was recorded (adopted), or the object of an upload that was
	 * interrupted before its manifest was written (replaced: the name is this database's
	 * backup, whose manifest never committed).
	 */
	private BackupManifest publish(BackupManifest remoteBackup, Path staged) throws IOException {
		try {
			this.remote.publish(remoteBackup, staged);
			return remoteBackup;
		}
		catch (ObjectExistsException ex) {
			Optional<BackupManifest> existing = this.remote.find(remoteBackup.name());
			if (existing.isPresent()) {
				if (!existing.get().sha256().equals(remoteBackup.sha256())) {
					throw new IOException("The remote storage has another backup named " + remoteBackup.name()
							+ " (another application with the same database id?); it is not replaced", ex);
				}
				return existing.get();
			}
			logger.warn("Replacing " + remoteBackup.name() + " in " + this.remote.storage().description()
					+ ", left without its manifest by an interrupted upload");
			this.remote.storage().delete(BackupNames.manifestName(remoteBackup.name()));
			this.remote.storage().delete(remoteBackup.name());
			this.remote.publish(remoteBackup, staged);
			return remoteBackup;
		}
	}

	/**
	 * How off-site copies are kept and retried.
	 *
	 * @param retention the remote retention
	 * @param initialBackoff the wait after the first failed attempt; it doubles with each
	 * further failure
	 * @param maxBackoff the longest wait between attempts
	 */
	public record Settings(RetentionPolicy retention, Duration initialBackoff, Duration maxBackoff) {

	}

	/** A failed attempt, to be retried. */
	private static final class Failure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final transient UploadFailure failure;

		Failure(UploadFailure failure) {
			super(failure.message(), null, false, false);
			this.failure = failure;
		}

	}

}
