package io.github.sqlitebackup.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.actuate.SqliteBackupHealthIndicator;
import io.github.sqlitebackup.actuate.SqliteBackupMetrics;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupHealthAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupMetricsAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.support.TestDatabase;
import io.github.sqlitebackup.support.Tmpfs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restores that must refuse, fail visibly, or keep what they replace: schema migrations,
 * safety backups and their retention, a full disk, a locked database, and a database file
 * replaced behind the application's back.
 */
class RestoreSafetyTests {

	@TempDir
	Path dir;

	private Path database;

	private Path backups;

	@BeforeEach
	void createDatabase() throws Exception {
		this.database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 300_000);
		this.backups = this.dir.resolve("backups");
	}

	private ApplicationContextRunner app(Path database) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class,
					SqliteBackupHealthAutoConfiguration.class, SqliteBackupMetricsAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database, "sqlite.backup.directory=" + this.backups);
	}

	@Test
	void aBackupFromBeforeAMigrationIsRefusedUnlessForced() {
		app(this.database).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			execute(context, "CREATE TABLE flyway_schema_history (installed_rank INTEGER, version TEXT, success INTEGER)",
					"INSERT INTO flyway_schema_history VALUES (1, '1', 1)");
			BackupManifest before = job.run(BackupTrigger.MANUAL).backup();
			assertThat(before.schemaVersion().migrations()).isEqualTo("flyway 1");
			execute(context, "ALTER TABLE ledger ADD COLUMN currency TEXT",
					"INSERT INTO flyway_schema_history VALUES (2, '2', 1)");
			String live = TestDatabase.fingerprint(this.database);

			RestoreOutcome refused = job.restore(before.name(), false);
			assertThat(refused.status()).isEqualTo(RestoreOutcome.Status.REFUSED);
			assertThat(refused.reason()).contains("backup: flyway 1").contains("live: flyway 2");
			assertThat(refused.safetyBackup()).isNull();
			assertThat(TestDatabase.fingerprint(this.database)).isEqualTo(live);

			RestoreOutcome forced = job.restore(before.name(), true);
			assertThat(forced.status()).isEqualTo(RestoreOutcome.Status.RESTORED);
			assertThat(TestDatabase.fingerprint(this.database))
				.isEqualTo(TestDatabase.fingerprint(this.backups.resolve(before.name())));
		});
	}

	@Test
	void safetyBackupsHaveTheirOwnRetentionAndNeverPushOutTheRestoredBackup() {
		app(this.database).withPropertyValues("sqlite.backup.retention.keep-last=2", "sqlite.backup.retention.keep-safety=2")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				BackupManifest restored = job.run(BackupTrigger.MANUAL).backup();
				BackupManifest newer = job.run(BackupTrigger.MANUAL).backup();
				for (int i = 0; i < 3; i++) {
					RestoreOutcome outcome = job.restore(restored.name(), false);
					assertThat(outcome.status()).isEqualTo(RestoreOutcome.Status.RESTORED);
					BackupManifest safety = job.backup(outcome.safetyBackup()).orElseThrow();
					assertThat(safety.trigger()).isEqualTo(BackupTrigger.RESTORE);
				}
				assertThat(job.backups()).filteredOn(BackupManifest::isSafetyBackup).hasSize(2);
				assertThat(job.backups()).filteredOn((backup) -> !backup.isSafetyBackup())
					.extracting(BackupManifest::name)
					.containsExactly(newer.name(), restored.name());
			});
	}

	@Test
	void aRestoreThatFillsTheDiskFailsVisiblyAndKeepsItsSafetyBackup() throws Exception {
		Path live = Files.createDirectory(this.dir.resolve("live"));
		Tmpfs tmpfs = Tmpfs.mount(live, "50m");
		Assumptions.assumeTrue(tmpfs != null, "mounting a tmpfs needs root; CI runs as root");
		try (tmpfs) {
			Path database = TestDatabase.create(live.resolve("app.db"), "wal", 4096, 2_000_000);
			app(database).run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				SimpleMeterRegistry meters = new SimpleMeterRegistry();
				context.getBean(SqliteBackupMetrics.class).bindTo(meters);
				BackupManifest large = job.run(BackupTrigger.MANUAL).backup();
				execute(context, "DELETE FROM item", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)");
				String before = TestDatabase.fingerprint(database);
				// room for the restore's staging copy, not for the -wal it writes next
				tmpfs.resize((large.bytes() + 1024 * 1024) / 1024 + "k");

				RestoreOutcome failed = job.restore(large.name(), false);
				assertThat(failed.status()).as(failed.reason()).isEqualTo(RestoreOutcome.Status.FAILED);
				assertThat(failed.reason()).contains("disk is full");
				assertThat(failed.safetyBackup()).isNotNull();
				assertThat(job.backup(failed.safetyBackup())).isPresent();
				assertThat(TestDatabase.fingerprint(database)).isEqualTo(before);
				assertThat(TestDatabase.integrityCheck(database)).isEqualTo("ok");
				assertThat(job.status().lastRestore()).isEqualTo(failed);
				Health health = context.getBean(SqliteBackupHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat((String) health.getDetails().get("reason")).startsWith("the last restore failed");
				assertThat(meters.get("sqlite.backup.restores").tag("result", "failed").counter().count()).isOne();
			});
		}
	}

	@Test
	void aSafetyBackupThatCannotBeWrittenStopsTheRestore() throws Exception {
		Path backups = Files.createDirectories(this.backups);
		Tmpfs tmpfs = Tmpfs.mount(backups, "20m");
		Assumptions.assumeTrue(tmpfs != null, "mounting a tmpfs needs root; CI runs as root");
		try (tmpfs) {
			app(this.database).run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				BackupManifest backup = job.run(BackupTrigger.MANUAL).backup();
				execute(context, "INSERT INTO ledger (amount, note) VALUES (5, 'after the backup')");
				String before = TestDatabase.fingerprint(this.database);
				tmpfs.remount("ro");
				try {
					RestoreOutcome outcome = job.restore(backup.name(), false);
					assertThat(outcome.status()).isEqualTo(RestoreOutcome.Status.FAILED);
					assertThat(outcome.safetyBackup()).isNull();
					assertThat(outcome.reason()).startsWith("The safety backup before the restore failed")
						.contains("not writable");
					assertThat(TestDatabase.fingerprint(this.database)).isEqualTo(before);
				}
				finally {
					tmpfs.remount("rw");
				}
			});
		}
	}

	@Test
	void anEmptyDatabaseIsRestoredWithASafetyBackup() throws Exception {
		Path empty = this.dir.resolve("empty.db");
		try (Connection connection = TestDatabase.connect(empty); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA journal_mode=wal");
		}
		app(empty).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			BackupManifest backup = job.run(BackupTrigger.MANUAL).backup();
			assertThat(backup.pageCount()).isOne();
			RestoreOutcome outcome = job.restore(backup.name(), false);
			assertThat(outcome.status()).isEqualTo(RestoreOutcome.Status.RESTORED);
			assertThat(job.backup(outcome.safetyBackup())).isPresent();
		});
	}

	@Test
	void aLockedDatabaseFailsTheRestoreWithAReasonThatFitsItsJournalMode() {
		app(this.database).withPropertyValues("sqlite.backup.max-retries=2", "sqlite.backup.retry-sleep=10ms")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				BackupManifest backup = job.run(BackupTrigger.MANUAL).backup();
				try (Connection locker = TestDatabase.connect(this.database);
						Statement statement = locker.createStatement()) {
					statement.execute("BEGIN IMMEDIATE");
					RestoreOutcome busy = job.restore(backup.name(), false);
					statement.execute("ROLLBACK");
					assertThat(busy.status()).isEqualTo(RestoreOutcome.Status.FAILED);
					assertThat(busy.reason()).contains("SQLITE_BUSY").doesNotContain("use WAL mode");
					assertThat(job.status().lastRestore()).isEqualTo(busy);
				}
			});
	}

	@Test
	void aDatabaseFileReplacedBehindTheApplicationsBackIsNeitherBackedUpNorDamaged() throws Exception {
		Path other = TestDatabase.create(this.dir.resolve("other.db"), "delete", 4096, 100_000);
		String otherContent = TestDatabase.sha256(other);
		app(this.database).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			execute(context, "INSERT INTO ledger (amount, note) VALUES (1, 'in the WAL')");
			Path wal = this.dir.resolve("app.db-wal");
			assertThat(wal).exists();
			Files.move(other, this.database, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

			BackupRunOutcome refused = job.run(BackupTrigger.MANUAL);
			assertThat(refused.status()).isEqualTo(BackupRunOutcome.Status.FAILED);
			assertThat(refused.reason()).contains("replaced or moved behind the application's back");
			assertThat(TestDatabase.sha256(this.database)).isEqualTo(otherContent);
			assertThat(wal).exists();
			execute(context, "INSERT INTO ledger (amount, note) VALUES (1, 'the application still works')");
		});
	}

	@Test
	void aPooledPrivateInMemoryDatabaseIsNeverBackedUp() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite::memory:",
					"spring.datasource.hikari.maximum-pool-size=3", "sqlite.backup.directory=" + this.backups)
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				BackupRunOutcome outcome = job.run(BackupTrigger.SCHEDULE);
				assertThat(outcome.status()).isEqualTo(BackupRunOutcome.Status.FAILED);
				assertThat(outcome.reason()).contains("private in-memory database");
				assertThat(job.backups()).isEmpty();
			});
	}

	private static void execute(org.springframework.context.ApplicationContext context, String... statements)
			throws Exception {
		try (Connection connection = context.getBean(DataSource.class).getConnection();
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

}
