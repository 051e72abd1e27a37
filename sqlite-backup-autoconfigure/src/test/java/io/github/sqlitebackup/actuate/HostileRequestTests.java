package io.github.sqlitebackup.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
import io.github.sqlitebackup.job.BackupManifest;
import io.github.sqlitebackup.job.BackupTrigger;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile HTTP requests against the endpoint, with restores enabled: every one is refused
 * with a 4xx status and no file anywhere under the application's directory changes.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class HostileRequestTests {

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	BackupJob job;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		TestDatabase.create(dir.resolve("app.db"), "delete", 4096, 300_000);
		Files.writeString(dir.resolve("secret.txt"), "outside the backup directory");
		Files.createDirectories(dir.resolve("backups"));
		Files.writeString(dir.resolve("backups").resolve("foreign.txt"), "in the directory, not a backup");
		registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + dir.resolve("app.db"));
		registry.add("sqlite.backup.directory", () -> dir.resolve("backups").toString());
		registry.add("sqlite.backup.restore.enabled", () -> "true");
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup");
	}

	@Test
	void everyHostileRequestIsRefusedAndTouchesNothing() throws Exception {
		BackupManifest backup = this.job.run(BackupTrigger.MANUAL).backup();
		Map<String, String> before = snapshot();
		List<String[]> requests = new ArrayList<>();
		for (String name : HostileNames.ALL) {
			requests.add(new String[] { "GET", "/actuator/sqlitebackup/" + name, null, null });
			requests.add(new String[] { "GET", "/actuator/sqlitebackup/" + name + "/file", null, null });
			requests.add(new String[] { "DELETE", "/actuator/sqlitebackup/" + name, null, null });
			requests.add(new String[] { "POST", "/actuator/sqlitebackup/" + name + "/restore", null, null });
		}
		for (String name : List.of("foreign.txt", "foreign.txt.manifest.json", backup.name() + ".manifest.json")) {
			requests.add(new String[] { "GET", "/actuator/sqlitebackup/" + name + "/file", null, null });
			requests.add(new String[] { "DELETE", "/actuator/sqlitebackup/" + name, null, null });
			requests.add(new String[] { "POST", "/actuator/sqlitebackup/" + name + "/restore", null, null });
		}
		String existing = "/actuator/sqlitebackup/" + backup.name();
		String huge = "{\"x\":\"" + "a".repeat(12 * 1024 * 1024) + "\"}";
		List<String[]> others = List.of(new String[] { "PUT", "/actuator/sqlitebackup", "{}", "application/json" },
				new String[] { "PATCH", "/actuator/sqlitebackup", "{}", "application/json" },
				new String[] { "PUT", existing, "{}", "application/json" },
				new String[] { "DELETE", "/actuator/sqlitebackup", null, null },
				new String[] { "DELETE", existing + "/file", null, null },
				new String[] { "POST", existing + "/file", null, null },
				new String[] { "POST", existing + "/delete", null, null },
				new String[] { "GET", existing + "/restore", null, null },
				new String[] { "POST", existing + "/restore/now", null, null },
				new String[] { "POST", "/actuator/sqlitebackup", "{not json", "application/json" },
				new String[] { "POST", "/actuator/sqlitebackup", "[1,2", "application/json" },
				new String[] { "POST", existing + "/restore", "{\"action\":", "application/json" },
				new String[] { "POST", existing + "/restore/x", huge, "application/json" },
				new String[] { "POST", "/actuator/sqlitebackup", "name=../app.db", "application/x-www-form-urlencoded" },
				new String[] { "POST", "/actuator/sqlitebackup", "<x/>", "application/xml" },
				new String[] { "GET", "/actuator/sqlitebackup/" + "x".repeat(5000), null, null },
				new String[] { "GET", "/actuator/sqlitebackup/%25", null, null },
				new String[] { "GET", "/actuator/sqlitebackup/%252e%252e", null, null },
				new String[] { "DELETE", "/actuator/sqlitebackup/%00", null, null });
		requests.addAll(others);
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		for (String[] request : requests) {
			HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + request[1]))
				.timeout(Duration.ofSeconds(60));
			if (request[2] != null) {
				builder.header("Content-Type", request[3]).method(request[0], HttpRequest.BodyPublishers.ofString(request[2]));
			}
			else {
				builder.method(request[0], HttpRequest.BodyPublishers.noBody());
			}
			int status = send(client, builder.build());
			assertThat(status).as(request[0] + " " + abbreviate(request[1]) + " " + abbreviate(request[2]))
				.isBetween(400, 499);
		}
		assertThat(requests).hasSizeGreaterThanOrEqualTo(40);
		System.out.printf("[figures] %d hostile requests refused%n", requests.size());
		assertThat(snapshot()).isEqualTo(before);
		assertThat(this.job.backups()).containsExactly(backup);
	}

	private static int send(HttpClient client, HttpRequest request) throws Exception {
		try {
			return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (java.io.IOException ex) {
			// the server may close the connection on a body it refuses to read
			return 413;
		}
	}

	private static String abbreviate(String text) {
		return (text == null || text.length() < 80) ? String.valueOf(text) : text.substring(0, 80) + "…";
	}

	private static Map<String, String> snapshot() throws Exception {
		Map<String, String> files = new TreeMap<>();
		try (var walk = Files.walk(dir)) {
			for (Path file : walk.filter(Files::isRegularFile).toList()) {
				files.put(dir.relativize(file).toString(), TestDatabase.sha256(file));
			}
		}
		return files;
	}

}
