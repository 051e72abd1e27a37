package io.github.sqlitebackup.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's security chain, compiled and run as printed: the backup role backs up,
 * deletes and restores over HTTP Basic, other users and anonymous requests are refused,
 * health stays public, and the application's own routes keep their own rules.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SecuredEndpointTests {

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		Path database = TestDatabase.create(dir.resolve("app.db"), "wal", 4096, 200_000);
		registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + database);
		registry.add("sqlite.backup.directory", () -> dir.resolve("backups").toString());
		registry.add("sqlite.backup.restore.enabled", () -> "true");
		registry.add("management.endpoints.web.exposure.include", () -> "health,sqlitebackup");
	}

	@Test
	void theBackupRoleOperatesTheEndpointAndNobodyElseDoes() throws Exception {
		assertThat(send("POST", "/actuator/sqlitebackup", null).statusCode()).isEqualTo(401);
		assertThat(send("POST", "/actuator/sqlitebackup", "monitor:mon-secret").statusCode()).isEqualTo(403);
		assertThat(send("GET", "/actuator/sqlitebackup", "monitor:mon-secret").statusCode()).isEqualTo(403);
		assertThat(send("GET", "/actuator/health", null).statusCode()).isEqualTo(200);

		String first = backupName(send("POST", "/actuator/sqlitebackup", "operator:op-secret"));
		String second = backupName(send("POST", "/actuator/sqlitebackup", "operator:op-secret"));
		assertThat(send("GET", "/actuator/sqlitebackup", "operator:op-secret").statusCode()).isEqualTo(200);
		assertThat(send("DELETE", "/actuator/sqlitebackup/" + second, "monitor:mon-secret").statusCode())
			.isEqualTo(403);
		assertThat(send("DELETE", "/actuator/sqlitebackup/" + second, "operator:op-secret").statusCode())
			.isEqualTo(204);
		HttpResponse<String> restored = send("POST", "/actuator/sqlitebackup/" + first + "/restore",
				"operator:op-secret");
		assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
		assertThat(restored.body()).contains("\"status\":\"RESTORED\"");
	}

	@Test
	void theApplicationsOwnRoutesKeepTheirRules() throws Exception {
		assertThat(send("GET", "/hello", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/private", null).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/private", "monitor:mon-secret").statusCode()).isEqualTo(200);
	}

	@Test
	void theReadmeShowsThisChainAsItIsCompiled() throws Exception {
		String source = Files.readString(
				Path.of("src/test/java/io/github/sqlitebackup/security/BackupEndpointSecurity.java"));
		String readme = Files.readString(Path.of("../README.md"));
		Matcher snippet = Pattern.compile("```java\n(import org\\.springframework\\.boot\\.health.*?)```", Pattern.DOTALL)
			.matcher(readme);
		assertThat(snippet.find()).as("the README has the security snippet").isTrue();
		String body = source.substring(source.indexOf("import org.springframework.boot.health"));
		assertThat(snippet.group(1).replace("    ", "\t")).isEqualTo(body);
	}

	private HttpResponse<String> send(String method, String path, String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String backupName(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		Matcher name = Pattern.compile("\"backup\":\"([^\"]+)\"").matcher(response.body());
		assertThat(name.find()).isTrue();
		return name.group(1);
	}

}
