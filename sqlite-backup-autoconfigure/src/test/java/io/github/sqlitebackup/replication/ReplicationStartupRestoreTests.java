package io.github.sqlitebackup.replication;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupReplicationAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupStartupRestoreAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restore on start-up with replication: a missing database comes back from its replication
 * when that is newer than its newest backup (so writes after the backup survive), from the
 * backup when the replication cannot be read.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReplicationStartupRestoreTests {

	@TempDir
	Path dir;

	private Path database;

	@BeforeEach
	void createDatabase() throws Exception {
		this.database = TestDatabase.create(Files.createDirectories(this.dir.resolve("data")).resolve("app.db"), "wal",
				4096, 100_000);
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					SqliteBackupAutoConfiguration.class, SqliteBackupReplicationAutoConfiguration.class,
					SqliteBackupStartupRestoreAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.database,
					"sqlite.backup.directory=" + this.dir.resolve("backups"), "sqlite.backup.replication.enabled=true",
					"sqlite.backup.restore.on-startup=if-missing");
	}

	@Test
	void writesAfterTheNewestBackupComeBackFromTheReplication(CapturedOutput output) throws Exception {
		long[] ledger = backupThenReplicateOneMoreEntry();
		loseTheDatabase();
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(ledgerEntries(context.getBean(DataSource.class))).isEqualTo(ledger[1]);
		});
		assertThat(output).contains("from its replication in directory");
	}

	@Test
	void aReplicationThatCannotBeReadFallsBackToTheBackup(CapturedOutput output) throws Exception {
		long[] ledger = backupThenReplicateOneMoreEntry();
		loseTheDatabase();
		try (Stream<Path> objects = Files.list(this.dir.resolve("backups/replication-app"))) {
			for (Path object : objects.toList()) {
				Files.write(object, new byte[] { 'x' });
			}
		}
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(ledgerEntries(context.getBean(DataSource.class))).isEqualTo(ledger[0]);
		});
		assertThat(output).contains("Cannot restore database 'app' from its replication").contains("trying its backups");
	}

	/** Returns the ledger's entries at the backup and at the end. */
	private long[] backupThenReplicateOneMoreEntry() {
		long[] ledger = new long[2];
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(context.getBean(BackupJob.class).run(BackupTrigger.MANUAL).status())
				.isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			ledger[0] = ledgerEntries(dataSource);
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute("INSERT INTO ledger (amount, note) VALUES (99, 'after the backup')");
			}
			assertThat(context.getBean(ReplicatedDatabases.class).awaitReplicated(Duration.ofSeconds(30))).isTrue();
			ledger[1] = ledgerEntries(dataSource);
		});
		assertThat(ledger[1]).isEqualTo(ledger[0] + 1);
		return ledger;
	}

	private void loseTheDatabase() throws Exception {
		for (String suffix : new String[] { "", "-wal", "-shm" }) {
			Files.deleteIfExists(Path.of(this.database + suffix));
		}
	}

	private static long ledgerEntries(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection()) {
			return TestDatabase.queryLong(connection, "SELECT count(*) FROM ledger");
		}
	}

}
