package io.github.sqlitebackup.offsite;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.actuate.SqliteBackupHealthIndicator;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.LocatedBackup;
import io.github.sqlitebackup.job.RestoreOutcome;
import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.S3TestServer;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Off-site copies end to end against a real S3 API server (S3Proxy, signatures checked):
 * the auto-configured job uploads, lists, restores from the remote copy, keeps only remote
 * copies when asked, queues through an outage and catches up after it.
 */
class OffsiteCopiesTests {

	@TempDir
	Path dir;

	private S3TestServer server;

	private Path database;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() throws Exception {
		this.server = S3TestServer.start();
		this.server.createBucket("backups");
		this.database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 3_000_000);
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.database,
					"sqlite.backup.directory=" + this.dir.resolve("backups"), "sqlite.backup.remote.url=s3://backups/apps",
					"sqlite.backup.remote.endpoint=" + this.server.endpoint(),
					"sqlite.backup.remote.path-style-access=true",
					"sqlite.backup.remote.access-key-id=" + S3TestServer.ACCESS_KEY,
					"sqlite.backup.remote.secret-access-key=" + S3TestServer.SECRET_KEY,
					"sqlite.backup.remote.retry.initial-backoff=50ms", "sqlite.backup.remote.retry.max-backoff=200ms");
	}

	@AfterEach
	void stop() throws Exception {
		this.server.close();
	}

	@ParameterizedTest
	@CsvSource({ "none,false", "gzip,false", "zstd,false", "none,true", "gzip,true", "zstd,true" })
	void backupUploadListAndRestoreFromTheRemoteCopy(String compression, boolean encrypted) throws Exception {
		Path key = AgeTestKeys.identityFile(this.dir.resolve("key.txt"), AgeTestKeys.IDENTITY);
		List<String> properties = new ArrayList<>(List.of("sqlite.backup.remote.compression=" + compression,
				"sqlite.backup.restore.enabled=true"));
		if (encrypted) {
			properties.add("sqlite.backup.remote.encryption.age-recipients=" + AgeTestKeys.RECIPIENT);
			properties.add("sqlite.backup.remote.encryption.age-identity-file=" + key);
		}
		this.runner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			insertLedgerRow(context, "before the backup");
			String backedUp = TestDatabase.fingerprint(this.database);
			BackupManifest backup = job.run(BackupTrigger.MANUAL).backup();
			awaitUploaded(job, backup);

			LocatedBackup listed = job.allBackups().get(0);
			assertThat(listed.manifest().name()).isEqualTo(backup.name());
			assertThat(listed.local()).isTrue();
			assertThat(listed.remote()).isTrue();
			BackupManifest remote = job.offsiteStatus().orElseThrow().newest();
			assertThat(remote.stored().codec()).isEqualTo(compression + (encrypted ? "+age" : ""));
			assertThat(remote.sha256()).isEqualTo(backup.sha256());
			try (S3Client client = this.server.client()) {
				List<String> keys = client.listObjectsV2((request) -> request.bucket("backups"))
					.contents()
					.stream()
					.map(S3Object::key)
					.toList();
				assertThat(keys).containsExactlyInAnyOrder("apps/app/" + backup.name(),
						"apps/app/" + backup.name() + ".manifest.json");
				String manifest = client
					.getObjectAsBytes((request) -> request.bucket("backups").key("apps/app/" + backup.name() + ".manifest.json"))
					.asUtf8String();
				assertThat(manifest).contains("\"codec\"").doesNotContain(S3TestServer.SECRET_KEY, AgeTestKeys.IDENTITY);
			}

			// the machine's backups are lost: only the off-site copy is left
			Files.delete(this.dir.resolve("backups").resolve(backup.name()));
			insertLedgerRow(context, "after the backup");
			assertThat(job.find(backup.name())).hasValueSatisfying((found) -> assertThat(found.local()).isFalse());
			RestoreOutcome restored = job.restore(backup.name(), false);
			assertThat(restored.status()).as(String.valueOf(restored.reason())).isEqualTo(RestoreOutcome.Status.RESTORED);
			assertThat(TestDatabase.fingerprint(this.database)).isEqualTo(backedUp);
		});
	}

	@Test
	void keepLastZeroKeepsBackupsOnlyOffSiteAndAnUnchangedDatabaseCostsNoRequest() throws Exception {
		this.runner.withPropertyValues("sqlite.backup.retention.keep-last=0", "sqlite.backup.skip-if-unchanged=true")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				BackupManifest first = job.run(BackupTrigger.MANUAL).backup();
				awaitUploaded(job, first);
				await().atMost(30, TimeUnit.SECONDS).until(() -> job.backups().isEmpty());
				insertLedgerRow(context, "a change");
				BackupManifest second = job.run(BackupTrigger.MANUAL).backup();
				awaitUploaded(job, second);
				await().atMost(30, TimeUnit.SECONDS).until(() -> job.backups().isEmpty());
				assertThat(second.sequence()).isGreaterThan(first.sequence());
				assertThat(job.allBackups()).extracting((backup) -> backup.manifest().name())
					.containsExactly(second.name(), first.name());

				// with the local directory empty, the unchanged check uses the off-site copy
				this.server.stop();
				BackupRunOutcome unchanged = job.run(BackupTrigger.MANUAL);
				assertThat(unchanged.cause()).isEqualTo(BackupRunOutcome.Cause.UNCHANGED);
				assertThat(job.offsiteStatus().orElseThrow().lastFailure()).isNull();
				this.server.restart();
			});
	}

	@Test
	void anOffsiteCopyDeletedBehindItsBackIsNeverTheReasonToDeleteTheLastCopy() throws Exception {
		this.runner.withPropertyValues("sqlite.backup.retention.keep-last=1").run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			BackupManifest first = job.run(BackupTrigger.MANUAL).backup();
			awaitUploaded(job, first);
			try (S3Client client = this.server.client()) {
				// someone deletes the off-site copy while the local one is still kept
				client.deleteObject((request) -> request.bucket("backups").key("apps/app/" + first.name()));
			}
			insertLedgerRow(context, "second");
			BackupManifest second = job.run(BackupTrigger.MANUAL).backup();
			// retention would now delete the first backup locally: it is uploaded again instead, then deleted
			await().atMost(60, TimeUnit.SECONDS).until(() -> job.backups().size() == 1
					&& job.offsiteStatus().orElseThrow().pendingUploads() == 0 && objects(first.name()) == 2);
			assertThat(job.backups()).extracting(BackupManifest::name).containsExactly(second.name());
			try (InputStream in = job.open(job.find(first.name()).orElseThrow())) {
				assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(first.bytes());
			}
		});
	}

	private int objects(String name) {
		try (S3Client client = this.server.client()) {
			return client.listObjectsV2((request) -> request.bucket("backups").prefix("apps/app/" + name))
				.contents()
				.size();
		}
	}

	@Test
	void anOutageQueuesBackupsLocallyAndTheyAreUploadedWhenItEnds() throws Exception {
		this.runner.withPropertyValues("sqlite.backup.retention.keep-last=1", "sqlite.backup.remote.retention.keep-last=10")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				awaitListed(job);
				this.server.stop();
				List<BackupManifest> made = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					insertLedgerRow(context, "during the outage " + i);
					made.add(job.run(BackupTrigger.MANUAL).backup());
				}
				await().atMost(30, TimeUnit.SECONDS)
					.until(() -> job.offsiteStatus().orElseThrow().consecutiveFailures() >= 2);
				OffsiteStatus lagging = job.offsiteStatus().orElseThrow();
				assertThat(lagging.pendingUploads()).isEqualTo(3);
				assertThat(lagging.lastFailure().cause()).isEqualTo(UploadFailure.Cause.UNREACHABLE);
				Health health = new SqliteBackupHealthIndicator(job, null, Clock.systemUTC()).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat((String) health.getDetails().get("reason")).startsWith("off-site copies lag behind: 3 backups");
				assertThat((Map<String, Object>) health.getDetails().get("offsite")).containsEntry("pendingUploads", 3);
				// local keep-last 1, but nothing that is not off-site yet is deleted
				assertThat(job.backups()).extracting(BackupManifest::name)
					.containsExactlyInAnyOrderElementsOf(made.stream().map(BackupManifest::name).toList());

				this.server.restart();
				await().atMost(60, TimeUnit.SECONDS).until(() -> job.offsiteStatus().orElseThrow().pendingUploads() == 0);
				List<String> remote = job.offsiteStatus().map((status) -> job.allBackups()).orElseThrow()
					.stream()
					.filter(LocatedBackup::remote)
					.map((backup) -> backup.manifest().name())
					.toList();
				assertThat(remote).containsAll(made.stream().map(BackupManifest::name).toList());
				await().atMost(30, TimeUnit.SECONDS).until(() -> job.backups().size() == 1);
				assertThat(job.offsiteStatus().orElseThrow().consecutiveFailures()).isZero();
				assertThat(new SqliteBackupHealthIndicator(job, null, Clock.systemUTC()).health(true).getStatus())
					.isEqualTo(Status.UP);
			});
	}

	@Test
	void aRestartUploadsWhatThePreviousRunLeftLocal() throws Exception {
		ApplicationContextRunner down = this.runner;
		this.server.stop();
		String[] name = new String[1];
		down.withPropertyValues("sqlite.backup.remote.url=s3://backups/apps").run((context) -> {
			// startup fails fast when the storage cannot be reached
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("sqlite.backup.remote.endpoint");
		});
		this.server.restart();
		ApplicationContextRunner noRemote = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.database,
					"sqlite.backup.directory=" + this.dir.resolve("backups"));
		noRemote.run((context) -> name[0] = context.getBean(BackupJob.class).run(BackupTrigger.MANUAL).backup().name());
		this.runner.run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			await().atMost(30, TimeUnit.SECONDS)
				.until(() -> job.offsiteStatus().orElseThrow().newest() != null
						&& job.offsiteStatus().orElseThrow().newest().name().equals(name[0]));
			BackupManifest remote = job.offsiteStatus().orElseThrow().newest();
			try (InputStream in = job.open(new LocatedBackup(remote, false, true))) {
				assertThat(in.readAllBytes()).hasSize((int) Files.size(this.dir.resolve("backups").resolve(name[0])));
			}
		});
	}

	private static void awaitListed(BackupJob job) {
		await().atMost(30, TimeUnit.SECONDS).until(() -> job.offsiteStatus().orElseThrow().listed());
	}

	static void awaitUploaded(BackupJob job, BackupManifest backup) {
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			OffsiteStatus status = job.offsiteStatus().orElseThrow();
			return status.newest() != null && status.newest().name().equals(backup.name()) && status.pendingUploads() == 0;
		});
	}

	private static void insertLedgerRow(AssertableApplicationContext context, String note) throws Exception {
		try (Connection connection = context.getBean(DataSource.class).getConnection();
				PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger (amount, note) VALUES (1, ?)")) {
			insert.setString(1, note);
			insert.executeUpdate();
		}
	}

}
