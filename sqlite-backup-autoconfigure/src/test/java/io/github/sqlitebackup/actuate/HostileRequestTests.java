package io.github.sqlitebackup.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
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
		EndpointTestApplication.useDatabase(registry, dir, "delete", 300_000);
		Files.writeString(dir.resolve("secret.txt"), "outside the backup directory");
		Files.createDirectories(dir.resolve("backups"));
		Files.writeString(dir.resolve("backups").resolve("foreign.txt"), "in the directory, not a backup");
		registry.add("sqlite.backup.restore.enabled", () -> "true");
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup");
	}

	@Test
	void everyHostileRequestIsRefusedAndTouchesNothing() throws Exception {
		BackupManifest backup = this.job.run(BackupTrigger.MANUAL).backup();
		List<BackupManifest> catalog = this.job.backups();
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
				new String[] { "POST", "/actuator/sqlitebackup", huge, "application/json" },
				new String[] { "POST", existing + "/restore", huge, "application/json" },
				new String[] { "POST", "/actuator/sqlitebackup", "{\"name\":\"../app.db\"}", "application/json" },
				new String[] { "POST", existing + "/restore", "{\"force\":true}", "application/json" },
				new String[] { "POST", "/actuator/sqlitebackup", "\"x\"", "application/json" },
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
			int status = (request[2] != null && request[2].length() > EndpointRequestBodyFilter.MAX_BODY_BYTES)
					? RawHttp.sendStartOfBody(this.port, request[1], request[2].length(), request[2].substring(0, 65536)
						.getBytes(StandardCharsets.UTF_8)).status()
					: send(client, builder.build());
			assertThat(status).as(request[0] + " " + abbreviate(request[1]) + " " + abbreviate(request[2]))
				.isBetween(400, 499);
		}
		assertThat(requests).hasSizeGreaterThanOrEqualTo(40);
		System.out.printf("[figures] %d hostile requests refused%n", requests.size());
		assertThat(snapshot()).isEqualTo(before);
		assertThat(this.job.backups()).isEqualTo(catalog);
	}

	@Test
	void requestBodiesAreRefusedBeforeTheOperationRuns() throws Exception {
		this.job.run(BackupTrigger.MANUAL);
		List<BackupManifest> before = this.job.backups();
		String backup = "/actuator/sqlitebackup/" + before.get(0).name() + "/restore";
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		byte[] start = ("{\"x\":\"" + "a".repeat(65536)).getBytes(StandardCharsets.UTF_8);
		assertRefusal(RawHttp.sendStartOfBody(this.port, "/actuator/sqlitebackup", 20_000_000, start), 413,
				"takes no request body; this one has 20000000 bytes");
		assertRefusal(RawHttp.sendStartOfBody(this.port, backup, -1, start), 413, "more than 1024 bytes");
		assertRefusal(answer(client, backup, "{\"force\": true}"), 400, "takes no parameters; remove [force]");
		assertRefusal(answer(client, "/actuator/sqlitebackup", "[]"), 400, "not a JSON object");
		assertThat(this.job.backups()).as("no backup was made or restored").isEqualTo(before);
		RawHttp.Answer empty = answer(client, "/actuator/sqlitebackup", " { } ");
		assertThat(empty.status()).as(empty.body()).isIn(200, 201);
	}

	private RawHttp.Answer answer(HttpClient client, String path, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
		return new RawHttp.Answer(response.statusCode(), response.body());
	}

	private static void assertRefusal(RawHttp.Answer answer, int status, String message) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(status);
		assertThat(answer.body()).contains(message);
	}

	private static int send(HttpClient client, HttpRequest request) throws Exception {
		return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
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
