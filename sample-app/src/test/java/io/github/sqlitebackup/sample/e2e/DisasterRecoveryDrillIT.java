package io.github.sqlitebackup.sample.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.util.FileSystemUtils;

import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.S3TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The disaster-recovery drill, automated: the packaged sample app keeps compressed, encrypted
 * off-site copies on a real S3 API server; it is killed with SIGKILL and its whole data
 * directory (database, WAL, local backups) is deleted, as when the machine is lost. A fresh
 * start with the same configuration and {@code sqlite.backup.restore.on-startup=if-missing}
 * restores the newest uploaded backup before the application opens the database and serves
 * exactly the notes acknowledged up to that backup; the notes acknowledged after it are the
 * window of lost writes, which the log reports as the backup's age.
 */
class DisasterRecoveryDrillIT {

	private static final Pattern RESTORED = Pattern
		.compile("Restored database 'notes' \\(.*\\) from backup (\\S+) in (\\S+), made (\\S+) \\(([^:]+):.*; "
				+ "(\\d+) bytes in (\\d+) ms \\((\\d+) ms to copy, (\\d+) ms for integrity_check\\)");

	@Test
	void theMachineIsLostAndAFreshStartRestoresTheNewestUploadedBackup() throws Exception {
		Path work = Files.createDirectories(Path.of("target", "e2e"));
		Path machine = Files.createTempDirectory(work, "drill-");
		Path dataDir = machine.resolve("data");
		Path identity = AgeTestKeys.identityFile(machine.resolve("age-identity.txt"), AgeTestKeys.IDENTITY);
		try (S3TestServer server = S3TestServer.start(); S3Client bucket = server.client()) {
			server.createBucket("drill");
			List<String> acknowledged = new ArrayList<>();
			List<String> lost = new ArrayList<>();
			String lastUploaded;
			SampleAppProcess app = SampleAppProcess.start(Files.createDirectories(dataDir),
					configuration(server, identity));
			try {
				DataDirectory.addBulkNotes(dataDir.resolve("notes.db"), 20_000);
				acknowledged.addAll(post(app, "round 1", 5));
				uploaded(bucket, backup(app));
				acknowledged.addAll(post(app, "round 2", 5));
				lastUploaded = backup(app);
				uploaded(bucket, lastUploaded);
				lost.addAll(post(app, "after the last upload", 3));
				app.kill();
			}
			finally {
				app.close();
			}

			FileSystemUtils.deleteRecursively(dataDir);
			assertThat(dataDir).as("the machine is gone").doesNotExist();

			SampleAppProcess fresh = SampleAppProcess.start(dataDir, configuration(server, identity));
			try {
				String line = fresh.awaitLog("Restored database 'notes'", Duration.ofSeconds(5));
				Matcher restored = RESTORED.matcher(line);
				assertThat(restored.find()).as(line).isTrue();
				assertThat(restored.group(1)).isEqualTo(lastUploaded);
				assertThat(restored.group(2)).isEqualTo("s3://drill/notes/notes/");

				List<String> texts = JsonPath.read(fresh.send("GET", fresh.app("/notes")).body(), "$[*].text");
				assertThat(texts).as("every note acknowledged up to the last uploaded backup").containsAll(acknowledged);
				assertThat(texts).as("the notes written after it are the lost window").doesNotContainAnyElementsOf(lost);
				assertThat(texts).hasSize(20_000 + acknowledged.size());
				assertThat(DataDirectory.sqlite3(dataDir.resolve("notes.db"), "PRAGMA integrity_check")).isEqualTo("ok");

				assertThat(post(fresh, "on the new machine", 1)).hasSize(1);
				assertThat(fresh.send("POST", fresh.actuator("/sqlitebackup")).statusCode())
					.as("the restored application backs up again").isEqualTo(201);

				System.out.println("[figures] disaster-recovery drill: restored " + restored.group(1) + " ("
						+ restored.group(5) + " bytes, encrypted and compressed) from " + restored.group(2) + " in "
						+ restored.group(6) + " ms (" + restored.group(7) + " ms to copy, " + restored.group(8)
						+ " ms for integrity_check); backup age at restore " + restored.group(4) + "; "
						+ acknowledged.size() + " acknowledged notes restored, " + lost.size()
						+ " acknowledged after the last upload lost");
			}
			finally {
				fresh.close();
			}
		}
	}

	private static String[] configuration(S3TestServer server, Path identity) {
		return new String[] { "--sqlite.backup.schedule.initial-delay=1h", "--sqlite.backup.restore.on-startup=if-missing",
				"--sqlite.backup.remote.url=s3://drill/notes", "--sqlite.backup.remote.endpoint=" + server.endpoint(),
				"--sqlite.backup.remote.path-style-access=true",
				"--sqlite.backup.remote.access-key-id=" + S3TestServer.ACCESS_KEY,
				"--sqlite.backup.remote.secret-access-key=" + S3TestServer.SECRET_KEY,
				"--sqlite.backup.remote.compression=zstd",
				"--sqlite.backup.remote.encryption.age-recipients=" + AgeTestKeys.RECIPIENT,
				"--sqlite.backup.remote.encryption.age-identity-file=" + identity };
	}

	private static List<String> post(SampleAppProcess app, String round, int count) throws Exception {
		List<String> texts = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			String text = round + " #" + i;
			assertThat(app.send("POST", app.app("/notes"), "{\"text\":\"" + text + "\"}").statusCode()).isEqualTo(201);
			texts.add(text);
		}
		return texts;
	}

	private static String backup(SampleAppProcess app) throws Exception {
		var response = app.send("POST", app.actuator("/sqlitebackup"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return JsonPath.read(response.body(), "$.backup");
	}

	private static void uploaded(S3Client bucket, String name) {
		await().atMost(120, TimeUnit.SECONDS)
			.until(() -> bucket.listObjectsV2((request) -> request.bucket("drill"))
				.contents()
				.stream()
				.map(S3Object::key)
				.anyMatch((key) -> key.equals("notes/notes/" + name + ".manifest.json")));
	}

}
