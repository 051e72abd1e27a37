package io.github.sqlitebackup.actuate;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;

import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupEvent;
import io.github.sqlitebackup.job.BackupFailedEvent;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.BackupSucceededEvent;
import io.github.sqlitebackup.job.RestoreFinishedEvent;

/**
 * Micrometer meters of the backup job:
 * <ul>
 * <li>{@code sqlite.backup.duration} (timer; tag {@code result}: {@code success} or
 * {@code failure}): each run from start to its end;</li>
 * <li>{@code sqlite.backup.size} (distribution summary, bytes): each published backup;</li>
 * <li>{@code sqlite.backup.failures} (counter; tag {@code cause}: {@code verification},
 * {@code busy}, {@code cancelled}, {@code disk_full} or {@code error});</li>
 * <li>{@code sqlite.backup.restarts} (counter): copy restarts caused by concurrent
 * writes;</li>
 * <li>{@code sqlite.backup.writers.blocked} (timer): how long each published backup kept
 * writers out; zero in WAL mode;</li>
 * <li>{@code sqlite.backup.restores} (counter; tag {@code result}: {@code restored},
 * {@code refused}, {@code failed}, {@code busy} or {@code not_found});</li>
 * <li>{@code sqlite.backup.last.success} (gauge, seconds since the epoch; NaN before the
 * first success);</li>
 * <li>{@code sqlite.backup.kept} (gauge): backups in the catalog, read from the storage.</li>
 * </ul>
 * Every meter has the tag {@code database}: the id of the database it is about.
 */
public class SqliteBackupMetrics implements MeterBinder, ApplicationListener<BackupEvent> {

	private static final String DATABASE = "database";

	private final BackupDatabases databases;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	/**
	 * Create the meters of the databases' jobs.
	 * @param databases the jobs
	 */
	public SqliteBackupMetrics(BackupDatabases databases) {
		this.databases = databases;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (BackupJob job : this.databases.jobs()) {
			Gauge.builder("sqlite.backup.last.success", job, SqliteBackupMetrics::lastSuccessEpochSeconds)
				.description("When the last backup was published")
				.baseUnit("seconds")
				.tag(DATABASE, job.databaseId())
				.register(registry);
			Gauge.builder("sqlite.backup.kept", job, (measured) -> measured.backups().size())
				.description("Backups in the catalog")
				.tag(DATABASE, job.databaseId())
				.register(registry);
		}
	}

	@Override
	public void onApplicationEvent(BackupEvent event) {
		String database = event.getDatabaseId();
		if (this.databases.job(database).filter((job) -> job == event.getSource()).isEmpty()) {
			return;
		}
		if (event instanceof BackupSucceededEvent succeeded) {
			BackupManifest backup = succeeded.getBackup();
			for (MeterRegistry registry : this.registries) {
				recordDuration(registry, database, "success", succeeded.getOutcome());
				DistributionSummary.builder("sqlite.backup.size")
					.description("Size of each published backup")
					.baseUnit("bytes")
					.tag(DATABASE, database)
					.register(registry)
					.record(backup.bytes());
				Counter.builder("sqlite.backup.restarts")
					.description("Copy restarts caused by concurrent writes")
					.tag(DATABASE, database)
					.register(registry)
					.increment(backup.restarts());
				Timer.builder("sqlite.backup.writers.blocked")
					.description("How long each backup kept writers out (rollback-journal modes)")
					.tag(DATABASE, database)
					.register(registry)
					.record(succeeded.getResult().writersBlocked());
			}
		}
		else if (event instanceof BackupFailedEvent failed) {
			BackupRunOutcome outcome = failed.getOutcome();
			for (MeterRegistry registry : this.registries) {
				recordDuration(registry, database, "failure", outcome);
				Counter.builder("sqlite.backup.failures")
					.description("Backups that failed, by cause")
					.tag("cause", tag(outcome.cause()))
					.tag(DATABASE, database)
					.register(registry)
					.increment();
			}
		}
		else if (event instanceof RestoreFinishedEvent restore) {
			for (MeterRegistry registry : this.registries) {
				Counter.builder("sqlite.backup.restores")
					.description("Restore attempts, by result")
					.tag("result", tag(restore.getOutcome().status()))
					.tag(DATABASE, database)
					.register(registry)
					.increment();
			}
		}
	}

	private static void recordDuration(MeterRegistry registry, String database, String result,
			BackupRunOutcome outcome) {
		Timer.builder("sqlite.backup.duration")
			.description("Duration of backup runs")
			.tag(DATABASE, database)
			.tag("result", result)
			.register(registry)
			.record(outcome.duration());
	}

	private static String tag(@Nullable Enum<?> value) {
		return (value != null) ? value.name().toLowerCase(Locale.ROOT) : "error";
	}

	private static double lastSuccessEpochSeconds(BackupJob job) {
		BackupRunOutcome lastSuccess = job.status().lastSuccess();
		return (lastSuccess != null) ? lastSuccess.finished().toEpochMilli() / 1000.0 : Double.NaN;
	}

}
