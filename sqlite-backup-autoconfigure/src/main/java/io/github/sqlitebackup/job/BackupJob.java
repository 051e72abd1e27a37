package io.github.sqlitebackup.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import io.github.sqlitebackup.BackupCancellation;
import io.github.sqlitebackup.BackupCancelledException;
import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupProgress;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.RestoreResult;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.engine.Restore;
import io.github.sqlitebackup.engine.SourceDatabase;
import io.github.sqlitebackup.job.BackupRunOutcome.Status;

/**
 * The backup job of the application's database: makes verified backups into the
 * {@link BackupCatalog} with a manifest each, applies retention, publishes
 * {@link BackupEvent events}, and runs one backup at a time whatever triggers it: a
 * trigger that arrives while a run is in progress is skipped with a reason, logged and
 * counted.
 * <p>
 * Runs use the template's default options (so {@code sqlite.backup.*} applies) and the
 * template's verification before publication.
 */
public class BackupJob {

	private static final Log logger = LogFactory.getLog(BackupJob.class);

	private final SqliteBackupTemplate template;

	private final DataSource dataSource;

	private final BackupCatalog catalog;

	private final Settings settings;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final AtomicReference<@Nullable RunState> running = new AtomicReference<>();

	private final AtomicLong overlapsRejected = new AtomicLong();

	private final Object idle = new Object();

	private volatile @Nullable BackupRunOutcome lastSuccess;

	private volatile @Nullable BackupRunOutcome lastFailure;

	private volatile @Nullable BackupRunOutcome lastScheduledRun;

	private volatile @Nullable Database database;

	private volatile boolean stopped;

