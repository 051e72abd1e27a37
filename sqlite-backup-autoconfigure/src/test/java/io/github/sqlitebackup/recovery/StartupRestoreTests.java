package io.github.sqlitebackup.recovery;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.util.FileSystemUtils;

import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupStartupRestoreAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.S3TestServer;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sqlite.backup.restore.on-startup=if-missing}: a database whose file is missing is
 * restored from its newest usable backup (local or, encrypted and compressed, from an S3
 * API server) before {@code schema.sql} runs; damaged backups fall back to older ones;
 * nothing usable, an unreachable bucket, or a WAL left beside the missing file stop
 * start-up; an existing database is never touched.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRestoreTests {

	@TempDir
	Path dir;

	private S3TestServer server;

	private Path database;

	private Path backups;

	@BeforeEach
	void start() throws Exception {
		this.server = S3TestServer.start();
		this.server.createBucket("backups");
		this.database = TestDatabase.create(Files.createDirectories(this.dir.resolve("data")).resolve("app.db"), "wal",
				4096, 200_000);
		this.backups = this.dir.resolve("backups");
	}

	@AfterEach
	void stop() throws Exception {
		this.server.close();
	}

	private ApplicationContextRunner local() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceInitializationAutoConfiguration.class, SqliteBackupAutoConfiguration.class,
					SqliteBackupStartupRestoreAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.database,
					"sqlite.backup.directory=" + this.backups, "sqlite.backup.restore.on-startup=if-missing");
	}

	private ApplicationContextRunner remote() throws IOException {
		Path identity = AgeTestKeys.identityFile(this.dir.resolve("age.key"), AgeTestKeys.IDENTITY);
		return local().withPropertyValues("sqlite.backup.remote.url=s3://backups/apps",
				"sqlite.backup.remote.endpoint=" + this.server.endpoint(), "sqlite.backup.remote.path-style-access=true",
				"sqlite.backup.remote.access-key-id=" + S3TestServer.ACCESS_KEY,
				"sqlite.backup.remote.secret-access-key=" + S3TestServer.SECRET_KEY,
				"sqlite.backup.remote.encryption.age-recipients=" + AgeTestKeys.RECIPIENT,
				"sqlite.backup.remote.encryption.age-identity-file=" + identity);
	}

	@Test
	void aMissingDatabaseIsRestoredFromTheBucketBeforeSchemaSqlRuns(CapturedOutput output) throws Exception {
		long[] itemsAtBackup = new long[1];
		remote().run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			insertItem(context.getBean(DataSource.class));
			itemsAtBackup[0] = items(context.getBean(DataSource.class));
			assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> job.allBackups().stream().filter((backup) -> backup.remote()).count() == 2);
			insertItem(context.getBean(DataSource.class));
		});
		loseTheMachine();
		Path schema = Files.writeString(this.dir.resolve("schema.sql"),
				"CREATE TABLE IF NOT EXISTS started (at TEXT);\nINSERT INTO started VALUES ('after the restore');\n");
		remote().withPropertyValues("spring.sql.init.mode=always", "spring.sql.init.schema-locations=file:" + schema)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(items(dataSource)).as("the newest uploaded backup's rows").isEqualTo(itemsAtBackup[0]);
				try (Connection connection = dataSource.getConnection()) {
					assertThat(TestDatabase.queryLong(connection, "SELECT count(*) FROM started"))
						.as("schema.sql ran on the restored database").isEqualTo(1);
					assertThat(connection.createStatement().executeQuery("PRAGMA journal_mode").getString(1))
						.isEqualTo("wal");
				}
				assertThat(TestDatabase.integrityCheck(this.database)).isEqualTo("ok");
			});
		assertThat(output).contains("Restored database 'app' (" + this.database + ") from backup app-")
			.contains("in s3://backups/apps/app/")
			.contains("ago: writes after it are lost")
			.contains("ms for integrity_check");
	}

	@Test
	void aDamagedNewestBackupFallsBackToTheOlderOne(CapturedOutput output) throws Exception {
		List<BackupManifest> made = twoLocalBackups();
		damage(this.backups.resolve(made.get(0).name()));
		loseTheDatabase();
		local().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(TestDatabase.fingerprint(this.database)).isEqualTo(fingerprintOf(made.get(1)));
		});
		assertThat(output).contains("Cannot restore backup " + made.get(0).name())
			.contains("from backup " + made.get(1).name())
			.contains("skipped newer copies: " + made.get(0).name());
	}

	@Test
	void whenNoBackupIsUsableStartupFailsSayingWhatWasTriedAndWritesNothing() throws Exception {
		List<BackupManifest> made = twoLocalBackups();
		damage(this.backups.resolve(made.get(0).name()));
		damage(this.backups.resolve(made.get(1).name()));
		loseTheDatabase();
		local().run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(RecoveryFailedException.class)
				.hasMessageContaining("None of the 2 copies")
				.hasMessageContaining(made.get(0).name())
				.hasMessageContaining(made.get(1).name());
		});
		assertThat(this.database).doesNotExist();
		assertThat(TestDatabase.fileNames(this.database.getParent())).isEmpty();
	}

	@Test
	void backupFilesWithoutUsableManifestsStopStartupInsteadOfAnEmptyStart() throws Exception {
		List<BackupManifest> made = twoLocalBackups();
		Files.writeString(this.backups.resolve(made.get(0).name() + ".manifest.json"), "{");
		Files.delete(this.backups.resolve(made.get(1).name() + ".manifest.json"));
		loseTheDatabase();
		local().run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(RecoveryFailedException.class)
				.hasMessageContaining("2 backup files without a usable manifest")
				.hasMessageContaining(made.get(0).name())
				.hasMessageContaining(made.get(1).name());
		});
		assertThat(this.database).as("no empty database to start on").doesNotExist();
	}

	@Test
	void withoutAnyBackupTheApplicationStartsEmptyAndSaysSo(CapturedOutput output) throws Exception {
		loseTheDatabase();
		local().run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("No verified backup of database 'app'")
			.contains("the application starts with an empty database " + this.database);
	}

	@Test
	void anUnreachableBucketStopsStartupRatherThanRestoringAnOlderLocalBackup() throws Exception {
		remote().run((context) -> assertThat(context.getBean(BackupJob.class).run(BackupTrigger.MANUAL).status())
			.isEqualTo(BackupRunOutcome.Status.SUCCEEDED));
		loseTheDatabase();
		this.server.stop();
		remote().run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("sqlite.backup.remote");
		});
		assertThat(this.database).doesNotExist();
	}

	@Test
	void anExistingDatabaseIsNeverTouched() throws Exception {
		twoLocalBackups();
		insertItem(this.database);
		String before = TestDatabase.sha256(this.database);
		local().run((context) -> assertThat(context).hasNotFailed());
		assertThat(TestDatabase.sha256(this.database)).isEqualTo(before);
	}

	@Test
	void aWalLeftBesideTheMissingDatabaseStopsStartupAndIsKept() throws Exception {
		twoLocalBackups();
		loseTheDatabase();
		Path wal = Files.write(this.dir.resolve("data/app.db-wal"), new byte[4096]);
		local().run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(wal.toString())
				.hasMessageContaining("move it away");
		});
		assertThat(wal).hasSize(4096);
		assertThat(this.database).doesNotExist();
	}

	@Test
	void aSecondDatabaseNamedByItsBeanIsRestoredFromItsOwnBackups() throws Exception {
		Path events = TestDatabase.create(this.dir.resolve("data/events.db"), "delete", 1024, 50_000);
		ApplicationContextRunner runner = local().withUserConfiguration(TwoDataSources.class)
			.withPropertyValues("sqlite.backup.databases.events.data-source=eventsDataSource",
					"events.path=" + events);
		String[] fingerprints = new String[2];
		runner.run((context) -> {
			for (BackupJob job : context.getBean(BackupDatabases.class).jobs()) {
				assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			}
			fingerprints[0] = TestDatabase.fingerprint(this.database);
			fingerprints[1] = TestDatabase.fingerprint(events);
		});
		Files.delete(events);
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(TestDatabase.fingerprint(events)).isEqualTo(fingerprints[1]);
			assertThat(TestDatabase.fingerprint(this.database)).isEqualTo(fingerprints[0]);
		});
	}

	private List<BackupManifest> twoLocalBackups() {
		local().run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			insertItem(context.getBean(DataSource.class));
			assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
		});
		return new BackupCatalog(LocalDirectoryStorage.open(this.backups),
				new DatabaseIdentity("app", this.database.toString()))
			.entries();
	}

	private String fingerprintOf(BackupManifest backup) throws Exception {
		return TestDatabase.fingerprint(this.backups.resolve(backup.name()));
	}

	private void loseTheDatabase() throws IOException {
		for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
			Files.deleteIfExists(this.dir.resolve("data/app.db" + suffix));
		}
	}

	private void loseTheMachine() throws IOException {
		FileSystemUtils.deleteRecursively(this.dir.resolve("data"));
		FileSystemUtils.deleteRecursively(this.backups);
	}

	/** Overwrite bytes in the middle of a file, keeping its size: only its checksum tells. */
	private static void damage(Path file) throws IOException {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.seek(raf.length() / 2);
			raf.write(new byte[512]);
		}
	}

	private static void insertItem(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection()) {
			connection.createStatement().execute("INSERT INTO item (name, price) VALUES ('added', 1)");
		}
	}

	private static void insertItem(Path database) throws Exception {
		try (Connection connection = TestDatabase.connect(database)) {
			connection.createStatement().execute("INSERT INTO item (name, price) VALUES ('added', 1)");
		}
	}

	private static long items(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection()) {
			return TestDatabase.queryLong(connection, "SELECT count(*) FROM item");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSources {

		@Bean
		@Primary
		HikariDataSource appDataSource(Environment environment) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(environment.getRequiredProperty("spring.datasource.url"));
			return dataSource;
		}

		@Bean(destroyMethod = "close")
		HikariDataSource eventsDataSource(Environment environment) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:sqlite:" + environment.getRequiredProperty("events.path"));
			return dataSource;
		}

	}

}
