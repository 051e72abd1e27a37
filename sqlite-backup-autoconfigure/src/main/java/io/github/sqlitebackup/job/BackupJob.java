package io.github.sqlitebackup.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

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
import io.github.sqlitebackup.offsite.BackupNotReadableException;
import io.github.sqlitebackup.offsite.OffsiteCopies;
import io.github.sqlitebackup.offsite.OffsiteStatus;
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

	private final @Nullable OffsiteCopies offsite;

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
		this(template, database, catalog, stagingDirectory, settings, events, clock, null);
	}

	/**
	 * Create a job that also keeps off-site copies.
	 * @param template the template that makes the backups
	 * @param database the template's database
	 * @param catalog the database's local catalog
	 * @param stagingDirectory where copies are made before publication, on the same file
	 * system as a local catalog
	 * @param settings how backups are kept locally
	 * @param events where events are published
	 * @param clock the clock for names and retention
	 * @param offsite the off-site copies, or {@code null} for none
	 */
	public BackupJob(SqliteBackupTemplate template, DatabaseInfo database, BackupCatalog catalog,
			Path stagingDirectory, Settings settings, ApplicationEventPublisher events, Clock clock,
			@Nullable OffsiteCopies offsite) {
		this.template = template;
		this.database = database;
		this.catalog = catalog;
		this.stagingDirectory = stagingDirectory;
		this.settings = settings;
		this.clock = clock;
		this.offsite = offsite;
		this.maker = new BackupMaker(template, database, catalog, stagingDirectory, clock, this::newestElsewhere,
				this::highestSequenceElsewhere);
		this.restorer = new Restorer(template, catalog.identity());
		this.events = new JobEvents(events);
		this.clockWatch = new ClockWatch(clock, System::nanoTime);
		if (offsite != null) {
			offsite.connect(() -> !this.clockWatch.hasStepped(), this::pruneAfterUploads);
		}
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
		if (this.offsite != null) {
			this.offsite.start();
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
		LocatedBackup backup;
		try {
			backup = locate(name);
		}
		catch (SqliteBackupException ex) {
			return finish(restoreOutcome(RestoreOutcome.Status.FAILED, name, null, null, ex.getMessage()));
		}
		if (backup == null) {
			return finish(restoreOutcome(RestoreOutcome.Status.NOT_FOUND, name, null, null, "no backup named " + name));
		}
		if (!backup.local() && this.offsite != null) {
			try {
				this.offsite.checkReadable(backup.manifest());
			}
			catch (BackupNotReadableException ex) {
				return finish(restoreOutcome(RestoreOutcome.Status.REFUSED, name, null, null, ex.getMessage()));
			}
		}
		return restoreGated(name, "Backup " + name, (state, safety) -> this.restorer.restore(backup.manifest(),
				() -> open(backup), force, state, safety));
	}

	/**
	 * Restore a state of the database that is not one of its backups (a replicated state
	 * written to a file) into the live database, the way {@link #restore(String, boolean)}
	 * restores a backup: unless a backup or restore is in progress, with a safety backup of
	 * the current state made under the live database's write lock and, unless forced,
	 * refused when its schema differs from the live one.
	 * @param description what the state is, for the outcome and the logs
	 * @param file the state, an SQLite database file
	 * @param force whether to restore it despite another schema
	 * @return what happened; failures are reported here, not thrown
	 */
	public RestoreOutcome restoreState(String description, Path file, boolean force) {
		return restoreGated(description, description, (state, safety) -> this.restorer.restoreState(description,
				() -> Files.newInputStream(file), force, state, safety));
	}

	private RestoreOutcome restoreGated(String name, String subject, RestoreCall call) {
		RunState state = new RunState(BackupTrigger.RESTORE, this.clock.instant());
		String busy = this.gate.enter(state);
		if (busy != null) {
			return finish(restoreOutcome(RestoreOutcome.Status.BUSY, name, null, null, busy));
		}
		List<Completion> safetyRuns = new ArrayList<>();
		RestoreOutcome outcome;
		try {
			Restorer.Restored restored = call.restore(state, () -> safetyBackup(state, safetyRuns));
			prune(Set.of(name, String.valueOf(restored.safetyBackup())));
			outcome = restoreOutcome(RestoreOutcome.Status.RESTORED, name, restored.safetyBackup(), restored.result(),
					null);
		}
		catch (Restorer.Failed ex) {
			outcome = restoreOutcome(ex.refused() ? RestoreOutcome.Status.REFUSED : RestoreOutcome.Status.FAILED, name,
					ex.safetyBackup(), null, ex.getMessage());
			logger.error("Restore of " + subject + " " + (ex.refused() ? "refused" : "failed") + ": "
					+ ex.getMessage());
		}
		catch (IOException | SqliteBackupException ex) {
			outcome = restoreOutcome(RestoreOutcome.Status.FAILED, name, null, null,
					subject + " cannot be read: " + ex.getMessage() + ". The live database was not changed.");
			logger.error("Restore of " + subject + " failed: " + outcome.reason());
		}
		finally {
			this.gate.leave();
		}
		safetyRuns.forEach(this::publish);
		return finish(outcome);
	}

	/** One restore, run while the job's gate is held. */
	@FunctionalInterface
	private interface RestoreCall {

		Restorer.Restored restore(RunState state, Restorer.SafetyBackup safetyBackup) throws IOException;

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
	 * Open a local backup for reading, if it is still the object its manifest describes.
	 * @param backup a backup of the local catalog
	 * @return its content, to be closed by the caller
	 * @throws IOException if it is gone, changed or unreadable
	 */
	public InputStream open(BackupManifest backup) throws IOException {
		return this.catalog.open(backup);
	}

	/**
	 * Return the database's backups wherever they are, local and off-site, newest first.
	 * Lists the remote storage when there is one.
	 * @return the backups
	 * @throws SqliteBackupException if a storage cannot be listed
	 */
	public List<LocatedBackup> allBackups() {
		Map<String, LocatedBackup> byName = new LinkedHashMap<>();
		for (BackupManifest backup : this.catalog.entries()) {
			byName.put(backup.name(), new LocatedBackup(backup, true, false));
		}
		if (this.offsite != null) {
			for (BackupManifest backup : this.offsite.backups()) {
				LocatedBackup local = byName.get(backup.name());
				byName.put(backup.name(), (local != null) ? new LocatedBackup(local.manifest(), true, true)
						: new LocatedBackup(backup, false, true));
			}
		}
		return byName.values().stream().sorted(LocatedBackup.NEWEST_FIRST).toList();
	}

	/**
	 * Find a backup by name: in the local catalog, else off-site.
	 * @param name the backup's name
	 * @return the backup, or empty
	 * @throws SqliteBackupException if the remote storage cannot be listed
	 */
	public Optional<LocatedBackup> find(String name) {
		return Optional.ofNullable(locate(name));
	}

	/**
	 * Open a backup, local or off-site, as the plain SQLite file.
	 * @param backup the backup
	 * @return its content, to be closed by the caller
	 * @throws io.github.sqlitebackup.offsite.BackupNotReadableException if an off-site
	 * backup cannot be read as configured (encrypted without an identity)
	 * @throws IOException if it is gone, changed or unreadable
	 */
	public InputStream open(LocatedBackup backup) throws IOException {
		if (backup.local() || this.offsite == null) {
			return this.catalog.open(backup.manifest());
		}
		return this.offsite.open(backup.manifest());
	}

	/**
	 * Return the state of the off-site copies, if there are any.
	 * @return the status, or empty without a remote storage
	 */
	public Optional<OffsiteStatus> offsiteStatus() {
		return Optional.ofNullable(this.offsite).map(OffsiteCopies::status);
	}

	/**
	 * Return the newest verified backup, local or known to be off-site, without listing the
	 * remote storage.
	 * @return the backup, or empty if there is none
	 */
	public Optional<BackupManifest> newestVerified() {
		Optional<BackupManifest> local = this.catalog.entries().stream().filter(BackupManifest::verified).findFirst();
		Optional<BackupManifest> remote = newestElsewhere();
		if (remote.isPresent() && (local.isEmpty() || remote.get().created().isAfter(local.get().created()))) {
			return remote;
		}
		return local;
	}

	private @Nullable LocatedBackup locate(String name) {
		Optional<BackupManifest> local = this.catalog.find(name).or(() -> this.catalog.findInStorage(name));
		if (local.isPresent()) {
			return new LocatedBackup(local.get(), true, false);
		}
		if (this.offsite != null) {
			return this.offsite.find(name).map((remote) -> new LocatedBackup(remote, false, true)).orElse(null);
		}
		return null;
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
	 * Delete a backup and its manifest, unless it is the only verified backup: the local
	 * copy if there is one, else the off-site one.
	 * @param name the backup's name
	 * @return what happened
	 */
	public DeleteOutcome delete(String name) {
		DeleteOutcome outcome = this.catalog.delete(name);
		if (outcome == DeleteOutcome.NOT_FOUND && this.offsite != null) {
			outcome = this.offsite.delete(name);
			if (outcome == DeleteOutcome.DELETED) {
				logger.info("Deleted off-site backup " + name + " on request");
			}
			return outcome;
		}
		if (outcome == DeleteOutcome.DELETED) {
			logger.info("Deleted backup " + name + " on request");
		}
		return outcome;
	}

	/**
	 * Stop the off-site uploads, after they have had up to a timeout to finish (e.g. to take
	 * a backup made at shutdown off the machine).
	 * @param timeout how long pending uploads may take
	 */
	public void stopUploads(Duration timeout) {
		if (this.offsite != null) {
			this.offsite.stop(timeout);
		}
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
			BackupMaker.Made made;
			try (BackupConcurrencyLimit.Permit permit = this.settings.concurrency().acquire(state.cancellation())) {
				made = this.maker.make(trigger, state);
			}
			if (this.offsite != null) {
				this.offsite.backupPublished(made.manifest());
			}
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
		pruneLocal(protectedNames);
	}

	/** Local retention once uploads have ended: uploaded backups may now be deleted here. */
	private void pruneAfterUploads() {
		pruneLocal(Set.of());
	}

	private void pruneLocal(Set<String> protectedNames) {
		RetentionPolicy policy = this.settings.retention();
		try {
			Predicate<String> keptElsewhere = (name) -> false;
			Predicate<BackupManifest> confirm = (backup) -> true;
			if (this.offsite != null) {
				// never delete a backup here before it is off-site (or off-site retention does not want it)
				keptElsewhere = this.offsite::isUploaded;
				confirm = this.offsite::confirmDeletableLocally;
			}
			for (BackupManifest backup : this.catalog.prune(policy, this.clock.instant(), !this.clockWatch.hasStepped(),
					protectedNames, keptElsewhere, confirm)) {
				logger.info("Retention deleted backup " + backup.name() + " (sequence " + backup.sequence() + ", created "
						+ backup.created() + "; keep-last " + policy.keepLast() + ", keep-safety " + policy.keepSafety()
						+ ", max-age " + policy.maxAge() + ")");
			}
		}
		catch (SqliteBackupException ex) {
			logger.warn("Retention could not run: " + ex.getMessage());
		}
	}

	private Optional<BackupManifest> newestElsewhere() {
		return (this.offsite != null) ? this.offsite.newestKnown() : Optional.empty();
	}

	private long highestSequenceElsewhere() {
		return (this.offsite != null) ? this.offsite.highestKnownSequence() : 0;
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
	 * @param concurrency the limit of backups that copy at the same time, shared with the
	 * jobs of the application's other databases
	 */
	public record Settings(boolean skipIfUnchanged, RetentionPolicy retention, BackupConcurrencyLimit concurrency) {

		/**
		 * Create settings of a job that never waits for other jobs.
		 * @param skipIfUnchanged whether to skip a run when the database has not changed
		 * since the newest verified backup
		 * @param retention which backups to delete after each successful run
		 */
		public Settings(boolean skipIfUnchanged, RetentionPolicy retention) {
			this(skipIfUnchanged, retention, BackupConcurrencyLimit.unlimited());
		}

	}

	private record Completion(BackupRunOutcome outcome, BackupMaker.@Nullable Made made, @Nullable Exception failure) {
	}

}
