package io.github.sqlitebackup.replication;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.actuate.ReplicationHealthIndicator;
import io.github.sqlitebackup.actuate.ReplicationMetrics;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupReplicationAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupReplicationHealthAutoConfiguration;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code sqliteReplication} health: UP while syncs reach the storage, DOWN once the
 * last successful one is older than the allowed lag, UP again after the next; switched
 * off the standard way. The {@code sqlite.backup.replication.*} meters.
 */
class ReplicationActuatorTests extends ReplicaTestSupport {

	@Test
	void downWhenTheStorageHasNotReceivedTheStateForLongerThanTheAllowedLag() throws Exception {
		LocalDirectoryStorage storage = LocalDirectoryStorage.open(this.replica);
		WalReplicator replicator = new WalReplicator(this.database, storage, this.replica, this.clock,
				new WalReplicator.Settings(4 * 1024 * 1024, Duration.ofSeconds(5)));
		Replication replication = new Replication(replicator, storage, this.replica, this.clock,
				new Replication.Settings(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7)), "test-health");
		ReplicatedDatabases replicated = new ReplicatedDatabases(Map.of("app", replication));
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2)) {
			replicated.start();
			ReplicationHealthIndicator health = new ReplicationHealthIndicator(replicated, "app", Duration.ofMinutes(1),
					this.clock);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

			this.clock.step(Duration.ofMinutes(2));
			Health lagging = health.health(true);
			assertThat(lagging.getStatus()).isEqualTo(Status.DOWN);
			assertThat(lagging.getDetails()).containsKey("generation").containsEntry("lag", "PT2M");
			assertThat((String) lagging.getDetails().get("reason")).contains("more than the allowed PT1M");

			assertThat(replicated.awaitReplicated(Duration.ofSeconds(30))).isTrue();
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
		}
		finally {
			replicated.stop();
		}
	}

	@Test
	void metersShowTheLagTheLogAndWhatWasWritten() throws Exception {
		LocalDirectoryStorage storage = LocalDirectoryStorage.open(this.replica);
		WalReplicator replicator = new WalReplicator(this.database, storage, this.replica, this.clock,
				new WalReplicator.Settings(4 * 1024 * 1024, Duration.ofSeconds(5)));
		ReplicatedDatabases replicated = new ReplicatedDatabases(Map.of("app", new Replication(replicator, storage,
				this.replica, this.clock,
				new Replication.Settings(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7)), "test-meters")));
		MeterRegistry registry = new SimpleMeterRegistry();
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2)) {
			replicated.start();
			new ReplicationMetrics(replicated, this.clock).bindTo(registry);
			double objects = registry.get("sqlite.backup.replication.objects").tag("database", "app").functionCounter()
				.count();
			try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute("INSERT INTO ledger (amount, note) VALUES (5, 'metered')");
			}
			this.clock.step(Duration.ofSeconds(30));
			assertThat(registry.get("sqlite.backup.replication.lag").gauge().value()).isEqualTo(30.0);
			assertThat(registry.get("sqlite.backup.replication.wal.size").gauge().value()).isPositive();
			assertThat(registry.get("sqlite.backup.replication.queued").tag("database", "app").gauge().value())
				.as("nothing waits without a remote storage").isZero();
			assertThat(replicated.awaitReplicated(Duration.ofSeconds(30))).isTrue();
			assertThat(registry.get("sqlite.backup.replication.lag").gauge().value()).isZero();
			assertThat(registry.get("sqlite.backup.replication.transactions").gauge().value()).isEqualTo(1.0);
			assertThat(registry.get("sqlite.backup.replication.objects").functionCounter().count())
				.isEqualTo(objects + 1);
			assertThat(registry.get("sqlite.backup.replication.bytes").functionCounter().count()).isPositive();
		}
		finally {
			replicated.stop();
		}
	}

	@Test
	void theHealthContributorComesWithReplicationAndGoesTheStandardWay() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					SqliteBackupAutoConfiguration.class, SqliteBackupReplicationAutoConfiguration.class,
					SqliteBackupReplicationHealthAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.database,
					"sqlite.backup.directory=" + this.dir.resolve("backups"));
		runner.run((context) -> assertThat(context).doesNotHaveBean("sqliteReplicationHealthContributor"));
		runner.withPropertyValues("sqlite.backup.replication.enabled=true")
			.run((context) -> assertThat(context).getBean("sqliteReplicationHealthContributor")
				.isInstanceOf(ReplicationHealthIndicator.class));
		runner
			.withPropertyValues("sqlite.backup.replication.enabled=true",
					"management.health.sqlitereplication.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("sqliteReplicationHealthContributor"));
	}

}
