package io.github.sqlitebackup.offsite;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.actuate.SqliteBackupOffsiteMetrics;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupMetricsAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.support.FaultyProxy;
import io.github.sqlitebackup.support.FaultyProxy.Fault;
import io.github.sqlitebackup.support.S3TestServer;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults on the network between the application and the S3 server (connection resets
 * part-way through multipart uploads, HTTP 503 answers, a slow link): uploads are retried
 * and every remote backup that becomes visible is whole and reads back to its manifest's
 * checksums. Meters count what happened.
 */
class OffsiteFaultTests {

	@TempDir
	Path dir;

	private S3TestServer server;

	private FaultyProxy proxy;

	private S3Client client;

	@BeforeEach
	void start() throws Exception {
		this.server = S3TestServer.start();
		this.server.createBucket("backups");
		this.proxy = new FaultyProxy(this.server.port());
		// a connection per request, so that each request meets the next queued fault
		this.client = S3Client.builder()
			.httpClient(Apache5HttpClient.builder().connectionTimeToLive(Duration.ofMillis(1)).build())
			.endpointOverride(URI.create(this.proxy.endpoint()))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.overrideConfiguration((config) -> config.apiCallAttemptTimeout(Duration.ofSeconds(5)))
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)))
			.build();
	}

	@AfterEach
	void stop() throws Exception {
		this.client.close();
		this.proxy.close();
		this.server.close();
	}

	@Test
	void resetsAnd503sAreRetriedAndNeverLeaveAPartialOrCorruptRemoteBackup() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 12_000_000);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					SqliteBackupAutoConfiguration.class, SqliteBackupMetricsAutoConfiguration.class))
			.withBean(S3Client.class, () -> this.client)
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database,
					"sqlite.backup.directory=" + this.dir.resolve("backups"),
					"sqlite.backup.remote.url=s3://backups/apps", "sqlite.backup.remote.compression=none",
					"sqlite.backup.remote.part-size=5MB", "sqlite.backup.remote.retry.initial-backoff=20ms",
					"sqlite.backup.remote.retry.max-backoff=100ms")
			.run((context) -> {
				context.getBean(SqliteBackupOffsiteMetrics.class).bindTo(registry);
				BackupJob job = context.getBean(BackupJob.class);
				await().atMost(30, TimeUnit.SECONDS).until(() -> job.offsiteStatus().orElseThrow().listed());
				List<BackupManifest> made = new ArrayList<>();
				for (int round = 0; round < 3; round++) {
					// more faults in a row than the SDK retries, so the queue's own backoff is used too
					this.proxy.queue(Fault.RESET_AFTER_64K, Fault.ANSWER_503, Fault.RESET_AFTER_64K, Fault.ANSWER_503,
							Fault.RESET_AFTER_64K, Fault.PASS, Fault.RESET_AFTER_64K, Fault.PASS, Fault.ANSWER_503);
					if (round == 2) {
						this.proxy.slowDown(2);
					}
					change(context.getBean(DataSource.class), round);
					made.add(job.run(BackupTrigger.MANUAL).backup());
					OffsiteCopiesTests.awaitUploaded(job, made.get(round));
				}
				this.proxy.slowDown(0);
				OffsiteStatus status = job.offsiteStatus().orElseThrow();
				assertThat(status.lastFailure()).isNotNull();
				assertThat(this.proxy.queued()).isZero();

				OffsiteCopies offsite = context.getBean(OffsiteCopies.class);
				List<BackupManifest> remote = offsite.backups();
				assertThat(remote).extracting(BackupManifest::name)
					.containsExactlyInAnyOrderElementsOf(made.stream().map(BackupManifest::name).toList());
				for (BackupManifest manifest : remote) {
					// reading to the end checks stored and plain sizes and SHA-256s
					try (InputStream in = offsite.open(manifest)) {
						assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(manifest.bytes());
					}
				}
				try (S3Client direct = this.server.client()) {
					List<String> keys = direct.listObjectsV2((request) -> request.bucket("backups"))
						.contents()
						.stream()
						.map(S3Object::key)
						.toList();
					assertThat(keys).hasSize(6).allMatch((key) -> key.startsWith("apps/app/app-"));
				}
				assertThat(registry.get("sqlite.backup.upload.failures").counters().stream()
					.mapToDouble((counter) -> counter.count())
					.sum()).isPositive();
				assertThat(registry.get("sqlite.backup.upload.bytes").tag("form", "stored").counter().count())
					.isEqualTo(made.stream().mapToLong(BackupManifest::bytes).sum());
				assertThat(registry.get("sqlite.backup.upload.duration").tag("result", "success").timer().count())
					.isEqualTo(3);
				assertThat(registry.get("sqlite.backup.uploads.pending").gauge().value()).isZero();
			});
	}

	private static void change(DataSource dataSource, int round) throws Exception {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.executeUpdate("INSERT INTO ledger (amount, note) VALUES (" + round + ", 'round')");
		}
	}

}
