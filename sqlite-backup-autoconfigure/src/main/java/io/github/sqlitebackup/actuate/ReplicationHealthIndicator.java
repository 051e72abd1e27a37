package io.github.sqlitebackup.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.github.sqlitebackup.replication.Replication;
import io.github.sqlitebackup.replication.ReplicatedDatabases;

/**
 * Health of one database's continuous replication ({@code sqliteReplication}): DOWN when
 * its storage has not received the database's state for longer than the allowed lag (the
 * last successful sync is older than that: the storage is unreachable, or syncs fail), UP
 * otherwise. Details: generation, last transaction, last success, lag, objects and bytes
 * written, and the last error.
 */
public class ReplicationHealthIndicator extends AbstractHealthIndicator {

	private final ReplicatedDatabases replication;

	private final String databaseId;

	private final Duration maxLag;

	private final Clock clock;

	/**
	 * Create the indicator.
	 * @param replication the replicated databases
	 * @param databaseId the database to report on
	 * @param maxLag the lag beyond which the replication is DOWN
	 * @param clock the clock to measure the lag with
	 */
	public ReplicationHealthIndicator(ReplicatedDatabases replication, String databaseId, Duration maxLag,
			Clock clock) {
		super("SQLite replication health check failed");
		this.replication = replication;
		this.databaseId = databaseId;
		this.maxLag = maxLag;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Replication.Status status = this.replication.status(this.databaseId);
		Instant now = this.clock.instant();
		if (status.generation() != null) {
			builder.withDetail("generation", status.generation()).withDetail("transaction", status.transaction());
		}
		builder.withDetail("objects", status.objects())
			.withDetail("bytes", status.bytes())
			.withDetail("queuedBytes", status.queued());
		if (status.error() != null) {
			builder.withDetail("lastError", status.error());
		}
		if (status.lastSuccess() == null) {
			builder.down().withDetail("reason", "replication has not stored anything yet");
			return;
		}
		Duration lag = Duration.between(status.lastSuccess(), now);
		builder.withDetail("lastSuccess", status.lastSuccess().toString()).withDetail("lag", lag.toString());
		if (lag.compareTo(this.maxLag) > 0) {
			builder.down()
				.withDetail("reason", "the storage has not received the database's state for " + lag
						+ ", more than the allowed " + this.maxLag);
		}
		else {
			builder.up();
		}
	}

}
