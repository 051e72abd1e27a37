package io.github.sqlitebackup.actuate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.ApplicationListener;

import io.github.sqlitebackup.BackupCancelledException;
import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.job.BackupEvent;
import io.github.sqlitebackup.job.BackupFailedEvent;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupManifest;
import io.github.sqlitebackup.job.BackupStartedEvent;
import io.github.sqlitebackup.job.BackupSucceededEvent;

/**
 * Micrometer meters of the backup job:
 * <ul>
 * <li>{@code sqlite.backup.duration} (timer; tag {@code result}: {@code success} or
 * {@code failure}): each run from start to its end;</li>
 * <li>{@code sqlite.backup.size} (distribution summary, bytes): each published backup;</li>
 * <li>{@code sqlite.backup.failures} (counter; tag {@code cause}: {@code verification},
 * {@code busy}, {@code cancelled} or {@code error});</li>
 * <li>{@code sqlite.backup.restarts} (counter): copy restarts caused by concurrent
 * writes;</li>
 * <li>{@code sqlite.backup.last.success} (gauge, seconds since the epoch; NaN before the
 * first success);</li>
 * <li>{@code sqlite.backup.kept} (gauge): backups in the catalog.</li>
 * </ul>
 */
public class SqliteBackupMetrics implements MeterBinder, ApplicationListener<BackupEvent> {

	private final BackupJob job;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private volatile long startedNanos;

	/**
	 * Create the meters of a job.
	 * @param job the backup job
	 */
	public SqliteBackupMetrics(BackupJob job) {
		this.job = job;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		Gauge.builder("sqlite.backup.last.success", this, SqliteBackupMetrics::lastSuccessEpochSeconds)
			.description("When the last backup was published")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("sqlite.backup.kept", this, (metrics) -> metrics.job.backups().size())
			.description("Backups in the catalog")
			.register(registry);
	}

	@Override
	public void onApplicationEvent(BackupEvent event) {
		if (event instanceof BackupStartedEvent) {
			this.startedNanos = System.nanoTime();
		}
		else if (event instanceof BackupSucceededEvent succeeded) {
			BackupManifest backup = succeeded.getBackup();
			for (MeterRegistry registry : this.registries) {
				recordDuration(registry, "success");
				DistributionSummary.builder("sqlite.backup.size")
					.description("Size of each published backup")
					.baseUnit("bytes")
					.register(registry)
					.record(backup.bytes());
				restarts(registry).increment(backup.restarts());
			}
		}
		else if (event instanceof BackupFailedEvent failed) {
			for (MeterRegistry registry : this.registries) {
				recordDuration(registry, "failure");
				Counter.builder("sqlite.backup.failures")
					.description("Backups that failed, by cause")
					.tag("cause", cause(failed.getCause()))
					.register(registry)
					.increment();
			}
		}
	}

	private void recordDuration(MeterRegistry registry, String result) {
		Timer.builder("sqlite.backup.duration")
			.description("Duration of backup runs")
			.tag("result", result)
			.register(registry)
			.record(System.nanoTime() - this.startedNanos, TimeUnit.NANOSECONDS);
	}

	private static Counter restarts(MeterRegistry registry) {
		return Counter.builder("sqlite.backup.restarts")
			.description("Copy restarts caused by concurrent writes")
			.register(registry);
	}

	private static String cause(Throwable failure) {
		if (failure instanceof BackupVerificationException) {
			return "verification";
		}
		if (failure instanceof BackupCancelledException) {
			return "cancelled";
		}
		String message = String.valueOf(failure.getMessage());
		if (message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED")) {
			return "busy";
		}
		return "error";
	}

	private double lastSuccessEpochSeconds() {
		var lastSuccess = this.job.status().lastSuccess();
		return (lastSuccess != null) ? lastSuccess.finished().toEpochMilli() / 1000.0 : Double.NaN;
	}

}
