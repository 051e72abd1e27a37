package io.github.sqlitebackup.actuate;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.ApplicationListener;

import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.offsite.BackupUploadFailedEvent;
import io.github.sqlitebackup.offsite.BackupUploadedEvent;
import io.github.sqlitebackup.offsite.OffsiteEvent;
import io.github.sqlitebackup.offsite.OffsiteStatus;

/**
 * Micrometer meters of the off-site copies:
 * <ul>
 * <li>{@code sqlite.backup.upload.duration} (timer; tag {@code result}: {@code success} or
 * {@code failure}): each upload attempt, encoding included;</li>
 * <li>{@code sqlite.backup.upload.bytes} (counter, bytes; tag {@code form}: {@code plain}
 * for the SQLite files uploaded, {@code stored} for what went over the wire);</li>
 * <li>{@code sqlite.backup.upload.failures} (counter; tag {@code cause}:
 * {@code access_denied}, {@code not_found}, {@code unreachable}, {@code server_error},
 * {@code rejected}, {@code local_backup} or {@code error});</li>
 * <li>{@code sqlite.backup.uploads.pending} (gauge): backups waiting to be uploaded.</li>
 * </ul>
 * Every meter has the tag {@code database}: the id of the database it is about.
 */
public class SqliteBackupOffsiteMetrics implements MeterBinder, ApplicationListener<OffsiteEvent> {

	private static final String DATABASE = "database";

	private final BackupDatabases databases;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	/**
	 * Create the meters of the databases' off-site copies.
	 * @param databases the jobs; those without off-site copies have no meters
	 */
	public SqliteBackupOffsiteMetrics(BackupDatabases databases) {
		this.databases = databases;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (BackupJob job : this.databases.jobs()) {
			if (job.offsiteStatus().isPresent()) {
				Gauge.builder("sqlite.backup.uploads.pending", job,
						(measured) -> measured.offsiteStatus().map(OffsiteStatus::pendingUploads).orElse(0))
					.description("Backups waiting to be uploaded off-site")
					.tag(DATABASE, job.databaseId())
					.register(registry);
			}
		}
	}

	@Override
	public void onApplicationEvent(OffsiteEvent event) {
		String database = event.getDatabaseId();
		if (this.databases.job(database).isEmpty()) {
			return;
		}
		for (MeterRegistry registry : this.registries) {
			if (event instanceof BackupUploadedEvent uploaded) {
				BackupManifest backup = uploaded.getUpload().backup();
				duration(registry, database, "success").record(uploaded.getUpload().duration());
				bytes(registry, database, "plain").increment(backup.bytes());
				bytes(registry, database, "stored").increment(backup.stored().bytes());
			}
			else if (event instanceof BackupUploadFailedEvent failed) {
				duration(registry, database, "failure").record(failed.getFailure().duration());
				Counter.builder("sqlite.backup.upload.failures")
					.description("Failed upload attempts, by cause")
					.tag(DATABASE, database)
					.tag("cause", failed.getFailure().cause().name().toLowerCase(Locale.ROOT))
					.register(registry)
					.increment();
			}
		}
	}

	private static Timer duration(MeterRegistry registry, String database, String result) {
		return Timer.builder("sqlite.backup.upload.duration")
			.description("Duration of upload attempts")
			.tag(DATABASE, database)
			.tag("result", result)
			.register(registry);
	}

	private static Counter bytes(MeterRegistry registry, String database, String form) {
		return Counter.builder("sqlite.backup.upload.bytes")
			.description("Bytes of backups uploaded, as plain SQLite files and as stored")
			.baseUnit("bytes")
			.tag(DATABASE, database)
			.tag("form", form)
			.register(registry);
	}

}
