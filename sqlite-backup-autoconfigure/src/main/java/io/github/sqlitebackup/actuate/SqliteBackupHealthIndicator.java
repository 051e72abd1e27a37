package io.github.sqlitebackup.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupJobStatus;
import io.github.sqlitebackup.job.BackupManifest;
import io.github.sqlitebackup.job.BackupRunOutcome;

/**
 * Health of the application's backups ({@code sqliteBackup}): DOWN when the last scheduled
 * backup failed or the newest verified backup is older than the threshold, UNKNOWN while
 * there is no verified backup yet, UP otherwise.
 */
public class SqliteBackupHealthIndicator extends AbstractHealthIndicator {

	private final BackupJob job;

	private final @Nullable Duration maxAge;

	private final Clock clock;

	/**
	 * Create the indicator.
	 * @param job the backup job
	 * @param maxAge the age of the newest verified backup beyond which health is DOWN, or
	 * {@code null} to judge only failures
	 * @param clock the clock to measure ages with
	 */
	public SqliteBackupHealthIndicator(BackupJob job, @Nullable Duration maxAge, Clock clock) {
		super("SQLite backup health check failed");
		this.job = job;
		this.maxAge = maxAge;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		BackupJobStatus status = this.job.status();
		Optional<BackupManifest> newest = this.job.backups().stream().filter(BackupManifest::verified).findFirst();
		Duration age = newest.map((backup) -> Duration.between(backup.created(), this.clock.instant())).orElse(null);
		newest.ifPresent((backup) -> builder.withDetail("newestBackup", backup.name())
			.withDetail("newestBackupCreated", backup.created().toString())
			.withDetail("newestBackupAge", age.toString()));
		if (this.maxAge != null) {
			builder.withDetail("maxAge", this.maxAge.toString());
		}
		BackupRunOutcome lastFailure = status.lastFailure();
		if (lastFailure != null) {
			builder.withDetail("lastFailure", lastFailure.finished() + ": " + lastFailure.reason());
		}
		BackupRunOutcome lastScheduled = status.lastScheduledRun();
		if (lastScheduled != null && lastScheduled.status() == BackupRunOutcome.Status.FAILED) {
			builder.down().withDetail("reason", "the last scheduled backup failed");
		}
		else if (newest.isEmpty()) {
			builder.unknown().withDetail("reason", "no verified backup yet");
		}
		else if (this.maxAge != null && age.compareTo(this.maxAge) > 0) {
			builder.down().withDetail("reason", "the newest verified backup is older than " + this.maxAge);
		}
		else {
			builder.up();
		}
	}

}
