package io.github.sqlitebackup.job;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.BackupCancellation;
import io.github.sqlitebackup.BackupProgress;
import io.github.sqlitebackup.catalog.BackupTrigger;

/**
 * The run (backup or restore) that holds the {@link RunGate}.
 */
final class RunState {

	private final BackupTrigger trigger;

	private final Instant started;

	private final BackupCancellation cancellation = new BackupCancellation();

	private volatile @Nullable BackupProgress progress;

	RunState(BackupTrigger trigger, Instant started) {
		this.trigger = trigger;
		this.started = started;
	}

	BackupTrigger trigger() {
		return this.trigger;
	}

	Instant started() {
		return this.started;
	}

	BackupCancellation cancellation() {
		return this.cancellation;
	}

	void progress(BackupProgress progress) {
		this.progress = progress;
	}

	BackupJobStatus.Running describe() {
		return new BackupJobStatus.Running(this.trigger, this.started, this.progress);
	}

}
