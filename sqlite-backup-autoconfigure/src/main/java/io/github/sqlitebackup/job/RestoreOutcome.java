package io.github.sqlitebackup.job;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.RestoreResult;

/**
 * The outcome of {@link BackupJob#restore(String, boolean)}.
 *
 * @param status what happened
 * @param backup the backup that was (or was to be) restored
 * @param safetyBackup the backup of the state before the restore, or {@code null} if none
 * was made; it is kept even when the restore then failed
 * @param result the restore's result, for {@link Status#RESTORED}
 * @param reason why nothing was restored, for the other statuses
 * @param finished when it ended
 */
public record RestoreOutcome(Status status, String backup, @Nullable String safetyBackup,
		@Nullable RestoreResult result, @Nullable String reason, Instant finished) {

	/**
	 * What a restore did.
	 */
	public enum Status {

		/** The live database now holds the backup's content. */
		RESTORED,

		/** There is no backup of that name; nothing was changed. */
		NOT_FOUND,

		/** A backup or restore was already running; nothing was changed. */
		BUSY,

		/** The backup is not one to restore into this application without {@code force}: it
		 * belongs to another database, or its schema differs from the live one. Nothing was
		 * changed. */
		REFUSED,

		/** The backup failed its checks, or the safety backup or the restore failed; the
		 * live database was not changed. */
		FAILED

	}

}
