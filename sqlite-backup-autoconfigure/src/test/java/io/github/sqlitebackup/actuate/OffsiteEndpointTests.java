package io.github.sqlitebackup.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.offsite.OffsiteStatus;
import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.S3TestServer;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint and health over off-site copies, on a real HTTP server and a real S3 API
 * server: listing shows where each backup is; a backup kept only off-site is inspected and
 * downloaded as the plain SQLite file (decrypted and decompressed on the fly); health shows
 * off-site freshness.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class OffsiteEndpointTests {

	@TempDir
	static Path dir;

	private static S3TestServer server;

	@LocalServerPort
	int port;

	@Autowired
	BackupJob job;

	private Http http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		server = S3TestServer.start();
		server.createBucket("backups");
		EndpointTestApplication.useDatabase(registry, dir, "wal", 1_000_000);
		Path key = AgeTestKeys.identityFile(dir.resolve("key.txt"), AgeTestKeys.IDENTITY);
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup,health");
		registry.add("management.endpoint.health.show-details", () -> "always");
		EndpointTestApplication.useS3(registry, server);
		registry.add("sqlite.backup.remote.encryption.age-recipients", () -> AgeTestKeys.RECIPIENT);
		registry.add("sqlite.backup.remote.encryption.age-identity-file", key::toString);
		registry.add("sqlite.backup.retention.keep-last", () -> "0");
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@Test
	void anOffsiteOnlyBackupIsListedInspectedAndDownloadedAsPlainSqlite() throws Exception {
		BackupManifest backup = this.job.run(BackupTrigger.MANUAL).backup();
		await().atMost(60, TimeUnit.SECONDS).until(() -> this.job.backups().isEmpty()
				&& this.job.offsiteStatus().map(OffsiteStatus::newest).isPresent());

		Http.Response list = this.http.get("/actuator/sqlitebackup");
		assertThat(list.status()).isEqualTo(200);
		assertThat((List<String>) list.read("$.databases.app.backups[0].locations")).containsExactly("remote");
		assertThat((String) list.read("$.databases.app.backups[0].name")).isEqualTo(backup.name());
		assertThat((String) list.read("$.databases.app.offsite.storage")).isEqualTo("s3://backups/apps/app/");
		assertThat(list.body()).doesNotContain(S3TestServer.SECRET_KEY);

		Http.Response manifest = this.http.get("/actuator/sqlitebackup/" + backup.name());
		assertThat((String) manifest.read("$.codec")).isEqualTo("zstd+age");
		assertThat((String) manifest.read("$.sha256")).isEqualTo(backup.sha256());

		Http.Response file = this.http.get("/actuator/sqlitebackup/" + backup.name() + "/file");
		assertThat(file.status()).isEqualTo(200);
		Path downloaded = Files.write(dir.resolve("downloaded.db"), file.raw().body());
		assertThat(TestDatabase.sha256(downloaded)).isEqualTo(backup.sha256());
		assertThat(TestDatabase.integrityCheck(downloaded)).isEqualTo("ok");

		Http.Response health = this.http.get("/actuator/health/sqliteBackup");
		assertThat((String) health.read("$.status")).isEqualTo("UP");
		assertThat((String) health.read("$.details.newestBackup")).isEqualTo(backup.name());
		assertThat((String) health.read("$.details.offsite.newestBackup")).isEqualTo(backup.name());
		assertThat((Integer) health.read("$.details.offsite.pendingUploads")).isZero();
	}

}
