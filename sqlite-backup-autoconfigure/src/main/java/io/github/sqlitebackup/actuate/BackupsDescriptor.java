package io.github.sqlitebackup.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import io.github.sqlitebackup.BackupProgress;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.job.BackupJobStatus;
import io.github.sqlitebackup.job.LocatedBackup;
import io.github.sqlitebackup.offsite.OffsiteStatus;
import io.github.sqlitebackup.offsite.UploadFailure;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.RestoreOutcome;

/**
 * One database in what {@code GET /actuator/sqlitebackup} answers: its job's state, its
 * schedule and its catalog, newest first.
 *
 * @param database the database id (the prefix of its backups' names)
 * @param state {@code idle} or {@code running}
 * @param running the run in progress, or {@code null}
 * @param lastSuccess the last run that published a backup, or {@code null}
 * @param lastFailure the last failed run, or {@code null}
 * @param lastRestore the last restore attempt, or {@code null}
 * @param overlapsRejected triggers turned away because a run was in progress
 * @param clockStepped whether the system clock stepped while the application ran
 * @param schedule the schedule in words
 * @param restoreEnabled whether the endpoint restores backups
 * @param offsite the off-site copies' state, or {@code null} without a remote storage
 * @param backups the backups, local and off-site, newest first
 */
public record BackupsDescriptor(String database, String state, @Nullable Running running, @Nullable Run lastSuccess,
		@Nullable Run lastFailure, @Nullable Restore lastRestore, long overlapsRejected, boolean clockStepped,
		String schedule, boolean restoreEnabled, @Nullable Offsite offsite, List<Backup> backups)
		implements OperationResponseBody {

	static BackupsDescriptor of(String database, BackupJobStatus status, List<LocatedBackup> catalog,
			@Nullable Offsite offsite, String schedule, boolean restoreEnabled) {
		BackupJobStatus.Running running = status.running();
		return new BackupsDescriptor(database, (running != null) ? "running" : "idle",
				(running != null) ? Running.of(running) : null, Run.of(status.lastSuccess()),
				Run.of(status.lastFailure()), Restore.of(status.lastRestore()), status.overlapsRejected(),
				status.clockStepped(), schedule, restoreEnabled, offsite, catalog.stream().map(Backup::of).toList());
	}

	static List<String> locations(LocatedBackup backup) {
		List<String> locations = new ArrayList<>();
		if (backup.local()) {
			locations.add("local");
		}
		if (backup.remote()) {
			locations.add("remote");
		}
		return locations;
	}

	static @Nullable String lowerCase(@Nullable Enum<?> value) {
		return (value != null) ? value.name().toLowerCase(Locale.ROOT) : null;
	}

	/**
	 * A run in progress.
	 *
	 * @param trigger what started it
	 * @param started when it started
	 * @param percent how much is copied, 0 before the first step
	 * @param remainingPages pages left, or -1 before the first step
	 * @param totalPages pages in all, or -1 before the first step
	 * @param restarts restarts so far
	 */
	public record Running(String trigger, Instant started, double percent, long remainingPages, long totalPages,
			int restarts) {

		static Running of(BackupJobStatus.Running running) {
			BackupProgress progress = running.progress();
			if (progress == null) {
				return new Running(running.trigger().name(), running.started(), 0, -1, -1, 0);
			}
			return new Running(running.trigger().name(), running.started(), progress.percentDone(),
					progress.remainingPages(), progress.totalPages(), progress.restarts());
		}

	}

	/**
	 * A finished run.
	 *
	 * @param time when it ended
	 * @param trigger what started it
	 * @param backup the published backup's name, or {@code null}
	 * @param cause why it published nothing ({@code unchanged}, {@code busy}, ...), or
	 * {@code null}
	 * @param message the same in words, or {@code null}
	 */
	public record Run(Instant time, String trigger, @Nullable String backup, @Nullable String cause,
			@Nullable String message) {

		static @Nullable Run of(@Nullable BackupRunOutcome outcome) {
			if (outcome == null) {
				return null;
			}
			return new Run(outcome.finished(), outcome.trigger().name(),
					(outcome.backup() != null) ? outcome.backup().name() : null, lowerCase(outcome.cause()),
					outcome.reason());
		}

	}

	/**
	 * A restore attempt.
	 *
	 * @param time when it ended
	 * @param status {@code RESTORED}, {@code REFUSED}, {@code FAILED}, ...
	 * @param backup the backup to restore
	 * @param safetyBackup the backup of the state before, or {@code null}
	 * @param message why nothing was restored, or {@code null}
	 */
	public record Restore(Instant time, String status, String backup, @Nullable String safetyBackup,
			@Nullable String message) {

		static @Nullable Restore of(@Nullable RestoreOutcome outcome) {
			if (outcome == null) {
				return null;
			}
			return new Restore(outcome.finished(), outcome.status().name(), outcome.backup(), outcome.safetyBackup(),
					outcome.reason());
		}

	}

	/**
	 * The off-site copies' state.
	 *
	 * @param storage the remote storage
	 * @param pendingUploads backups waiting for upload
	 * @param lastUpload when the last upload ended, or {@code null}
	 * @param lastFailure the last failed attempt in words, or {@code null}
	 * @param nextAttempt when uploads are tried again after failures, or {@code null}
	 * @param listingError why the remote backups are missing from this listing, or
	 * {@code null}
	 */
	public record Offsite(String storage, int pendingUploads, @Nullable Instant lastUpload,
			@Nullable String lastFailure, @Nullable Instant nextAttempt, @Nullable String listingError) {

		static Offsite of(OffsiteStatus status, @Nullable String listingError) {
			UploadFailure failure = status.lastFailure();
			return new Offsite(status.storage(), status.pendingUploads(), status.lastUpload(),
					(failure != null) ? failure.at() + ": " + failure.message() : null, status.nextAttempt(),
					listingError);
		}

	}

	/**
	 * A backup of the catalog.
	 *
	 * @param name its name, the key for the other operations
	 * @param sequence its place in the database's sequence of backups
	 * @param trigger what started it ({@code RESTORE} for a safety backup)
	 * @param created when it was made
	 * @param bytes its size
	 * @param verified whether it was checked before publication
	 * @param verification {@code none}, {@code quick} or {@code full}
	 * @param sha256 its SHA-256
	 * @param locations where it is kept: {@code local}, {@code remote} or both
	 */
	public record Backup(String name, long sequence, String trigger, Instant created, long bytes, boolean verified,
			String verification, String sha256, List<String> locations) {

		static Backup of(LocatedBackup located) {
			BackupManifest manifest = located.manifest();
			return new Backup(manifest.name(), manifest.sequence(), manifest.trigger().name(), manifest.created(),
					manifest.bytes(), manifest.verified(), manifest.verification().label(), manifest.sha256(),
					BackupsDescriptor.locations(located));
		}

	}

}
