package io.github.sqlitebackup.sample.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.github.sqlitebackup.catalog.Sha256;
import io.github.sqlitebackup.support.FaultyProxy;
import io.github.sqlitebackup.support.S3TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGKILL of the packaged sample app while it uploads a backup to a real S3 API server
 * (S3Proxy in this JVM, behind a slowed-down link so the upload is in flight when the kill
 * comes): nothing of the interrupted backup is visible in the bucket, the local backup is
 * intact, and after a restart the backup is uploaded and reads back to its SHA-256.
 */
class OffsiteCrashIT {

	private static final long[] KILL_AFTER_BYTES = { 6L * 1024 * 1024, 17L * 1024 * 1024 };

	@Test
	void aKillDuringAnUploadLeavesNothingPartialAndTheRestartUploadsIt() throws Exception {
		Path work = Files.createDirectories(Path.of("target", "e2e"));
		Path dataDir = Files.createTempDirectory(work, "offsite-crash-");
		DataDirectory.addBulkNotes(dataDir.resolve("notes.db"), 120_000);
		List<String> report = new ArrayList<>();
		try (S3TestServer server = S3TestServer.start(); FaultyProxy link = new FaultyProxy(server.port());
				S3Client bucket = server.client()) {
			server.createBucket("offsite");
			for (long killAfter : KILL_AFTER_BYTES) {
				link.slowDown(3);
				SampleAppProcess app = start(dataDir, link.endpoint());
				String name;
				try {
					app.send("POST", app.app("/notes"), "{\"text\":\"before the kill\"}");
					CountDownLatch inFlight = link.afterUpstreamBytes(killAfter);
					var response = app.send("POST", app.actuator("/sqlitebackup"));
					assertThat(response.statusCode()).isEqualTo(201);
					name = JsonPath.read(response.body(), "$.backup");
					assertThat(inFlight.await(120, TimeUnit.SECONDS)).as("the upload reached " + killAfter + " bytes")
						.isTrue();
					app.kill();
				}
				finally {
					app.close();
				}
				List<String> keys = keys(bucket);
				assertThat(keys).as("nothing of the interrupted upload is visible")
					.noneMatch((key) -> key.endsWith("/" + name) || key.endsWith("/" + name + ".manifest.json"));
				Path local = dataDir.resolve("backups").resolve(name);
				assertThat(local).exists();

				link.slowDown(0);
				SampleAppProcess restarted = start(dataDir, server.endpoint());
				try {
					await().atMost(120, TimeUnit.SECONDS)
						.until(() -> keys(bucket).contains("notes/notes/" + name + ".manifest.json"));
					byte[] uploaded = bucket
						.getObjectAsBytes((request) -> request.bucket("offsite").key("notes/notes/" + name))
						.asByteArray();
					Path copy = Files.write(dataDir.resolve("downloaded.db"), uploaded);
					assertThat(Sha256.of(copy)).isEqualTo(Sha256.of(local));
					assertThat(DataDirectory.sqlite3(copy, "PRAGMA integrity_check")).isEqualTo("ok");
					Files.delete(copy);
					report.add("killed after " + killAfter + " bytes of " + Files.size(local) + " uploaded: nothing "
							+ "visible; uploaded whole after the restart");
				}
				finally {
					restarted.close();
				}
			}
		}
		report.forEach((line) -> System.out.println("[figures] SIGKILL during upload: " + line));
	}

	private static SampleAppProcess start(Path dataDir, String endpoint) throws Exception {
		return SampleAppProcess.start(dataDir, "--sqlite.backup.schedule.initial-delay=1h",
				"--sqlite.backup.remote.url=s3://offsite/notes", "--sqlite.backup.remote.endpoint=" + endpoint,
				"--sqlite.backup.remote.path-style-access=true",
				"--sqlite.backup.remote.access-key-id=" + S3TestServer.ACCESS_KEY,
				"--sqlite.backup.remote.secret-access-key=" + S3TestServer.SECRET_KEY,
				"--sqlite.backup.remote.compression=none", "--sqlite.backup.remote.part-size=5MB",
				"--logging.level.io.github.sqlitebackup=DEBUG");
	}

	private static List<String> keys(S3Client bucket) {
		return bucket.listObjectsV2((request) -> request.bucket("offsite")).contents().stream().map(S3Object::key).toList();
	}

}
