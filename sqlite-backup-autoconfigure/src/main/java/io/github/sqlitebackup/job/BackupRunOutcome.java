package io.github.sqlitebackup.job;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one run of the backup job.
 *
 * @param status what happened
 * @param trigger what started the run
 * @param finished when the run ended
 * @param backup the published backup, for {@link Status#SUCCEEDED}
 * @param reason why no backup was published, for {@link Status#SKIPPED} and
 * {@link Status#FAILED}
 */
public record BackupRunOutcome(Status status, BackupTrigger trigger, Instant finished, @Nullable BackupManifest backup,
		@Nullable String reason) {

	/**
	 * What a run did.
	 */
	public enum Status {

		/** A backup was published. */
		SUCCEEDED,

		/** No backup was needed or possible now: see the reason. */
		SKIPPED,

		/** The backup failed and nothing was published: see the reason. */
		FAILED

	}

}
