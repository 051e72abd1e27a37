package io.github.sqlitebackup.job;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.catalog.BackupTrigger;

/**
 * What the job's runs and restores ended with, for its status.
 */
final class JobHistory {

	private volatile @Nullable BackupRunOutcome lastSuccess;

	private volatile @Nullable BackupRunOutcome lastFailure;

	private volatile @Nullable BackupRunOutcome lastScheduledRun;

	private volatile @Nullable BackupRunOutcome lastUnchanged;

	private volatile @Nullable RestoreOutcome lastRestore;

	void record(BackupRunOutcome outcome) {
		switch (outcome.status()) {
			case SUCCEEDED -> this.lastSuccess = outcome;
			case FAILED -> this.lastFailure = outcome;
			case SKIPPED -> {
				if (outcome.cause() == BackupRunOutcome.Cause.UNCHANGED) {
					this.lastUnchanged = outcome;
				}
			}
		}
		if (outcome.trigger() == BackupTrigger.SCHEDULE && outcome.cause() != BackupRunOutcome.Cause.ALREADY_RUNNING) {
			this.lastScheduledRun = outcome;
		}
	}

	void record(RestoreOutcome outcome) {
		this.lastRestore = outcome;
	}

	BackupJobStatus snapshot(@Nullable RunState running, long turnedAway, boolean clockStepped) {
		return new BackupJobStatus((running != null) ? running.describe() : null, this.lastSuccess, this.lastFailure,
				this.lastScheduledRun, this.lastUnchanged, this.lastRestore, turnedAway, clockStepped);
	}

}
