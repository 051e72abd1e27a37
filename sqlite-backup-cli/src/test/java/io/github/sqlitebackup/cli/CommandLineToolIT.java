package io.github.sqlitebackup.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupReplicationAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.LocatedBackup;
import io.github.sqlitebackup.replication.ReplicatedDatabases;
import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.S3TestServer;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged command-line tool against backups the starter made: in a local directory
 * and, compressed and age-encrypted, on an S3 API server. Listing, verification (also of a
 * damaged backup and without the identity), restores of the newest and of a named backup,
 * and its exit codes.
 */
class CommandLineToolIT {

	@TempDir
	Path dir;

	private S3TestServer server;

	private CliProcess cli;

	private Path database;

	private Path backups;

	private Path identity;

	/** Item counts at the older and the newer backup. */
	private final long[] items = new long[2];

	/** Backup names, newest first. */
	private List<String> names;

	@BeforeEach
	void makeBackupsWithTheStarter() throws Exception {
		this.server = S3TestServer.start();
		this.server.createBucket("backups");
		this.cli = new CliProcess(this.dir);
		this.database = TestDatabase.create(Files.createDirectories(this.dir.resolve("data")).resolve("app.db"), "wal",
				4096, 300_000);
		this.backups = this.dir.resolve("backups");
		this.identity = AgeTestKeys.identityFile(this.dir.resolve("age.key"), AgeTestKeys.IDENTITY);
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.database,
					"sqlite.backup.directory=" + this.backups, "sqlite.backup.remote.url=s3://backups/apps",
					"sqlite.backup.remote.endpoint=" + this.server.endpoint(),
					"sqlite.backup.remote.path-style-access=true",
					"sqlite.backup.remote.access-key-id=" + S3TestServer.ACCESS_KEY,
					"sqlite.backup.remote.secret-access-key=" + S3TestServer.SECRET_KEY,
					"sqlite.backup.remote.encryption.age-recipients=" + AgeTestKeys.RECIPIENT)
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				this.items[0] = items(this.database);
				assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
				addItems(this.database, 25);
				this.items[1] = items(this.database);
				assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
				await().atMost(Duration.ofSeconds(60))
					.until(() -> job.allBackups().stream().filter(LocatedBackup::remote).count() == 2);
				this.names = job.allBackups().stream().map((backup) -> backup.manifest().name()).toList();
			});
		addItems(this.database, 10);
	}

	@AfterEach
	void stopServer() throws Exception {
		this.server.close();
	}

	private String bucket() {
		return "s3://backups/apps/app/";
	}

	private String[] s3(String... args) {
		List<String> all = new java.util.ArrayList<>(List.of(args));
		all.addAll(List.of("--endpoint", this.server.endpoint(), "--path-style"));
		return all.toArray(String[]::new);
	}

	@Test
	void listsTheBackupsOfADirectoryAndABucket() throws Exception {
		CliProcess.Result local = this.cli.run("list", this.backups.toString(), "--json");
		assertThat(local.exitCode()).as(local.toString()).isZero();
		assertThat(JsonPath.<List<String>>read(local.out(), "$.backups[*].name")).isEqualTo(this.names);
		assertThat(JsonPath.<List<String>>read(local.out(), "$.backups[*].database")).containsOnly("app");
		assertThat(JsonPath.<List<String>>read(local.out(), "$.backups[*].stored.codec")).containsOnly("none");

		CliProcess.Result remote = this.cli.run(s3("list", bucket()));
		assertThat(remote.exitCode()).as(remote.toString()).isZero();
		assertThat(remote.out()).contains("NAME").contains(this.names.get(0)).contains(this.names.get(1));
		CliProcess.Result json = this.cli.run(s3("list", bucket(), "--json"));
		assertThat(JsonPath.<List<String>>read(json.out(), "$.backups[*].stored.codec"))
			.allSatisfy((codec) -> assertThat(codec).contains("age"));
	}

	@Test
	void verifiesEveryBackupAndNeedsTheIdentityForEncryptedOnes() throws Exception {
		CliProcess.Result local = this.cli.run("verify", this.backups.toString());
		assertThat(local.exitCode()).as(local.toString()).isZero();
		assertThat(local.out()).contains("OK      " + this.names.get(0)).contains("integrity_check ok")
			.contains("2 verified, 0 failed");

		CliProcess.Result withoutIdentity = this.cli.run(s3("verify", bucket()));
		assertThat(withoutIdentity.exitCode()).as(withoutIdentity.toString()).isEqualTo(1);
		assertThat(withoutIdentity.out()).contains("FAILED  " + this.names.get(0)).contains("--identity")
			.contains("0 verified, 2 failed");

		CliProcess.Result remote = this.cli.run(s3("verify", bucket(), "--identity", this.identity.toString(),
				"--json", "--progress"));
		assertThat(remote.exitCode()).as(remote.toString()).isZero();
		assertThat(JsonPath.<Integer>read(remote.out(), "$.verified")).isEqualTo(2);
		assertThat(JsonPath.<List<String>>read(remote.out(), "$.backups[*].status")).containsOnly("ok");
		assertThat(remote.err()).as("progress bars").contains("100%");
		assertThat(TestDatabase.fileNames(this.dir)).as("scratch files are removed")
			.noneMatch((name) -> name.startsWith("sqlite-backup-verify"));
	}

	@Test
	void aDamagedBackupFailsVerificationAndLatestFallsBackToTheOlderOne() throws Exception {
		damage(this.backups.resolve(this.names.get(0)));
		CliProcess.Result verify = this.cli.run("verify", this.backups.toString(), "--json");
		assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
		assertThat(JsonPath.<List<String>>read(verify.out(), "$.backups[?(@.status == 'failed')].name"))
			.containsExactly(this.names.get(0));

		Path restored = this.dir.resolve("new-machine/app.db");
		CliProcess.Result restore = this.cli.run("restore", this.backups.toString(), "latest", "--to",
				restored.toString());
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Restored " + this.names.get(1)).contains("Skipped newer copy "
				+ this.names.get(0));
		assertThat(items(restored)).isEqualTo(this.items[0]);
	}

	@Test
	void aBackupWithoutAUsableManifestIsReportedNotIgnored() throws Exception {
		Path newestManifest = this.backups.resolve(this.names.get(0) + ".manifest.json");
		Files.writeString(newestManifest, "{\"name\": \"truncated");
		CliProcess.Result verify = this.cli.run("verify", this.backups.toString());
		assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
		assertThat(verify.out()).contains("FAILED  " + this.names.get(0)).contains("manifest cannot be read")
			.contains("2 backups").contains("1 verified, 1 failed");
		CliProcess.Result list = this.cli.run("list", this.backups.toString());
		assertThat(list.err()).contains(this.names.get(0) + " is not a usable backup");

		Path restored = this.dir.resolve("older/app.db");
		CliProcess.Result older = this.cli.run("restore", this.backups.toString(), "latest", "--to",
				restored.toString());
		assertThat(older.exitCode()).as(older.toString()).isZero();
		assertThat(older.out()).contains("Restored " + this.names.get(1))
			.contains("Skipped newer copy " + this.names.get(0));
		CliProcess.Result named = this.cli.run("restore", this.backups.toString(), this.names.get(0), "--to",
				this.dir.resolve("named.db").toString());
		assertThat(named.exitCode()).as(named.toString()).isEqualTo(1);
		assertThat(named.err()).contains("is not usable");

		Files.delete(this.backups.resolve(this.names.get(1) + ".manifest.json"));
		Path none = this.dir.resolve("none/app.db");
		CliProcess.Result nothing = this.cli.run("restore", this.backups.toString(), "latest", "--to", none.toString());
		assertThat(nothing.exitCode()).as("backup files are there, but none usable: " + nothing).isEqualTo(1);
		assertThat(nothing.err()).contains("has no manifest").contains("manifest cannot be read");
		assertThat(none).doesNotExist();
	}

	@Test
	void restoresTheNewestEncryptedBackupFromTheBucketOnANewMachine() throws Exception {
		Path restored = this.dir.resolve("new-machine/data/app.db");
		CliProcess.Result restore = this.cli.run(s3("restore", bucket(), "latest", "--to", restored.toString(),
				"--identity", this.identity.toString(), "--json"));
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(JsonPath.<String>read(restore.out(), "$.restored.name")).isEqualTo(this.names.get(0));
		assertThat(JsonPath.<String>read(restore.out(), "$.check")).isEqualTo("full");
		assertThat(items(restored)).isEqualTo(this.items[1]);
		assertThat(TestDatabase.integrityCheck(restored)).isEqualTo("ok");
		assertThat(TestDatabase.fileNames(restored.getParent())).containsExactly("app.db");
		try (Connection connection = TestDatabase.connect(restored)) {
			assertThat(connection.createStatement().executeQuery("PRAGMA journal_mode").getString(1))
				.as("the backed-up database's journal mode").isEqualTo("wal");
		}
	}

	@Test
	void restoresANamedBackupAndReplacesAnExistingFileOnlyWithForce() throws Exception {
		String before = TestDatabase.sha256(this.database);
		CliProcess.Result refused = this.cli.run("restore", this.backups.toString(), this.names.get(1), "--to",
				this.database.toString());
		assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
		assertThat(refused.err()).contains(this.database + " exists").contains("--force");
		assertThat(TestDatabase.sha256(this.database)).isEqualTo(before);

		try (Connection application = TestDatabase.connect(this.database)) {
			assertThat(TestDatabase.queryLong(application, "SELECT count(*) FROM item")).as("the application reads")
				.isPositive();
			CliProcess.Result inUse = this.cli.run("restore", this.backups.toString(), this.names.get(1), "--to",
					this.database.toString(), "--force");
			assertThat(inUse.exitCode()).as(inUse.toString()).isEqualTo(5);
			assertThat(inUse.err()).contains("open in a running SQLite application");
		}
		assertThat(TestDatabase.sha256(this.database)).isEqualTo(before);
		CliProcess.Result otherDatabase = this.cli.run("restore", this.backups.toString(), this.names.get(1), "--to",
				this.dir.resolve("other.db").toString(), "--database", "other");
		assertThat(otherDatabase.exitCode()).as(otherDatabase.toString()).isEqualTo(4);

		CliProcess.Result forced = this.cli.run("restore", this.backups.toString(), this.names.get(1), "--to",
				this.database.toString(), "--force", "--check", "quick");
		assertThat(forced.exitCode()).as(forced.toString()).isZero();
		assertThat(forced.out()).contains("quick_check ok");
		assertThat(items(this.database)).isEqualTo(this.items[0]);
	}

	@Test
	void restoresAReplicaToItsLatestStateAndToAPointInTime() throws Exception {
		long[] counts = new long[2];
		Instant[] between = new Instant[1];
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					SqliteBackupAutoConfiguration.class, SqliteBackupReplicationAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.database,
					"sqlite.backup.directory=" + this.backups, "sqlite.backup.replication.enabled=true",
					"sqlite.backup.remote.url=s3://backups/apps", "sqlite.backup.remote.endpoint=" + this.server.endpoint(),
					"sqlite.backup.remote.path-style-access=true",
					"sqlite.backup.remote.access-key-id=" + S3TestServer.ACCESS_KEY,
					"sqlite.backup.remote.secret-access-key=" + S3TestServer.SECRET_KEY,
					"sqlite.backup.remote.encryption.age-recipients=" + AgeTestKeys.RECIPIENT)
			.run((context) -> {
				ReplicatedDatabases replicated = context.getBean(ReplicatedDatabases.class);
				addItems(this.database, 5);
				assertThat(replicated.awaitReplicated(Duration.ofSeconds(30))).isTrue();
				counts[0] = items(this.database);
				between[0] = Instant.now();
				await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(between[0].plusMillis(2)));
				addItems(this.database, 7);
				assertThat(replicated.awaitReplicated(Duration.ofSeconds(30))).isTrue();
				counts[1] = items(this.database);
			});
		String bucketReplica = "s3://backups/apps/app/replication/";
		Path latest = this.dir.resolve("latest/app.db");
		CliProcess.Result restoredLatest = this.cli.run(s3("restore", bucketReplica, "latest", "--to", latest.toString(),
				"--identity", this.identity.toString()));
		assertThat(restoredLatest.exitCode()).as(restoredLatest.toString()).isZero();
		assertThat(restoredLatest.out()).contains("as of transaction");
		assertThat(items(latest)).isEqualTo(counts[1]);

		Path earlier = this.dir.resolve("earlier/app.db");
		CliProcess.Result restoredEarlier = this.cli.run(s3("restore", bucketReplica, "latest", "--to",
				earlier.toString(), "--at", between[0].toString(), "--identity", this.identity.toString(), "--json"));
		assertThat(restoredEarlier.exitCode()).as(restoredEarlier.toString()).isZero();
		assertThat(items(earlier)).isEqualTo(counts[0]);

		Path local = this.dir.resolve("local/app.db");
		CliProcess.Result restoredLocal = this.cli.run("restore", this.backups.resolve("replication-app").toString(),
				"latest", "--to", local.toString());
		assertThat(restoredLocal.exitCode()).as(restoredLocal.toString()).isZero();
		assertThat(items(local)).isEqualTo(counts[1]);
		assertThat(this.cli.run("restore", this.backups.toString(), "latest", "--to",
				this.dir.resolve("x.db").toString(), "--at", between[0].toString()).exitCode())
			.as("--at on a backup directory").isEqualTo(2);
		assertThat(this.cli.run("restore", this.backups.resolve("replication-app").toString(), "latest", "--to",
				this.dir.resolve("y.db").toString(), "--at", "yesterday").exitCode()).as("not an instant").isEqualTo(2);
	}

	@Test
	void exitCodesSayWhatWentWrong() throws Exception {
		Path target = this.dir.resolve("restored.db");
		assertThat(this.cli.run("restore", this.backups.toString(), "app-20000101T000000Z.db", "--to",
				target.toString()).exitCode()).as("no such backup").isEqualTo(4);
		assertThat(this.cli.run("list", Files.createDirectory(this.dir.resolve("empty")).toString()).exitCode())
			.as("no backups").isEqualTo(4);
		assertThat(this.cli.run("list", this.dir.resolve("missing").toString()).exitCode()).as("no directory")
			.isEqualTo(3);
		assertThat(this.cli.run("list", "s3://backups/apps/app/", "--endpoint", "http://127.0.0.1:1", "--path-style")
			.exitCode()).as("unreachable S3 server").isEqualTo(3);
		assertThat(this.cli.run("list", "s3://", "--endpoint", this.server.endpoint()).exitCode())
			.as("not an s3 URL").isEqualTo(2);
		assertThat(this.cli.run("restore", this.backups.toString(), "latest").exitCode()).as("no --to").isEqualTo(2);
		assertThat(this.cli.run("verify", this.backups.toString(), "--temp-dir", this.dir.resolve("missing").toString())
			.exitCode()).as("no scratch directory").isEqualTo(2);
		Path oldest = this.backups.resolve(this.names.get(1));
		String oldestSha256 = TestDatabase.sha256(oldest);
		CliProcess.Result intoTheLocation = this.cli.run("restore", this.backups.toString(), "latest", "--to",
				oldest.toString(), "--force");
		assertThat(intoTheLocation.exitCode()).as(intoTheLocation.toString()).isEqualTo(2);
		assertThat(intoTheLocation.err()).contains("is in the backup directory");
		assertThat(TestDatabase.sha256(oldest)).as("the backup it would have replaced").isEqualTo(oldestSha256);
		CliProcess.Result corrupt = this.cli.run(s3("restore", bucket(), "latest", "--to", target.toString()));
		assertThat(corrupt.exitCode()).as("no identity for encrypted backups: " + corrupt).isEqualTo(1);
		assertThat(target).doesNotExist();
		assertThat(TestDatabase.fileNames(this.dir)).noneMatch((name) -> name.contains("restored.db"));
	}

	private static long items(Path file) throws SQLException {
		try (Connection connection = TestDatabase.connect(file)) {
			return TestDatabase.queryLong(connection, "SELECT count(*) FROM item");
		}
	}

	private static void addItems(Path file, int count) throws SQLException {
		try (Connection connection = TestDatabase.connect(file); Statement statement = connection.createStatement()) {
			for (int i = 0; i < count; i++) {
				statement.execute("INSERT INTO item (name, price) VALUES ('added-" + i + "', 1)");
			}
		}
	}

	private static void damage(Path file) throws IOException {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.seek(raf.length() / 2);
			raf.write(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
		}
	}

}
