package io.github.sqlitebackup.actuate;

import java.nio.file.Path;
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
import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.S3TestServer;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application that encrypts to a recipient but has no identity (the usual set-up: only
 * the public key on the server) cannot read its off-site copies: download and restore are
 * refused with a 409 that names the property to set, and the live database is untouched.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class OffsiteEndpointWithoutIdentityTests {

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
		EndpointTestApplication.useDatabase(registry, dir, "wal", 500_000);
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup");
		registry.add("sqlite.backup.restore.enabled", () -> "true");
		EndpointTestApplication.useS3(registry, server);
		registry.add("sqlite.backup.remote.encryption.age-recipients", () -> AgeTestKeys.RECIPIENT);
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
	void downloadAndRestoreOfAnEncryptedOffsiteBackupAreRefusedNamingTheProperty() throws Exception {
		BackupManifest backup = this.job.run(BackupTrigger.MANUAL).backup();
		await().atMost(60, TimeUnit.SECONDS).until(() -> this.job.backups().isEmpty());
		String live = TestDatabase.fingerprint(dir.resolve("app.db"));

		Http.Response file = this.http.get("/actuator/sqlitebackup/" + backup.name() + "/file");
		assertThat(file.status()).isEqualTo(409);
		assertThat(file.body()).contains("sqlite.backup.remote.encryption.age-identity-file");

		Http.Response restore = this.http.post("/actuator/sqlitebackup/" + backup.name() + "/restore");
		assertThat(restore.status()).isEqualTo(409);
		assertThat((String) restore.read("$.status")).isEqualTo("REFUSED");
		assertThat((String) restore.read("$.message")).contains("age-identity-file");
		assertThat(TestDatabase.fingerprint(dir.resolve("app.db"))).isEqualTo(live);
	}

}
