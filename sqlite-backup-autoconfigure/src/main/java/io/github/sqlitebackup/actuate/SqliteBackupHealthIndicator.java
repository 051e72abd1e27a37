package io.github.sqlitebackup.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.job.BackupFreshness;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.offsite.OffsiteStatus;
import io.github.sqlitebackup.offsite.UploadFailure;
import io.github.sqlitebackup.job.BackupJobStatus;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.RestoreOutcome;

/**
 * Health of the application's backups ({@code sqliteBackup}):
 * <ul>
 * <li>DOWN when the last scheduled backup failed, when the last restore failed (until a
 * later backup succeeds), when the newest verified backup is dated in the future (the
 * clock stepped back), or when it is stale by the {@link BackupFreshness} rule. A run
 * skipped because the database had not changed keeps the newest backup fresh: it still
 * holds the current state.</li>
 * <li>DOWN when off-site copies lag behind: a backup waits for upload since before the
 * freshness limit, or (without one) uploads are failing;</li>
 * <li>UNKNOWN while there is no verified backup yet;</li>
 * <li>UP otherwise.</li>
 * </ul>
 */
public class SqliteBackupHealthIndicator extends AbstractHealthIndicator {

	/** How far in the future a backup may be dated before it counts as a clock problem. */
	private static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);

	private final BackupJob job;

	private final @Nullable BackupFreshness freshness;

	private final Clock clock;

	/**
	 * Create the indicator.
	 * @param job the backup job
	 * @param freshness when the newest verified backup counts as stale, or {@code null} to
	 * judge only failures
	 * @param clock the clock to measure ages with
	 */
	public SqliteBackupHealthIndicator(BackupJob job, @Nullable BackupFreshness freshness, Clock clock) {
		super("SQLite backup health check failed");
		this.job = job;
		this.freshness = freshness;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Instant now = this.clock.instant();
		BackupJobStatus status = this.job.status();
		Optional<BackupManifest> newest = this.job.newestVerified();
		Instant current = newest.map((backup) -> currentAsOf(backup, status)).orElse(null);
		newest.ifPresent((backup) -> builder.withDetail("newestBackup", backup.name())
			.withDetail("newestBackupCreated", backup.created().toString())
			.withDetail("newestBackupAge", Duration.between(backup.created(), now).toString()));
		if (current != null && newest.isPresent() && !current.equals(newest.get().created())) {
			builder.withDetail("unchangedSince", current.toString());
		}
		if (status.clockStepped()) {
			builder.withDetail("clockStepped", true);
		}
		BackupRunOutcome lastFailure = status.lastFailure();
		if (lastFailure != null) {
			builder.withDetail("lastFailure", lastFailure.finished() + ": " + lastFailure.reason());
		}
		Instant staleBefore = (this.freshness != null) ? this.freshness.staleBefore(now) : null;
		if (staleBefore != null) {
			builder.withDetail("staleBefore", staleBefore.toString());
		}
		String offsiteLag = this.job.offsiteStatus().map((offsite) -> offsite(builder, offsite, now, staleBefore))
			.orElse(null);
		BackupRunOutcome lastScheduled = status.lastScheduledRun();
		if (lastScheduled != null && lastScheduled.status() == BackupRunOutcome.Status.FAILED) {
			builder.down().withDetail("reason", "the last scheduled backup failed");
		}
		else if (restoreFailed(status)) {
			builder.down()
				.withDetail("reason", "the last restore failed: " + status.lastRestore().reason());
		}
		else if (newest.isEmpty()) {
			builder.unknown().withDetail("reason", "no verified backup yet");
		}
		else if (newest.get().created().isAfter(now.plus(CLOCK_TOLERANCE))) {
			builder.down()
				.withDetail("reason", "the newest verified backup is dated in the future; the system clock may have "
						+ "stepped back since it was made");
		}
		else if (staleBefore != null && current.isBefore(staleBefore)) {
			builder.down()
				.withDetail("reason", "the newest verified backup is older than the freshness limit " + staleBefore);
		}
		else if (offsiteLag != null) {
			builder.down().withDetail("reason", offsiteLag);
		}
		else {
			builder.up();
		}
	}

	/**
	 * Add the off-site details.
	 * @return why the off-site copies lag behind, or {@code null} if they do not
	 */
	private static @Nullable String offsite(Health.Builder builder, OffsiteStatus offsite, Instant now,
			@Nullable Instant staleBefore) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("storage", offsite.storage());
		BackupManifest newest = offsite.newest();
		if (newest != null) {
			details.put("newestBackup", newest.name());
			details.put("newestBackupAge", Duration.between(newest.created(), now).toString());
		}
		details.put("pendingUploads", offsite.pendingUploads());
		Instant oldestPending = offsite.oldestPending();
		if (oldestPending != null) {
			details.put("oldestPendingAge", Duration.between(oldestPending, now).toString());
		}
		if (offsite.lastUpload() != null) {
			details.put("lastUpload", offsite.lastUpload().toString());
		}
		UploadFailure failure = offsite.lastFailure();
		if (failure != null) {
			details.put("lastFailure", failure.at() + ": " + failure.message());
		}
		if (offsite.nextAttempt() != null) {
			details.put("nextAttempt", offsite.nextAttempt().toString());
		}
		builder.withDetail("offsite", details);
		if (oldestPending == null) {
			return null;
		}
		if (staleBefore != null ? oldestPending.isBefore(staleBefore) : offsite.consecutiveFailures() > 0) {
			return "off-site copies lag behind: " + offsite.pendingUploads() + " backups wait for upload to "
					+ offsite.storage() + ((failure != null) ? " (last failure: " + failure.message() + ")" : "");
		}
		return null;
	}

	private static Instant currentAsOf(BackupManifest newest, BackupJobStatus status) {
		BackupRunOutcome unchanged = status.lastUnchanged();
		return (unchanged != null && unchanged.finished().isAfter(newest.created())) ? unchanged.finished()
				: newest.created();
	}

	private static boolean restoreFailed(BackupJobStatus status) {
		RestoreOutcome restore = status.lastRestore();
		if (restore == null || restore.status() != RestoreOutcome.Status.FAILED) {
			return false;
		}
		BackupRunOutcome success = status.lastSuccess();
		return success == null || !success.finished().isAfter(restore.finished());
	}

}
