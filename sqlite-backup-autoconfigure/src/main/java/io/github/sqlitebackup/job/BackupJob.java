package io.github.sqlitebackup.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import io.github.sqlitebackup.BackupCancelledException;
import io.github.sqlitebackup.DatabaseInfo;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupCatalog.DeleteOutcome;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.catalog.RetentionPolicy;
import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.job.BackupRunOutcome.Cause;
import io.github.sqlitebackup.job.BackupRunOutcome.Status;

/**
 * The backup job of one database: makes verified backups into its {@link BackupCatalog},
 * applies retention, restores, and runs one backup or restore at a time whatever triggers
 * it (a trigger that arrives meanwhile is turned away with a reason, logged and counted).
 * <p>
 * Runs never throw: what happened is in the returned outcome, in {@link #status()} and in
 * the {@link BackupEvent events}, which are published after the run has ended, so a
 * listener that fails or takes long changes neither the outcome nor the next run.
 */
public class BackupJob {

	private static final Log logger = LogFactory.getLog(BackupJob.class);

	/** Free bytes below which an I/O error counts as a full disk. */
	private static final long NEARLY_FULL = 1024 * 1024;

	private final SqliteBackupTemplate template;

	private final DatabaseInfo database;

	private final BackupCatalog catalog;

	private final Path stagingDirectory;

	private final Settings settings;

	private final Clock clock;

	private final BackupMaker maker;

	private final Restorer restorer;

	private final RunGate gate = new RunGate();

	private final JobHistory history = new JobHistory();

	private final JobEvents events;

	private final ClockWatch clockWatch;

	private volatile boolean stopped;

	/**
	 * Create a job.
	 * @param template the template that makes the backups
	 * @param database the template's database
	 * @param catalog the database's catalog
	 * @param stagingDirectory where copies are made before publication, on the same file
	 * system as a local catalog
	 * @param settings how backups are kept
	 * @param events where events are published
	 * @param clock the clock for names and retention
	 */
	public BackupJob(SqliteBackupTemplate template, DatabaseInfo database, BackupCatalog catalog,
			Path stagingDirectory, Settings settings, ApplicationEventPublisher events, Clock clock) {
		this.template = template;
		this.database = database;
		this.catalog = catalog;
		this.stagingDirectory = stagingDirectory;
		this.settings = settings;
		this.clock = clock;
		this.maker = new BackupMaker(template, database, catalog, stagingDirectory, clock);
		this.restorer = new Restorer(template, catalog);
		this.events = new JobEvents(events);
		this.clockWatch = new ClockWatch(clock, System::nanoTime);
	}

	/**
	 * Remove what crashed runs of this database left behind (staging files, manifests
	 * without a backup, a restore's staging copy) and read the catalog. Meant for start-up;
	 * failures are logged.
	 */
	public void removeLeftovers() {
		for (Path file : StagingFile.removeLeftovers(this.stagingDirectory, this.maker::isOwnStagingFile)) {
			logger.warn("Removed " + file + ", left behind by an interrupted backup");
		}
		try {
			this.template.removeInterruptedRestores();
			this.catalog.open();
		}
		catch (SqliteBackupException ex) {
			logger.warn("Could not look for files left by interrupted runs: " + ex.getMessage());
		}
	}

	/**
	 * Run the job now, on the calling thread, unless a run is already in progress.
	 * @param trigger what started this run
	 * @return what the run did; failures are reported here, not thrown
	 */
	public BackupRunOutcome run(BackupTrigger trigger) {
		if (this.stopped && trigger != BackupTrigger.SHUTDOWN) {
			return finish(skipped(trigger, Cause.SHUTTING_DOWN, "the application is shutting down"), null);
		}
		RunState state = new RunState(trigger, this.clock.instant());
		String busy = this.gate.enter(state);
		if (busy != null) {
			return finish(skipped(trigger, Cause.ALREADY_RUNNING, busy), null);
		}
		Completion completion;
		try {
			this.events.publish(new BackupStartedEvent(this, trigger));
			completion = backUp(state);
			this.history.record(completion.outcome);
		}
		finally {
			this.gate.leave();
		}
		return publish(completion);
	}

