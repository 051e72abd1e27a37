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
 */
public class SqliteBackupOffsiteMetrics implements MeterBinder, ApplicationListener<OffsiteEvent> {

	private final BackupJob job;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	/**
	 * Create the meters of a job's off-site copies.
	 * @param job the backup job
	 */
	public SqliteBackupOffsiteMetrics(BackupJob job) {
		this.job = job;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		Gauge.builder("sqlite.backup.uploads.pending", this,
				(metrics) -> metrics.job.offsiteStatus().map(OffsiteStatus::pendingUploads).orElse(0))
			.description("Backups waiting to be uploaded off-site")
			.register(registry);
	}

	@Override
	public void onApplicationEvent(OffsiteEvent event) {
		if (!event.getDatabaseId().equals(this.job.databaseId())) {
			return;
		}
		for (MeterRegistry registry : this.registries) {
			if (event instanceof BackupUploadedEvent uploaded) {
				BackupManifest backup = uploaded.getUpload().backup();
				duration(registry, "success").record(uploaded.getUpload().duration());
				bytes(registry, "plain").increment(backup.bytes());
				bytes(registry, "stored").increment(backup.stored().bytes());
			}
			else if (event instanceof BackupUploadFailedEvent failed) {
				duration(registry, "failure").record(failed.getFailure().duration());
				Counter.builder("sqlite.backup.upload.failures")
					.description("Failed upload attempts, by cause")
					.tag("cause", failed.getFailure().cause().name().toLowerCase(Locale.ROOT))
					.register(registry)
					.increment();
			}
		}
	}

	private static Timer duration(MeterRegistry registry, String result) {
		return Timer.builder("sqlite.backup.upload.duration")
			.description("Duration of upload attempts")
			.tag("result", result)
			.register(registry);
	}

	private static Counter bytes(MeterRegistry registry, String form) {
		return Counter.builder("sqlite.backup.upload.bytes")
			.description("Bytes of backups uploaded, as plain SQLite files and as stored")
			.baseUnit("bytes")
			.tag("form", form)
			.register(registry);
	}

}
