package io.github.sqlitebackup.actuate;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.catalog.BackupTrigger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations that race each other: 50 simultaneous triggers through HTTP and the API, a
 * delete while the backup is being downloaded, retention while a backup is being
 * downloaded.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ConcurrentOperationsTests {

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	BackupJob job;

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		EndpointTestApplication.useDatabase(registry, dir, "wal", 40_000_000);
		registry.add("sqlite.backup.step-size", () -> "50");
		registry.add("sqlite.backup.step-pause", () -> "2ms");
		registry.add("sqlite.backup.retention.keep-last", () -> "2");
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup");
	}

	@Test
	void fiftySimultaneousTriggersThroughHttpAndTheApiMakeOneBackup() throws Exception {
		int before = this.job.backups().size();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(50);
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				boolean viaHttp = i % 2 == 0;
				answers.add(threads.submit(() -> {
					start.await();
					if (viaHttp) {
						return "HTTP " + send("POST", "/actuator/sqlitebackup").statusCode();
					}
					return "API " + this.job.run(BackupTrigger.MANUAL).status();
				}));
			}
			start.countDown();
			List<String> outcomes = new ArrayList<>();
			for (Future<String> answer : answers) {
				outcomes.add(answer.get(2, TimeUnit.MINUTES));
			}
			long published = outcomes.stream().filter((o) -> o.equals("HTTP 201") || o.equals("API SUCCEEDED")).count();
			long refused = outcomes.stream().filter((o) -> o.equals("HTTP 409") || o.equals("API SKIPPED")).count();
			assertThat(published).as(outcomes.toString()).isOne();
			assertThat(refused).as(outcomes.toString()).isEqualTo(49);
			assertThat(this.job.backups()).hasSize(Math.min(2, before + 1));
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void deleteAndRetentionWhileABackupIsBeingDownloaded() throws Exception {
		BackupManifest downloaded = this.job.run(BackupTrigger.MANUAL).backup();
		this.job.run(BackupTrigger.MANUAL);
		CountDownLatch reading = new CountDownLatch(1);
		CompletableFuture<String> download = CompletableFuture.supplyAsync(() -> slowSha256(downloaded, reading));
		assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(send("DELETE", "/actuator/sqlitebackup/" + downloaded.name()).statusCode()).isEqualTo(204);
		assertThat(download.get(2, TimeUnit.MINUTES)).isEqualTo(downloaded.sha256());

		BackupManifest expiring = this.job.backups().get(this.job.backups().size() - 1);
		CountDownLatch readingExpiring = new CountDownLatch(1);
		CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> slowSha256(expiring, readingExpiring));
		assertThat(readingExpiring.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(this.job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
		assertThat(this.job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
		assertThat(this.job.backup(expiring.name())).as("deleted by retention while downloaded").isEmpty();
		assertThat(second.get(2, TimeUnit.MINUTES)).isEqualTo(expiring.sha256());
	}

	private String slowSha256(BackupManifest backup, CountDownLatch reading) {
		try {
			HttpResponse<InputStream> response = this.http.send(
					HttpRequest.newBuilder(URI.create(url("/actuator/sqlitebackup/" + backup.name() + "/file"))).build(),
					HttpResponse.BodyHandlers.ofInputStream());
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			try (InputStream body = response.body()) {
				byte[] buffer = new byte[64 * 1024];
				int read;
				while ((read = body.read(buffer)) != -1) {
					digest.update(buffer, 0, read);
					reading.countDown();
					Thread.sleep(5);
				}
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private HttpResponse<Void> send(String method, String path) throws Exception {
		return this.http.send(
				HttpRequest.newBuilder(URI.create(url(path))).method(method, HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.discarding());
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
