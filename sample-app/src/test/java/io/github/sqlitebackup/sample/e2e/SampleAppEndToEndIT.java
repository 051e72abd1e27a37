package io.github.sqlitebackup.sample.e2e;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's walk-through against the packaged sample app in its own process, then a
 * SIGKILL in the middle of a backup and a restart: every published backup must pass the
 * {@code sqlite3} shell's integrity check and no temporary file may survive.
 */
class SampleAppEndToEndIT {

	@Test
	void walkThroughThenKillDuringABackupAndRestart() throws Exception {
		Path work = Files.createDirectories(Path.of("target", "e2e"));
		Path dataDir = Files.createTempDirectory(work, "data-");
		Path backups = dataDir.resolve("backups");
		String keptBackup;
		try (SampleAppProcess app = SampleAppProcess.start(dataDir, "--sqlite.backup.restore.enabled=true")) {
			assertThat(app.send("POST", app.app("/notes"), "{\"text\":\"first note\"}").statusCode()).isEqualTo(201);
			HttpResponse<String> triggered = app.send("POST", app.actuator("/sqlitebackup"));
			assertThat(triggered.statusCode()).isEqualTo(201);
			DocumentContext listing = app.get(app.actuator("/sqlitebackup"));
			List<String> names = listing.read("$.databases.notes.backups[*].name");
			assertThat(names).hasSize(1);
			keptBackup = names.get(0);
			DocumentContext manifest = app.get(app.actuator("/sqlitebackup/" + keptBackup));
			HttpResponse<byte[]> download = app.download(app.actuator("/sqlitebackup/" + keptBackup + "/file"));
			assertThat(download.statusCode()).isEqualTo(200);
			assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download.body())))
				.isEqualTo(manifest.read("$.sha256"));
			Path downloaded = Files.write(work.resolve("downloaded.db"), download.body());
			assertThat(DataDirectory.sqlite3(downloaded, "PRAGMA integrity_check;")).isEqualTo("ok");

			assertThat(app.send("POST", app.app("/notes"), "{\"text\":\"after the backup\"}").statusCode())
				.isEqualTo(201);
			assertThat(app.send("GET", app.app("/notes")).body()).contains("after the backup");
			HttpResponse<String> restored = app.send("POST", app.actuator("/sqlitebackup/" + keptBackup + "/restore"));
			assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
			assertThat(app.send("GET", app.app("/notes")).body()).contains("first note").doesNotContain("after the backup");
			assertThat((String) app.get(app.actuator("/health/sqliteBackup")).read("$.status")).isEqualTo("UP");
			assertThat(app.send("GET", app.actuator("/metrics/sqlite.backup.duration")).statusCode()).isEqualTo(200);
		}
		List<String> publishedBeforeKill = DataDirectory.published(backups);
		assertThat(publishedBeforeKill).hasSize(2).contains(keptBackup);

		DataDirectory.addBulkNotes(dataDir.resolve("notes.db"), 60_000);
		try (SampleAppProcess app = SampleAppProcess.start(dataDir, "--sqlite.backup.step-size=20",
				"--sqlite.backup.step-pause=5ms", "--sqlite.backup.endpoint.response-timeout=10ms")) {
			assertThat(app.send("POST", app.actuator("/sqlitebackup")).statusCode()).isEqualTo(202);
			awaitPercent(app, 20);
			assertThat(DataDirectory.stagingFiles(backups)).as("killed in the middle of a backup").isNotEmpty();
			app.kill();
		}
		assertThat(DataDirectory.stagingFiles(backups)).isNotEmpty();

		try (SampleAppProcess app = SampleAppProcess.start(dataDir)) {
			List<String> listed = app.get(app.actuator("/sqlitebackup")).read("$.databases.notes.backups[*].name");
			assertThat(listed).containsExactlyInAnyOrderElementsOf(publishedBeforeKill);
			assertThat(app.send("GET", app.app("/notes")).statusCode()).isEqualTo(200);
		}
		assertThat(DataDirectory.stagingFiles(backups)).isEmpty();
		assertThat(DataDirectory.published(backups)).containsExactlyInAnyOrderElementsOf(publishedBeforeKill);
		for (String name : DataDirectory.published(backups)) {
			assertThat(DataDirectory.sqlite3(backups.resolve(name), "PRAGMA integrity_check;")).as(name).isEqualTo("ok");
		}
	}

	private static void awaitPercent(SampleAppProcess app, double percent) {
		Awaitility.await("the backup reaches " + percent + "%")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> app.get(app.actuator("/sqlitebackup")),
					(status) -> "running".equals(status.read("$.databases.notes.state"))
							&& ((Number) status.read("$.databases.notes.running.percent")).doubleValue() >= percent);
	}

}