	/**
	 * Restore a backup into the live database, on the calling thread, unless a backup or
	 * restore is in progress. The restore copies the backup to a private staging file and
	 * checks that copy against the manifest; unless forced, it refuses a backup of another
	 * database or of another schema version; it makes a safety backup of the current state
	 * while it holds the live database's write lock (so that it holds every commit before
	 * the restore), and only then replaces the live database.
	 * @param name the backup's name
	 * @param force whether to restore a backup of another database or schema version
	 * @return what happened; failures are reported here, not thrown
	 */
	public RestoreOutcome restore(String name, boolean force) {
		Optional<BackupManifest> backup = this.catalog.find(name).or(() -> this.catalog.findInStorage(name));
		if (backup.isEmpty()) {
			return finish(restoreOutcome(RestoreOutcome.Status.NOT_FOUND, name, null, null, "no backup named " + name));
		}
		RunState state = new RunState(BackupTrigger.RESTORE, this.clock.instant());
		String busy = this.gate.enter(state);
		if (busy != null) {
			return finish(restoreOutcome(RestoreOutcome.Status.BUSY, name, null, null, busy));
		}
		List<Completion> safetyRuns = new ArrayList<>();
		RestoreOutcome outcome;
		try {
			Restorer.Restored restored = this.restorer.restore(backup.get(), force, state,
					() -> safetyBackup(state, safetyRuns));
			prune(Set.of(name, String.valueOf(restored.safetyBackup())));
			outcome = restoreOutcome(RestoreOutcome.Status.RESTORED, name, restored.safetyBackup(), restored.result(),
					null);
		}
		catch (Restorer.Failed ex) {
			outcome = restoreOutcome(ex.refused() ? RestoreOutcome.Status.REFUSED : RestoreOutcome.Status.FAILED, name,
					ex.safetyBackup(), null, ex.getMessage());
			logger.error("Restore of backup " + name + " " + (ex.refused() ? "refused" : "failed") + ": "
					+ ex.getMessage());
		}
		catch (IOException | SqliteBackupException ex) {
			outcome = restoreOutcome(RestoreOutcome.Status.FAILED, name, null, null, "Backup " + name
					+ " cannot be read: " + ex.getMessage() + ". The live database was not changed.");
			logger.error("Restore of backup " + name + " failed: " + outcome.reason());
		}
		finally {
			this.gate.leave();
		}
		safetyRuns.forEach(this::publish);
		return finish(outcome);
	}

	private String safetyBackup(RunState state, List<Completion> runs) {
		Completion completion = backUp(state);
		this.history.record(completion.outcome);
		runs.add(completion);
		BackupManifest backup = completion.outcome.backup();
		if (backup == null) {
			throw new SqliteBackupException("The safety backup before the restore failed ("
					+ completion.outcome.reason() + "); the live database was not changed.");
		}
		return backup.name();
	}

	/**
	 * Return the job's current state.
	 * @return the status
	 */
	public BackupJobStatus status() {
		return this.history.snapshot(this.gate.current(), this.gate.turnedAway(), this.clockWatch.hasStepped());
	}

	/**
	 * Return the database's backups, newest first.
	 * @return the backups
	 */
	public List<BackupManifest> backups() {
		return this.catalog.entries();
	}

	/**
	 * Find one of the database's backups by name.
	 * @param name the backup's name
	 * @return the backup, or empty if the catalog lists none of that name
	 */
	public Optional<BackupManifest> backup(String name) {
		return this.catalog.find(name);
	}

	/**
	 * Open a backup for reading, if it is still the object its manifest describes.
	 * @param backup a backup of the catalog
	 * @return its content, to be closed by the caller
	 * @throws IOException if it is gone, changed or unreadable
	 */
	public InputStream open(BackupManifest backup) throws IOException {
		return this.catalog.open(backup);
	}

	/**
	 * Return the id of the database this job backs up: the prefix of its backups' names.
	 * @return the database id
	 */
	public String databaseId() {
		return this.catalog.identity().id();
	}

	/**
	 * Return the database this job backs up.
	 * @return the database
	 */
	public DatabaseInfo database() {
		return this.database;
	}

	/**
	 * Delete a backup and its manifest, unless it is the only verified backup.
	 * @param name the backup's name
	 * @return what happened
	 */
	public DeleteOutcome delete(String name) {
		DeleteOutcome outcome = this.catalog.delete(name);
		if (outcome == DeleteOutcome.DELETED) {
			logger.info("Deleted backup " + name + " on request");
		}
		return outcome;
	}

	/**
	 * Stop accepting runs other than {@link BackupTrigger#SHUTDOWN}, wait for a running
	 * backup to finish, and cancel it if it takes longer than the timeout.
	 * @param timeout how long a running backup may take to finish
	 * @return {@code true} if no backup is running any more
	 */
	public boolean stop(Duration timeout) {
		this.stopped = true;
		RunState state = this.gate.current();
		if (state != null) {
			logger.info("Shutdown waits up to " + timeout.toMillis() + " ms for the backup started " + state.started()
					+ " by " + state.trigger() + " (sqlite.backup.shutdown.timeout)");
		}
		if (this.gate.awaitIdle(timeout)) {
			return true;
		}
		state = this.gate.current();
		if (state != null) {
			logger.warn("Backup started " + state.started() + " did not finish within " + timeout.toMillis()
					+ " ms of shutdown; cancelling it. Nothing will be published.");
			state.cancellation().cancel();
		}
		return this.gate.awaitIdle(SqliteBackupTemplate.CLOSE_TIMEOUT);
	}

