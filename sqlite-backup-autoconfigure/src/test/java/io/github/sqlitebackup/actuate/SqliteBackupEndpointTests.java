package io.github.sqlitebackup.actuate;

import java.time.Duration;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.support.TestDatabase;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code sqlitebackup} endpoint over real HTTP, with restore left disabled.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SqliteBackupEndpointTests {

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	BackupJob job;

	private Http http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		EndpointTestApplication.useDatabase(registry, dir, "wal", 2_000_000);
		Files.writeString(dir.resolve("secret.txt"), "outside the backup directory");
		registry.add("sqlite.backup.step-size", () -> "10");
		registry.add("sqlite.backup.step-pause", () -> "2ms");
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup,health,metrics");
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@Test
	void readShowsTheStateScheduleAndCatalog() throws Exception {
		BackupManifest made = this.job.run(io.github.sqlitebackup.catalog.BackupTrigger.MANUAL).backup();
		Http.Response response = this.http.get("/actuator/sqlitebackup");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.raw().headers().firstValue("Content-Type")).get().asString().contains("json");
		assertThat((String) response.read("$.databases.app.state")).isEqualTo("idle");
		assertThat((String) response.read("$.databases.app.schedule")).isEqualTo("none");
		assertThat((String) response.read("$.databases.app.database")).isEqualTo("app");
		assertThat((Boolean) response.read("$.databases.app.restoreEnabled")).isFalse();
		assertThat((String) response.read("$.databases.app.lastSuccess.backup")).isEqualTo(made.name());
		assertThat((String) response.read("$.databases.app.backups[0].name")).isEqualTo(made.name());
		assertThat((String) response.read("$.databases.app.backups[0].sha256")).isEqualTo(made.sha256());
		assertThat(((Number) response.read("$.databases.app.backups[0].bytes")).longValue()).isEqualTo(made.bytes());
		assertThat((Boolean) response.read("$.databases.app.backups[0].verified")).isTrue();
		assertThat((String) response.read("$.databases.app.backups[0].created")).isEqualTo(made.created().toString());
	}

	@Test
	void writeRunsABackupAndAnswersWithItsOutcome() throws Exception {
		int before = this.job.backups().size();
		Http.Response response = this.http.post("/actuator/sqlitebackup");
		assertThat(response.status()).isEqualTo(201);
		assertThat((String) response.read("$.status")).isEqualTo("SUCCEEDED");
		String name = response.read("$.backup");
		assertThat(this.job.backups()).hasSize(before + 1);
		assertThat(this.job.backups().get(0).name()).isEqualTo(name);
		assertThat(dir.resolve("backups").resolve(name)).isRegularFile();
	}

	@Test
	void aTriggerWhileABackupRunsIsAConflict() throws Exception {
		CompletableFuture<Http.Response> first = CompletableFuture.supplyAsync(() -> {
			try {
				return this.http.post("/actuator/sqlitebackup");
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
			.until(() -> this.job.status().running() != null);
		Http.Response running = this.http.get("/actuator/sqlitebackup");
		assertThat((String) running.read("$.databases.app.state")).isEqualTo("running");
		assertThat((String) running.read("$.databases.app.running.trigger")).isEqualTo("MANUAL");
		Http.Response second = this.http.post("/actuator/sqlitebackup");
		assertThat(second.status()).isEqualTo(409);
		assertThat((String) second.read("$.message")).contains("already running");
		assertThat(first.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
	}

	@Test
	void oneBackupsDetailsAndUnknownNames() throws Exception {
		BackupManifest made = this.job.run(io.github.sqlitebackup.catalog.BackupTrigger.MANUAL).backup();
		Http.Response details = this.http.get("/actuator/sqlitebackup/" + made.name());
		assertThat(details.status()).isEqualTo(200);
		assertThat((String) details.read("$.sha256")).isEqualTo(made.sha256());
		assertThat(((Number) details.read("$.pageCount")).longValue()).isEqualTo(made.pageCount());
		assertThat((String) details.read("$.sqliteVersion")).isEqualTo(made.sqliteVersion());
		assertThat((String) details.read("$.journalMode")).isEqualTo("wal");
		assertThat(this.http.get("/actuator/sqlitebackup/app-20000101T000000000Z.db").status()).isEqualTo(404);
		assertThat(this.http.get("/actuator/sqlitebackup/not-a-backup").status()).isEqualTo(400);
	}

	@Test
	void downloadGivesTheExactBytes() throws Exception {
		BackupManifest made = this.job.run(io.github.sqlitebackup.catalog.BackupTrigger.MANUAL).backup();
		HttpResponse<byte[]> download = this.http.send("GET", "/actuator/sqlitebackup/" + made.name() + "/file");
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
		assertThat(download.headers().firstValue("Content-Disposition"))
			.hasValue("attachment; filename=\"" + made.name() + "\"");
		assertThat(this.http.send("GET", "/actuator/sqlitebackup/" + made.name()).headers().firstValue("Content-Disposition"))
			.as("the manifest is shown, not saved as f.txt")
			.hasValue("inline");
		assertThat(download.body()).hasSize((int) made.bytes());
		String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download.body()));
		assertThat(sha256).isEqualTo(made.sha256());
		assertThat(this.http.get("/actuator/sqlitebackup/" + made.name() + "/other").status()).isEqualTo(404);
	}

	@Test
	void restoreIsRefusedByDefaultAndChangesNothing() throws Exception {
		BackupManifest made = this.job.run(io.github.sqlitebackup.catalog.BackupTrigger.MANUAL).backup();
		String before = TestDatabase.sha256(dir.resolve("app.db"));
		Http.Response response = this.http.post("/actuator/sqlitebackup/" + made.name() + "/restore");
		assertThat(response.status()).isEqualTo(403);
		assertThat((String) response.read("$.message")).contains("sqlite.backup.restore.enabled=true");
		assertThat(TestDatabase.sha256(dir.resolve("app.db"))).isEqualTo(before);
	}

	@Test
	void deleteKeepsTheOnlyVerifiedBackup() throws Exception {
		for (BackupManifest backup : this.job.backups()) {
			this.job.delete(backup.name());
		}
		BackupManifest older = this.job.run(io.github.sqlitebackup.catalog.BackupTrigger.MANUAL).backup();
		BackupManifest newer = this.job.run(io.github.sqlitebackup.catalog.BackupTrigger.MANUAL).backup();
		assertThat(this.http.delete("/actuator/sqlitebackup/" + newer.name()).status()).isEqualTo(204);
		assertThat(dir.resolve("backups").resolve(newer.name())).doesNotExist();
		assertThat(dir.resolve("backups").resolve(newer.name() + ".manifest.json")).doesNotExist();
		Http.Response refused = this.http.delete("/actuator/sqlitebackup/" + older.name());
		assertThat(refused.status()).isEqualTo(409);
		assertThat((String) refused.read("$.message")).contains("only verified backup");
		assertThat(dir.resolve("backups").resolve(older.name())).exists();
		assertThat(this.http.delete("/actuator/sqlitebackup/" + newer.name()).status()).isEqualTo(404);
	}

	@Test
	void hostileNamesAreRefusedAndTouchNothing() throws Exception {
		BackupManifest kept = this.job.run(io.github.sqlitebackup.catalog.BackupTrigger.MANUAL).backup();
		this.job.run(io.github.sqlitebackup.catalog.BackupTrigger.MANUAL);
		Snapshot before = Snapshot.of(dir);
		for (String name : HostileNames.ALL) {
			for (String path : List.of("/actuator/sqlitebackup/" + name, "/actuator/sqlitebackup/" + name + "/file")) {
				assertThat(this.http.get(path).status()).as("GET " + path).isIn(400, 404);
			}
			assertThat(this.http.delete("/actuator/sqlitebackup/" + name).status()).as("DELETE " + name)
				.isIn(400, 404);
		}
		assertThat(Snapshot.of(dir)).isEqualTo(before);
		assertThat(this.job.backup(kept.name())).isPresent();
	}

	record Snapshot(Map<String, String> files) {

		static Snapshot of(Path root) throws Exception {
			Map<String, String> files = new java.util.TreeMap<>();
			try (var walk = Files.walk(root)) {
				for (Path file : walk.filter(Files::isRegularFile).filter((f) -> !f.toString().contains("app.db-"))
					.toList()) {
					files.put(root.relativize(file).toString(), TestDatabase.sha256(file));
				}
			}
			return new Snapshot(files);
		}

	}

}
