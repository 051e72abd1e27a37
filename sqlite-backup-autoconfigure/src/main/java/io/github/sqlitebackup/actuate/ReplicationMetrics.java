package io.github.sqlitebackup.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.sqlitebackup.replication.Replication;
import io.github.sqlitebackup.replication.ReplicatedDatabases;

/**
 * Micrometer meters of continuous replication, each with the tag {@code database}:
 * <ul>
 * <li>{@code sqlite.backup.replication.lag} (gauge, seconds): how long since the storage
 * last received the database's state;</li>
 * <li>{@code sqlite.backup.replication.queued} (gauge, bytes): the lag in bytes: what
 * waits in the replica directory for the remote storage (bounded by
 * {@code local-max-size});</li>
 * <li>{@code sqlite.backup.replication.wal.size} (gauge, bytes): the database's
 * write-ahead log;</li>
 * <li>{@code sqlite.backup.replication.transactions} (gauge): the last transaction shipped
 * in the current generation;</li>
 * <li>{@code sqlite.backup.replication.objects} and {@code sqlite.backup.replication.bytes}
 * (counters): objects (write requests) and bytes written to the replica directory.</li>
 * </ul>
 */
public class ReplicationMetrics implements MeterBinder {

	private static final String DATABASE = "database";

	private final ReplicatedDatabases replicated;

	private final Clock clock;

	/**
	 * Create the meters.
	 * @param replicated the replicated databases
	 * @param clock the clock to measure the lag with
	 */
	public ReplicationMetrics(ReplicatedDatabases replicated, Clock clock) {
		this.replicated = replicated;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String id : this.replicated.databaseIds()) {
			Gauge.builder("sqlite.backup.replication.lag", this.replicated, (measured) -> lagSeconds(measured, id))
				.description("Seconds since the storage last received the database's state")
				.baseUnit("seconds")
				.tag(DATABASE, id)
				.register(registry);
			Gauge.builder("sqlite.backup.replication.queued", this.replicated,
					(measured) -> measured.status(id).queued())
				.description("Bytes waiting in the replica directory for the remote storage")
				.baseUnit("bytes")
				.tag(DATABASE, id)
				.register(registry);
			Path wal = Path.of(this.replicated.databaseFile(id) + "-wal");
			Gauge.builder("sqlite.backup.replication.wal.size", wal, ReplicationMetrics::size)
				.description("Size of the database's write-ahead log")
				.baseUnit("bytes")
				.tag(DATABASE, id)
				.register(registry);
			Gauge.builder("sqlite.backup.replication.transactions", this.replicated,
					(measured) -> measured.status(id).transaction())
				.description("The last transaction shipped in the current generation")
				.tag(DATABASE, id)
				.register(registry);
			FunctionCounter.builder("sqlite.backup.replication.objects", this.replicated,
					(measured) -> measured.status(id).objects())
				.description("Objects written by replication (write requests)")
				.tag(DATABASE, id)
				.register(registry);
			FunctionCounter.builder("sqlite.backup.replication.bytes", this.replicated,
					(measured) -> measured.status(id).bytes())
				.description("Bytes written by replication")
				.baseUnit("bytes")
				.tag(DATABASE, id)
				.register(registry);
		}
	}

	private double lagSeconds(ReplicatedDatabases measured, String id) {
		Replication.Status status = measured.status(id);
		if (status.lastSuccess() == null) {
			return Double.NaN;
		}
		return Duration.between(status.lastSuccess(), this.clock.instant()).toMillis() / 1000.0;
	}

	private static double size(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			return Double.NaN;
		}
	}

}