	private Completion backUp(RunState state) {
		BackupTrigger trigger = state.trigger();
		long start = System.nanoTime();
		warnIfStepped(this.clockWatch.step());
		try {
			if (this.settings.skipIfUnchanged() && trigger != BackupTrigger.RESTORE) {
				Optional<BackupManifest> unchangedSince = this.maker.unchangedSince();
				if (unchangedSince.isPresent()) {
					return new Completion(skipped(trigger, Cause.UNCHANGED,
							"the database has not changed since backup " + unchangedSince.get().name()), null, null);
				}
			}
			BackupMaker.Made made = this.maker.make(trigger, state);
			if (trigger != BackupTrigger.RESTORE) {
				prune(Set.of(made.manifest().name()));
			}
			return new Completion(new BackupRunOutcome(Status.SUCCEEDED, trigger, this.clock.instant(),
					Duration.ofNanos(System.nanoTime() - start), made.manifest(), null, null), made, null);
		}
		catch (SqliteBackupException | IOException ex) {
			if (ex instanceof BackupCancelledException) {
				logger.warn("Backup (" + trigger + ") cancelled: " + ex.getMessage());
			}
			else {
				logger.error("Backup (" + trigger + ") failed: " + ex.getMessage(), ex);
			}
			BackupRunOutcome outcome = new BackupRunOutcome(Status.FAILED, trigger, this.clock.instant(),
					Duration.ofNanos(System.nanoTime() - start), null, causeOf(ex), String.valueOf(ex.getMessage()));
			return new Completion(outcome, null, ex);
		}
	}

	private static void warnIfStepped(@Nullable Duration step) {
		if (step != null) {
			logger.warn("The system clock stepped by " + step + " since the previous backup; backups are ordered by "
					+ "their sequence numbers, and retention's max-age rule is suspended until the application restarts.");
		}
	}

	/**
	 * The cause of a failure; an I/O error while the staging directory's file system is
	 * (nearly) full is taken for what it almost certainly is.
	 */
	private Cause causeOf(Exception failure) {
		Cause cause = Cause.of(failure);
		if (cause == Cause.ERROR && failure instanceof IOException) {
			try {
				if (Files.getFileStore(this.stagingDirectory).getUsableSpace() < NEARLY_FULL) {
					return Cause.DISK_FULL;
				}
			}
			catch (IOException ex) {
				// the cause stays ERROR
			}
		}
		return cause;
	}

	private void prune(Set<String> protectedNames) {
		// the clock may have stepped while this run copied: look again before ages count
		warnIfStepped(this.clockWatch.step());
		RetentionPolicy policy = this.settings.retention();
		try {
			for (BackupManifest backup : this.catalog.prune(policy, this.clock.instant(), !this.clockWatch.hasStepped(),
					protectedNames)) {
				logger.info("Retention deleted backup " + backup.name() + " (sequence " + backup.sequence() + ", created "
						+ backup.created() + "; keep-last " + policy.keepLast() + ", keep-safety " + policy.keepSafety()
						+ ", max-age " + policy.maxAge() + ")");
			}
		}
		catch (SqliteBackupException ex) {
			logger.warn("Retention could not run: " + ex.getMessage());
		}
	}

	private BackupRunOutcome skipped(BackupTrigger trigger, Cause cause, String reason) {
		logger.info("Backup (" + trigger + ") skipped: " + reason);
		return new BackupRunOutcome(Status.SKIPPED, trigger, this.clock.instant(), Duration.ZERO, null, cause, reason);
	}

	private BackupRunOutcome finish(BackupRunOutcome outcome, @Nullable Exception failure) {
		this.history.record(outcome);
		return publish(new Completion(outcome, null, failure));
	}

	private BackupRunOutcome publish(Completion completion) {
		BackupRunOutcome outcome = completion.outcome;
		switch (outcome.status()) {
			case SUCCEEDED -> this.events.publish(new BackupSucceededEvent(this, outcome, completion.made.result()));
			case FAILED -> this.events.publish(new BackupFailedEvent(this, outcome, completion.failure));
			case SKIPPED -> this.events.publish(new BackupSkippedEvent(this, outcome));
		}
		return outcome;
	}

	private RestoreOutcome finish(RestoreOutcome outcome) {
		this.history.record(outcome);
		this.events.publish(new RestoreFinishedEvent(this, outcome));
		return outcome;
	}

	private RestoreOutcome restoreOutcome(RestoreOutcome.Status status, String name, @Nullable String safetyBackup,
			io.github.sqlitebackup.@Nullable RestoreResult result, @Nullable String reason) {
		return new RestoreOutcome(status, name, safetyBackup, result, reason, this.clock.instant());
	}

	/**
	 * How the job keeps backups.
	 *
	 * @param skipIfUnchanged whether to skip a run when the database has not changed since
	 * the newest verified backup
	 * @param retention which backups to delete after each successful run
	 */
	public record Settings(boolean skipIfUnchanged, RetentionPolicy retention) {

	}

	private record Completion(BackupRunOutcome outcome, BackupMaker.@Nullable Made made, @Nullable Exception failure) {
	}

}