	/**
	 * Create a job.
	 * @param template the template that makes the backups
	 * @param dataSource the template's DataSource, to locate the database file
	 * @param catalog the opened catalog
	 * @param settings how backups are named and kept
	 * @param events where events are published
	 * @param clock the clock for names and retention
	 */
	public BackupJob(SqliteBackupTemplate template, DataSource dataSource, BackupCatalog catalog, Settings settings,
			ApplicationEventPublisher events, Clock clock) {
		this.template = template;
		this.dataSource = dataSource;
		this.catalog = catalog;
		this.settings = settings;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Run the job now, on the calling thread, unless a run is already in progress.
	 * @param trigger what started this run
	 * @return what the run did; failures are reported here, not thrown
	 */
	public BackupRunOutcome run(BackupTrigger trigger) {
		if (this.stopped && trigger != BackupTrigger.SHUTDOWN) {
			return skipped(trigger, "the application is shutting down");
		}
		RunState state = new RunState(trigger, this.clock.instant());
		String busy = enter(state);
		if (busy != null) {
			return skipped(trigger, busy);
		}
		try {
			BackupRunOutcome outcome = runExclusively(state, true);
			if (trigger == BackupTrigger.SCHEDULE) {
				this.lastScheduledRun = outcome;
			}
			return outcome;
		}
		finally {
			leave();
		}
	}

	/**
	 * Restore a backup of the catalog into the live database, on the calling thread, unless
	 * a backup or restore is in progress. The backup's SHA-256 is checked against its
	 * manifest, a safety backup of the current state is made (and listed in the catalog),
	 * and only then is the live database replaced; the restore itself checks the backup
	 * with {@code PRAGMA quick_check} first and changes nothing if anything fails.
	 * @param name the backup's file name
	 * @return what happened; failures are reported here, not thrown
	 */
	public RestoreOutcome restore(String name) {
		Optional<BackupManifest> backup = this.catalog.find(name);
		if (backup.isEmpty()) {
			return restoreOutcome(RestoreOutcome.Status.NOT_FOUND, name, null, null, "no backup named " + name);
		}
		RunState state = new RunState(BackupTrigger.RESTORE, this.clock.instant());
		String busy = enter(state);
		if (busy != null) {
			return restoreOutcome(RestoreOutcome.Status.BUSY, name, null, null, busy);
		}
		try {
			Path file = this.catalog.fileOf(backup.get());
			String checksum = Sha256.of(file);
			if (!checksum.equals(backup.get().sha256())) {
				return restoreOutcome(RestoreOutcome.Status.FAILED, name, null, null, "backup " + name
						+ " does not match its manifest (SHA-256 " + checksum + ", expected " + backup.get().sha256()
						+ "): it was changed or damaged after it was made. The live database was not changed.");
			}
			BackupRunOutcome safety = runExclusively(state, false);
			String safetyName = (safety.backup() != null) ? safety.backup().name() : null;
			if (safety.status() == Status.FAILED) {
				return restoreOutcome(RestoreOutcome.Status.FAILED, name, null, null,
						"the safety backup before the restore failed (" + safety.reason()
								+ "); the live database was not changed.");
			}
			RestoreResult result = this.template.restore(file, this.template.getDefaultOptions()
				.withProgress(state::progress)
				.withCancellation(state.cancellation));
			logger.info("Restored backup " + name + " into " + result.database() + "; the previous state is in "
					+ ((safetyName != null) ? "backup " + safetyName : "the newest backup (unchanged since)"));
			return restoreOutcome(RestoreOutcome.Status.RESTORED, name, safetyName, result, null);
		}
		catch (SqliteBackupException | IOException ex) {
			logger.error("Restore of backup " + name + " failed: " + ex.getMessage(), ex);
			return restoreOutcome(RestoreOutcome.Status.FAILED, name, null, null, ex.getMessage());
		}
		finally {
			leave();
		}
	}

	private RestoreOutcome restoreOutcome(RestoreOutcome.Status status, String name, @Nullable String safetyBackup,
			@Nullable RestoreResult result, @Nullable String reason) {
		return new RestoreOutcome(status, name, safetyBackup, result, reason, this.clock.instant());
	}

	private @Nullable String enter(RunState state) {
		if (this.running.compareAndSet(null, state)) {
			return null;
		}
		this.overlapsRejected.incrementAndGet();
		RunState other = this.running.get();
		return "a backup is already running"
				+ ((other != null) ? " (started " + other.started + " by " + other.trigger + ")" : "");
	}

	private void leave() {
		this.running.set(null);
		synchronized (this.idle) {
			this.idle.notifyAll();
		}
	}

	/**
	 * Remove the staging copy that a restore killed before it ended left beside the live
	 * database. Meant for start-up; a failure is logged, not thrown.
	 */
	public void removeInterruptedRestores() {
		try {
			Path file = database().file;
			if (file != null) {
				Restore.removeLeftovers(file);
			}
		}
		catch (SqliteBackupException ex) {
			logger.warn("Could not look for files left by an interrupted restore: " + ex.getMessage());
		}
	}

	/**
	 * Return the job's current state.
	 * @return the status
	 */
	public BackupJobStatus status() {
		RunState state = this.running.get();
		BackupJobStatus.Running current = (state != null)
				? new BackupJobStatus.Running(state.trigger, state.started, state.progress) : null;
		return new BackupJobStatus(current, this.lastSuccess, this.lastFailure, this.lastScheduledRun,
				this.overlapsRejected.get());
	}

	/**
	 * Return the catalog of backups, newest first.
	 * @return the backups
	 */
	public List<BackupManifest> backups() {
		return this.catalog.entries();
	}

	/**
	 * Find a backup by name.
	 * @param name the backup's file name
	 * @return the backup, or empty if the catalog lists no backup of that name
	 */
	public Optional<BackupManifest> backup(String name) {
		return this.catalog.find(name);
	}

	/**
	 * Return the directory of the catalog.
	 * @return the absolute directory
	 */
	public Path directory() {
		return this.catalog.directory();
	}

	/**
	 * Return the file of a backup in the catalog.
	 * @param backup the backup
	 * @return its path
	 */
	public Path fileOf(BackupManifest backup) {
		return this.catalog.fileOf(backup);
	}

	/**
	 * Delete a backup and its manifest, unless it is the only verified backup: the newest
	 * verified backup can be deleted only while another verified backup exists.
	 * @param name the backup's file name
	 * @return what happened
	 */
	public DeleteOutcome delete(String name) {
		Optional<BackupManifest> backup = this.catalog.find(name);
		if (backup.isEmpty()) {
			return DeleteOutcome.NOT_FOUND;
		}
		List<BackupManifest> verified = this.catalog.entries().stream().filter(BackupManifest::verified).toList();
		if (verified.size() == 1 && verified.get(0).equals(backup.get())) {
			return DeleteOutcome.REFUSED_ONLY_VERIFIED;
		}
		if (!this.catalog.delete(name)) {
			return DeleteOutcome.NOT_FOUND;
		}
		logger.info("Deleted backup " + name + " on request");
		return DeleteOutcome.DELETED;
	}

	/**
	 * What {@link BackupJob#delete(String)} did.
	 */
	public enum DeleteOutcome {

		/** The backup and its manifest are deleted. */
		DELETED,

		/** The catalog lists no backup of that name; nothing was deleted. */
		NOT_FOUND,

		/** It is the only verified backup; nothing was deleted. */
		REFUSED_ONLY_VERIFIED

	}

	/**
	 * Stop accepting runs other than {@link BackupTrigger#SHUTDOWN}, wait for a running
	 * backup to finish, and cancel it if it takes longer than the timeout.
	 * @param timeout how long a running backup may take to finish
	 * @return {@code true} if no backup is running any more
	 */
	public boolean stop(Duration timeout) {
		this.stopped = true;
		if (awaitIdle(timeout)) {
			return true;
		}
		RunState state = this.running.get();
		if (state != null) {
			logger.warn("Backup started " + state.started + " did not finish within " + timeout.toMillis()
					+ " ms of shutdown; cancelling it. Nothing will be published.");
			state.cancellation.cancel();
		}
		return awaitIdle(SqliteBackupTemplate.CLOSE_TIMEOUT);
	}

	private boolean awaitIdle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.idle) {
			while (this.running.get() != null) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					this.idle.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return true;
	}

