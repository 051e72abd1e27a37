package io.github.sqlitebackup.job;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteException;

import io.github.sqlitebackup.BackupCancelledException;
import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.DatabaseBusyException;
import io.github.sqlitebackup.DiskFullException;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;

/**
 * The outcome of one run of the backup job.
 *
 * @param status what happened
 * @param trigger what started the run
 * @param finished when the run ended
 * @param duration how long the run took
 * @param backup the published backup, for {@link Status#SUCCEEDED}
 * @param cause why no backup was published, for {@link Status#SKIPPED} and
 * {@link Status#FAILED}
 * @param reason the same in words, for people
 */
public record BackupRunOutcome(Status status, BackupTrigger trigger, Instant finished, Duration duration,
		@Nullable BackupManifest backup, @Nullable Cause cause, @Nullable String reason) {

	/**
	 * What a run did.
	 */
	public enum Status {

		/** A backup was published. */
		SUCCEEDED,

		/** No backup was needed or possible now: see the cause. */
		SKIPPED,

		/** The backup failed and nothing was published: see the cause. */
		FAILED

	}

	/**
	 * Why a run published nothing.
	 */
	public enum Cause {

		/** Skipped: another backup or restore was running. */
		ALREADY_RUNNING,

		/** Skipped: the application is shutting down. */
		SHUTTING_DOWN,

		/** Skipped: the database has not changed since the newest verified backup, which
		 * therefore still holds its current state. */
		UNCHANGED,

		/** Failed: the copy did not pass verification. */
		VERIFICATION,

		/** Failed: the database stayed locked through every retry. */
		BUSY,

		/** Failed: the run was cancelled, at shutdown or by request. */
		CANCELLED,

		/** Failed: a disk ran out of space. */
		DISK_FULL,

		/** Failed for another reason: see the reason. */
		ERROR;

		/**
		 * Return the cause of a failure.
		 * @param failure what the run threw
		 * @return the cause
		 */
		public static Cause of(Throwable failure) {
			if (failure instanceof BackupVerificationException) {
				return VERIFICATION;
			}
			if (failure instanceof BackupCancelledException) {
				return CANCELLED;
			}
			if (failure instanceof DatabaseBusyException) {
				return BUSY;
			}
			if (failure instanceof DiskFullException) {
				return DISK_FULL;
			}
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof SQLiteException sqlite) {
					return switch (sqlite.getResultCode().code & 0xff) {
						case 5, 6 -> BUSY; // SQLITE_BUSY, SQLITE_LOCKED
						case 13 -> DISK_FULL; // SQLITE_FULL
						default -> ERROR;
					};
				}
			}
			return ERROR;
		}

	}

}
