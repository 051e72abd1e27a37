package io.github.sqlitebackup.job;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.BackupProgress;
import io.github.sqlitebackup.catalog.BackupTrigger;

/**
 * A snapshot of the backup job's state.
 *
 * @param running the run in progress, or {@code null} when idle
 * @param lastSuccess the last run that published a backup, or {@code null}
 * @param lastFailure the last run that failed, or {@code null}
 * @param lastScheduledRun the last run started by the schedule, or {@code null}
 * @param lastUnchanged the last run skipped because the database had not changed since the
 * newest verified backup (which was therefore still current then), or {@code null}
 * @param lastRestore the last restore attempt, or {@code null}
 * @param overlapsRejected how many triggers were turned away because a run was in progress
 * @param clockStepped whether the wall clock stepped while the application ran (the
 * max-age rule is then suspended)
 */
public record BackupJobStatus(@Nullable Running running, @Nullable BackupRunOutcome lastSuccess,
		@Nullable BackupRunOutcome lastFailure, @Nullable BackupRunOutcome lastScheduledRun,
		@Nullable BackupRunOutcome lastUnchanged, @Nullable RestoreOutcome lastRestore, long overlapsRejected,
		boolean clockStepped) {

	/**
	 * A run in progress.
	 *
	 * @param trigger what started it
	 * @param started when it started
	 * @param progress the copy's progress after its latest step, or {@code null} before the
	 * first step
	 */
	public record Running(BackupTrigger trigger, Instant started, @Nullable BackupProgress progress) {

	}

}