	private BackupRunOutcome runExclusively(RunState state, boolean applyRetention) {
		this.events.publishEvent(new BackupStartedEvent(this, state.trigger));
		String name = null;
		try {
			Database database = database();
			String signature = (database.file != null && this.settings.skipIfUnchanged())
					? ChangeSignature.of(database.file) : null;
			Optional<BackupManifest> unchangedSince = unchangedSince(database, signature);
			if (unchangedSince.isPresent()) {
				return skipped(state.trigger, "the database has not changed since backup " + unchangedSince.get().name());
			}
			Instant created = uniqueCreationTime(database.names);
			name = database.names.nameFor(created);
			BackupManifest[] manifest = new BackupManifest[1];
			String backupName = name;
			BackupOptions options = this.template.getDefaultOptions()
				.withProgress(state::progress)
				.withCancellation(state.cancellation)
				.withBeforePublish((copy, result) -> {
					manifest[0] = BackupManifest.of(backupName, created, database.source, result, Sha256.of(copy),
							signature);
					this.catalog.writeManifest(manifest[0]);
				});
			BackupResult result = this.template.backup(this.catalog.fileFor(name), options);
			this.catalog.added(manifest[0]);
			if (applyRetention) {
				applyRetention();
			}
			BackupRunOutcome outcome = new BackupRunOutcome(Status.SUCCEEDED, state.trigger, this.clock.instant(),
					manifest[0], null);
			this.lastSuccess = outcome;
			this.events.publishEvent(new BackupSucceededEvent(this, state.trigger, manifest[0], result));
			return outcome;
		}
		catch (SqliteBackupException | IOException ex) {
			if (name != null) {
				removeUnpublishedManifest(name);
			}
			if (ex instanceof BackupCancelledException) {
				logger.warn("Backup (" + state.trigger + ") cancelled: " + ex.getMessage());
			}
			else {
				logger.error("Backup (" + state.trigger + ") failed: " + ex.getMessage(), ex);
			}
			BackupRunOutcome outcome = new BackupRunOutcome(Status.FAILED, state.trigger, this.clock.instant(), null,
					ex.getMessage());
			this.lastFailure = outcome;
			this.events.publishEvent(new BackupFailedEvent(this, state.trigger, ex));
			return outcome;
		}
	}

