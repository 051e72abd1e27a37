package io.github.sqlitebackup.replication;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupReplicationAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.RestoreOutcome;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.offsite.BackupNotReadableException;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.storage.s3.S3Location;
import io.github.sqlitebackup.storage.s3.S3Storage;
import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.S3TestServer;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code sqlite.backup.replication.*}: off by default; on, the primary database's committed
 * transactions reach its replica directory and the bucket (compressed and encrypted there
 * like the backups), and restore from either; a
 * database that is not in WAL mode or a bad value stops start-up naming the property.
 */
class ReplicationConfigurationTests {

	private static final OfflineRestore.Settings RESTORE = new OfflineRestore.Settings(Verification.FULL,
			OfflineRestore.Mode.IF_MISSING, true);

	private static final BackupDecoder PLAIN = new BackupDecoder(List.of());

	@TempDir
	Path dir;

	private S3TestServer server;

	private Path database;

	private Path backups;

	@BeforeEach
	void start() throws Exception {
		this.server = S3TestServer.start();
		this.server.createBucket("backups");
		this.database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		this.backups = this.dir.resolve("backups");
	}

	@AfterEach
	void stop() throws Exception {
		this.server.close();
	}

	private ApplicationContextRunner runner(Path database) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					SqliteBackupAutoConfiguration.class, SqliteBackupReplicationAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database,
					"sqlite.backup.directory=" + this.backups);
	}

	private static String fingerprint(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection()) {
			return TestDatabase.fingerprint(connection);
		}
	}

	@Test
	void offByDefault() {
		runner(this.database).run((context) -> assertThat(context).doesNotHaveBean(ReplicatedDatabases.class));
	}

	@Test
	void replicatesThePrimaryDatabaseToItsReplicaDirectoryAndTheBucket() {
		runner(this.database)
			.withPropertyValues("sqlite.backup.replication.enabled=true", "sqlite.backup.remote.url=s3://backups/apps",
					"sqlite.backup.remote.endpoint=" + this.server.endpoint(),
					"sqlite.backup.remote.path-style-access=true",
					"sqlite.backup.remote.access-key-id=" + S3TestServer.ACCESS_KEY,
					"sqlite.backup.remote.secret-access-key=" + S3TestServer.SECRET_KEY,
					"sqlite.backup.remote.encryption.age-recipients=" + AgeTestKeys.RECIPIENT)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReplicatedDatabases replicated = context.getBean(ReplicatedDatabases.class);
				assertThat(replicated.databaseIds()).containsExactly("app");
				DataSource dataSource = context.getBean(DataSource.class);
				try (Connection connection = dataSource.getConnection();
						Statement statement = connection.createStatement()) {
					statement.execute("INSERT INTO ledger (amount, note) VALUES (42, 'must not be lost')");
				}
				assertThat(replicated.awaitReplicated(Duration.ofSeconds(30))).isTrue();
				String live;
				try (Connection connection = dataSource.getConnection()) {
					live = TestDatabase.fingerprint(connection);
				}
				Path fromDirectory = this.dir.resolve("from-directory.db");
				ReplicaRestore.restore(LocalDirectoryStorage.open(this.backups.resolve("replication-app")), PLAIN,
						fromDirectory, null, RESTORE);
				assertThat(TestDatabase.fingerprint(fromDirectory)).isEqualTo(live);
				Path fromBucket = this.dir.resolve("from-bucket.db");
				try (S3Client client = this.server.client()) {
					S3Storage bucket = new S3Storage(client, S3Location.parse("s3://backups/apps/app/replication"),
							S3Storage.MIN_PART_SIZE);
					assertThat(bucket.list()).isNotEmpty()
						.allSatisfy((object) -> assertThat(object.key()).endsWith(".zstd-age"));
					assertThatExceptionOfType(BackupNotReadableException.class)
						.isThrownBy(() -> ReplicaRestore.restore(bucket, PLAIN, fromBucket, null, RESTORE))
						.withMessageContaining("age");
					ReplicaRestore.restore(bucket, new BackupDecoder(List.of(AgeTestKeys.IDENTITY)), fromBucket, null,
							RESTORE);
				}
				assertThat(TestDatabase.fingerprint(fromBucket)).isEqualTo(live);
			});
	}

	@Test
	void aRestoreOfTheLiveDatabaseIsReplicatedAndTheStateBeforeItStaysRestorable() {
		runner(this.database).withPropertyValues("sqlite.backup.replication.enabled=true").run((context) -> {
			assertThat(context).hasNotFailed();
			ReplicatedDatabases replicated = context.getBean(ReplicatedDatabases.class);
			DataSource dataSource = context.getBean(DataSource.class);
			BackupJob job = context.getBean(BackupJob.class);
			BackupRunOutcome backup = job.run(BackupTrigger.MANUAL);
			assertThat(backup.status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			String atBackup = fingerprint(dataSource);
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute("INSERT INTO ledger (amount, note) VALUES (13, 'undone by the restore')");
			}
			assertThat(replicated.awaitReplicated(Duration.ofSeconds(30))).isTrue();
			String beforeRestore = fingerprint(dataSource);
			Instant beforeRestoreAt = Instant.now();
			await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(beforeRestoreAt.plusMillis(2)));

			assertThat(job.restore(backup.backup().name(), true).status()).isEqualTo(RestoreOutcome.Status.RESTORED);
			assertThat(fingerprint(dataSource)).isEqualTo(atBackup);
			assertThat(replicated.awaitReplicated(Duration.ofSeconds(30))).isTrue();

			LocalDirectoryStorage replica = LocalDirectoryStorage.open(this.backups.resolve("replication-app"));
			Path latest = this.dir.resolve("latest.db");
			ReplicaRestore.restore(replica, PLAIN, latest, null, RESTORE);
			assertThat(TestDatabase.fingerprint(latest)).as("the restored state").isEqualTo(atBackup);
			Path before = this.dir.resolve("before.db");
			ReplicaRestore.restore(replica, PLAIN, before, beforeRestoreAt, RESTORE);
			assertThat(TestDatabase.fingerprint(before)).as("the state just before the restore").isEqualTo(beforeRestore);
		});
	}

	@Test
	void aDatabaseNotInWalModeStopsStartUpNamingTheProperty() throws Exception {
		Path rollback = TestDatabase.create(Files.createDirectories(this.dir.resolve("rollback")).resolve("app.db"),
				"delete", 4096, 10_000);
		runner(rollback).withPropertyValues("sqlite.backup.replication.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("sqlite.backup.replication.enabled")
				.hasStackTraceContaining("journal mode delete"));
	}

	@Test
	void aBadValueStopsStartUpNamingTheProperty() {
		runner(this.database).withPropertyValues("sqlite.backup.replication.enabled=true",
				"sqlite.backup.replication.sync-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("sqlite.backup.replication.sync-interval")
				.hasStackTraceContaining("must be positive"));
	}

}
