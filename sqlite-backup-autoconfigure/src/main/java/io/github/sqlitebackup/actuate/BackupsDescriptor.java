package io.github.sqlitebackup.actuate;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.BackupProgress;
import io.github.sqlitebackup.job.BackupJobStatus;
import io.github.sqlitebackup.job.BackupManifest;
import io.github.sqlitebackup.job.BackupRunOutcome;

/**
 * What {@code GET /actuator/sqlitebackup} answers: the job's state, its schedule and the
 * catalog, newest first.
 *
 * @param state {@code idle} or {@code running}
 * @param running the run in progress, or {@code null}
 * @param lastSuccess the last run that published a backup, or {@code null}
 * @param lastFailure the last failed run, or {@code null}
 * @param overlapsRejected triggers skipped because a run was in progress
 * @param schedule the schedule in words
 * @param directory the backup directory
 * @param restoreEnabled whether the endpoint restores backups
 * @param backups the catalog, newest first
 */
public record BackupsDescriptor(String state, @Nullable Running running, @Nullable Run lastSuccess,
		@Nullable Run lastFailure, long overlapsRejected, String schedule, String directory, boolean restoreEnabled,
		List<Backup> backups) {

	static BackupsDescriptor of(BackupJobStatus status, List<BackupManifest> catalog, String schedule, String directory,
			boolean restoreEnabled) {
		BackupJobStatus.Running running = status.running();
		return new BackupsDescriptor((running != null) ? "running" : "idle",
				(running != null) ? Running.of(running) : null, Run.of(status.lastSuccess()),
				Run.of(status.lastFailure()), status.overlapsRejected(), schedule, directory, restoreEnabled,
				catalog.stream().map(Backup::of).toList());
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
	 * @param message why it failed, or {@code null}
	 */
	public record Run(Instant time, String trigger, @Nullable String backup, @Nullable String message) {

		static @Nullable Run of(@Nullable BackupRunOutcome outcome) {
			if (outcome == null) {
				return null;
			}
			return new Run(outcome.finished(), outcome.trigger().name(),
					(outcome.backup() != null) ? outcome.backup().name() : null, outcome.reason());
		}

	}

	/**
	 * A backup of the catalog.
	 *
	 * @param name its file name, the key for the other operations
	 * @param created when it was made
	 * @param bytes its size
	 * @param verified whether it was checked before publication
	 * @param verification {@code none}, {@code quick} or {@code full}
	 * @param sha256 its SHA-256
	 */
	public record Backup(String name, Instant created, long bytes, boolean verified, String verification,
			String sha256) {

		static Backup of(BackupManifest manifest) {
			return new Backup(manifest.name(), manifest.created(), manifest.bytes(), manifest.verified(),
					manifest.verification(), manifest.sha256());
		}

	}

}