	private Optional<BackupManifest> unchangedSince(Database database, @Nullable String signature) {
		if (signature == null) {
			return Optional.empty();
		}
		return this.catalog.entries()
			.stream()
			.filter(BackupManifest::verified)
			.findFirst()
			.filter((newest) -> newest.source().equals(database.source) && signature.equals(newest.changeSignature()));
	}

	private Instant uniqueCreationTime(BackupNames names) {
		Instant created = this.clock.instant();
		while (Files.exists(this.catalog.fileFor(names.nameFor(created)))) {
			created = created.plusMillis(1);
		}
		return created;
	}

	private void applyRetention() {
		List<BackupManifest> expired = this.settings.retention().toDelete(this.catalog.entries(), this.clock.instant());
		for (BackupManifest backup : expired) {
			try {
				logger.debug("Backup stage retention: deleting backup " + backup.name());
				this.catalog.delete(backup.name());
				logger.info("Retention deleted backup " + backup.name() + " (created " + backup.created() + "; keep-last "
						+ this.settings.retention().keepLast() + ", max-age " + this.settings.retention().maxAge() + ")");
			}
			catch (SqliteBackupException ex) {
				logger.warn("Retention could not delete backup " + backup.name() + ": " + ex.getMessage());
			}
		}
	}

	private void removeUnpublishedManifest(String name) {
		try {
			if (!Files.exists(this.catalog.fileFor(name))) {
				Files.deleteIfExists(this.catalog.directory().resolve(BackupNames.manifestName(name)));
			}
		}
		catch (IOException ex) {
			logger.warn("Could not remove the manifest of unpublished backup " + name + "; it is removed at the "
					+ "next start: " + ex);
		}
	}

	private BackupRunOutcome skipped(BackupTrigger trigger, String reason) {
		logger.info("Backup (" + trigger + ") skipped: " + reason);
		this.events.publishEvent(new BackupSkippedEvent(this, trigger, reason));
		return new BackupRunOutcome(Status.SKIPPED, trigger, this.clock.instant(), null, reason);
	}

	private Database database() {
		Database resolved = this.database;
		if (resolved == null) {
			try (SourceDatabase source = SourceDatabase.open(this.dataSource, this.template.getDefaultOptions().schema())) {
				Path file = source.file();
				String prefix = (this.settings.namePrefix() != null) ? this.settings.namePrefix()
						: (file != null) ? BackupNames.defaultPrefix(file) : "sqlite";
				resolved = new Database(file, source.describe(), new BackupNames(prefix));
				this.database = resolved;
			}
		}
		return resolved;
	}

	/**
	 * How the job names and keeps backups.
	 *
	 * @param namePrefix the prefix of backup names, or {@code null} for the database
	 * file's name
	 * @param skipIfUnchanged whether to skip a run when the database has not changed since
	 * the newest verified backup
	 * @param retention which backups to delete after each successful run
	 */
	public record Settings(@Nullable String namePrefix, boolean skipIfUnchanged, RetentionPolicy retention) {

	}

	private record Database(@Nullable Path file, String source, BackupNames names) {
	}

	private static final class RunState {

		private final BackupTrigger trigger;

		private final Instant started;

		private final BackupCancellation cancellation = new BackupCancellation();

		private volatile @Nullable BackupProgress progress;

		RunState(BackupTrigger trigger, Instant started) {
			this.trigger = trigger;
			this.started = started;
		}

		void progress(BackupProgress progress) {
			this.progress = progress;
		}

	}

}
