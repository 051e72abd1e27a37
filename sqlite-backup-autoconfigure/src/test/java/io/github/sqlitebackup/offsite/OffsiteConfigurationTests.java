package io.github.sqlitebackup.offsite;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.S3TestServer;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the off-site configuration accepts and refuses: wrong credentials, a missing bucket,
 * bad URLs, missing libraries and conflicting settings stop start-up with a message that
 * names the property and never the secret; the application's own {@link S3Client} or
 * {@link BackupStorage} bean is used; users without a remote get no off-site beans.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffsiteConfigurationTests {

	@TempDir
	Path dir;

	private S3TestServer server;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() throws Exception {
		this.server = S3TestServer.start();
		this.server.createBucket("backups");
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 200_000);
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database,
					"sqlite.backup.directory=" + this.dir.resolve("backups"));
	}

	@AfterEach
	void stop() throws Exception {
		this.server.close();
	}

	private ApplicationContextRunner remote(String... more) {
		return this.runner
			.withPropertyValues("sqlite.backup.remote.url=s3://backups/apps",
					"sqlite.backup.remote.endpoint=" + this.server.endpoint(),
					"sqlite.backup.remote.path-style-access=true",
					"sqlite.backup.remote.access-key-id=" + S3TestServer.ACCESS_KEY,
					"sqlite.backup.remote.secret-access-key=" + S3TestServer.SECRET_KEY)
			.withPropertyValues(more);
	}

	@Test
	void withoutARemoteThereAreNoOffsiteBeans() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(OffsiteCopies.class);
			assertThat(context.getBean(BackupJob.class).offsiteStatus()).isEmpty();
		});
	}

	@Test
	void aWrongSecretKeyStopsStartupNamingThePropertyButNotTheSecret(CapturedOutput output) {
		remote("sqlite.backup.remote.secret-access-key=wrong-secret-never-printed").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("sqlite.backup.remote.secret-access-key")
				.hasMessageContaining("403")
				.hasMessageNotContaining("wrong-secret-never-printed");
		});
		assertThat(output).doesNotContain("wrong-secret-never-printed");
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', value = { "url|s3://no-such-bucket/apps|no bucket no-such-bucket",
			"url|https://backups/apps|not an s3://bucket/prefix URL", "url|s3://Bad_Bucket/x|not a bucket name",
			"url|s3://backups/../x|not a key prefix", "endpoint|http://127.0.0.1:1|cannot be reached",
			"endpoint|ftp://127.0.0.1:1|http:// or https://", "compression|brotli|brotli",
			"part-size|1MB|at least 5MB", "encryption.age-recipients|age1notakey|not an age X25519 recipient",
			"encryption.age-identity-file|/no/such/key.txt|no file", "retention.keep-last|0|must be 1 or more",
			"retry.initial-backoff|0s|must be positive", "retry.max-backoff|1ms|at least retry.initial-backoff",
			"access-key-id|''|is needed with secret-access-key" })
	void badSettingsStopStartupNamingTheProperty(String property, String value, String reason) {
		remote("sqlite.backup.remote." + property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("sqlite.backup.remote." + property)
				.hasStackTraceContaining(reason);
		});
	}

	@Test
	void missingLibrariesAreNamedWithTheStarterThatHasThem() {
		remote().withClassLoader(new FilteredClassLoader(S3Client.class)).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("sqlite.backup.remote.url")
				.hasStackTraceContaining("sqlite-backup-starter-s3");
		});
		remote("sqlite.backup.remote.compression=zstd")
			.withClassLoader(new FilteredClassLoader("com.github.luben.zstd"))
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("sqlite.backup.remote.compression")
				.hasStackTraceContaining("zstd-jni"));
		remote().withClassLoader(new FilteredClassLoader("com.github.luben.zstd")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(BackupJob.class).run(BackupTrigger.MANUAL).backup()).isNotNull();
		});
		remote("sqlite.backup.remote.encryption.age-recipients=" + AgeTestKeys.RECIPIENT)
			.withClassLoader(new FilteredClassLoader("com.exceptionfactory.jagged"))
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("sqlite.backup.remote.encryption.age-recipients")
				.hasStackTraceContaining("jagged-x25519"));
	}

	@Test
	void keepLastZeroNeedsARemote() {
		this.runner.withPropertyValues("sqlite.backup.retention.keep-last=0")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("sqlite.backup.retention.keep-last")
				.hasStackTraceContaining("sqlite.backup.remote.url"));
		remote("sqlite.backup.retention.keep-last=0").run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void theApplicationsS3ClientIsUsedAndAnUnchangedDatabaseCostsNoRequest() {
		AtomicInteger requests = new AtomicInteger();
		S3Client client = S3Client.builder()
			.endpointOverride(URI.create(this.server.endpoint()))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)))
			.overrideConfiguration((config) -> config.addExecutionInterceptor(new ExecutionInterceptor() {
				@Override
				public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
					requests.incrementAndGet();
				}
			}))
			.build();
		this.runner.withBean(S3Client.class, () -> client)
			.withPropertyValues("sqlite.backup.remote.url=s3://backups/own-client", "sqlite.backup.skip-if-unchanged=true")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				BackupManifest backup = job.run(BackupTrigger.MANUAL).backup();
				OffsiteCopiesTests.awaitUploaded(job, backup);
				await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(requests.get()).isPositive());
				int afterUpload = requests.get();
				for (int i = 0; i < 5; i++) {
					assertThat(job.run(BackupTrigger.SCHEDULE).status()).isEqualTo(
							io.github.sqlitebackup.job.BackupRunOutcome.Status.SKIPPED);
				}
				assertThat(job.offsiteStatus().orElseThrow().pendingUploads()).isZero();
				assertThat(requests.get()).isEqualTo(afterUpload);
			});
		this.runner.withBean(S3Client.class, () -> client)
			.withPropertyValues("sqlite.backup.remote.url=s3://backups/own-client",
					"sqlite.backup.remote.endpoint=http://elsewhere")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("sqlite.backup.remote.endpoint")
				.hasStackTraceContaining("application's own S3Client bean"));
		client.close();
	}

	@Test
	void theApplicationsOwnStorageGetsTheSameQueueRetentionAndRestores() {
		Path share = this.dir.resolve("mounted-share");
		this.runner.withBean(BackupStorage.class, () -> LocalDirectoryStorage.open(share))
			.withPropertyValues("sqlite.backup.remote.compression=gzip", "sqlite.backup.remote.retention.keep-last=2")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				for (int i = 0; i < 3; i++) {
					BackupManifest backup = job.run(BackupTrigger.MANUAL).backup();
					OffsiteCopiesTests.awaitUploaded(job, backup);
				}
				await().atMost(10, TimeUnit.SECONDS)
					.untilAsserted(() -> assertThat(TestDatabase.fileNames(share)).hasSize(4));
				List<String> remote = job.allBackups().stream().filter((backup) -> backup.remote())
					.map((backup) -> backup.manifest().stored().codec()).toList();
				assertThat(remote).hasSize(2);
			});
		this.runner.withBean(BackupStorage.class, () -> LocalDirectoryStorage.open(share))
			.withPropertyValues("sqlite.backup.remote.url=s3://backups/apps")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("own BackupStorage bean"));
	}

}
