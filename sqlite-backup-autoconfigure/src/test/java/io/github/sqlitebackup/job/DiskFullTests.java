package io.github.sqlitebackup.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.actuate.SqliteBackupHealthIndicator;
import io.github.sqlitebackup.actuate.SqliteBackupMetrics;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupHealthAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupMetricsAutoConfiguration;
import io.github.sqlitebackup.job.BackupRunOutcome.Status;
import io.github.sqlitebackup.support.TestDatabase;
import io.github.sqlitebackup.support.Tmpfs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup directory on a real file system that runs out of space: the backup fails with
 * a clear error, nothing partial is published, earlier backups stay intact, health goes
 * DOWN, the failure is counted, the application keeps working, and the next backup
 * succeeds once there is space again.
 */
class DiskFullTests {

	@TempDir
	Path dir;

	@Test
	void fullBackupDirectory() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 800_000);
		Path backups = Files.createDirectory(this.dir.resolve("backups"));
		Tmpfs tmpfs = Tmpfs.mount(backups, "3m");
		Assumptions.assumeTrue(tmpfs != null, "mounting a tmpfs needs root; CI runs as root");
		try (tmpfs) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
						SqliteBackupAutoConfiguration.class, SqliteBackupHealthAutoConfiguration.class,
						SqliteBackupMetricsAutoConfiguration.class))
				.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database,
						"sqlite.backup.directory=" + backups, "sqlite.backup.health.max-age=1h")
				.run((context) -> {
					BackupJob job = context.getBean(BackupJob.class);
					SqliteBackupHealthIndicator health = context.getBean(SqliteBackupHealthIndicator.class);
					SimpleMeterRegistry meters = new SimpleMeterRegistry();
					context.getBean(SqliteBackupMetrics.class).bindTo(meters);

					BackupManifest first = job.run(BackupTrigger.SCHEDULE).backup();
					assertThat(health.health(true).getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
					grow(context.getBean(DataSource.class), 6_000_000);

					BackupRunOutcome full = job.run(BackupTrigger.SCHEDULE);
					assertThat(full.status()).isEqualTo(Status.FAILED);
					assertThat(full.reason()).containsIgnoringCase("full");
					assertThat(TestDatabase.fileNames(backups)).containsExactlyInAnyOrder(first.name(),
							first.name() + BackupNames.MANIFEST_SUFFIX);
					assertThat(TestDatabase.sha256(backups.resolve(first.name()))).isEqualTo(first.sha256());
					assertThat(job.backups()).containsExactly(first);
					assertThat(health.health(true).getStatus())
						.isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
					assertThat(meters.get("sqlite.backup.failures").tag("cause", "disk_full").counter().count()).isOne();
					try (Connection connection = context.getBean(DataSource.class).getConnection();
							Statement statement = connection.createStatement()) {
						statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'still serving')");
					}

					tmpfs.resize("50m");
					BackupRunOutcome recovered = job.run(BackupTrigger.SCHEDULE);
					assertThat(recovered.status()).isEqualTo(Status.SUCCEEDED);
					assertThat(TestDatabase.integrityCheck(backups.resolve(recovered.backup().name()))).isEqualTo("ok");
					assertThat(health.health(true).getStatus())
						.isEqualTo(org.springframework.boot.health.contributor.Status.UP);
				});
		}
	}

	private static void grow(DataSource dataSource, int bytes) throws Exception {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < "
					+ (bytes / 2000) + ") INSERT INTO item (name, data) SELECT 'filler ' || x, randomblob(2000) FROM n");
		}
	}

}
