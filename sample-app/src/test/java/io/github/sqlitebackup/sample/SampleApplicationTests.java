package io.github.sqlitebackup.sample;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample boots on a SQLite file with the starter, serves notes over HTTP, and backs
 * them up through the actuator endpoint on its management port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void dataDirectory(DynamicPropertyRegistry registry) {
		registry.add("sample.data-dir", dataDir::toString);
		registry.add("management.server.port", () -> "0");
	}

	@Test
	void notesCreatedOverHttpAreInTheBackupTakenThroughTheEndpoint() throws Exception {
		RestClient app = RestClient.create("http://localhost:" + this.port);
		RestClient management = RestClient.create("http://localhost:" + this.managementPort);
		app.post().uri("/notes").body(Map.of("text", "remember the milk")).retrieve().toBodilessEntity();
		Map<String, Object> outcome = management.post()
			.uri("/actuator/sqlitebackup")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(outcome).containsEntry("status", "SUCCEEDED");
		String name = (String) outcome.get("backup");
		Map<String, Object> backup = management.get()
			.uri("/actuator/sqlitebackup/{name}", name)
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(backup).containsEntry("journalMode", "wal").containsEntry("verification", "quick");
		Path file = dataDir.resolve("backups").resolve(name);
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				ResultSet rows = connection.createStatement().executeQuery("SELECT text FROM note")) {
			assertThat(rows.next()).isTrue();
			assertThat(rows.getString(1)).isEqualTo("remember the milk");
		}
		Map<String, Object> health = management.get()
			.uri("/actuator/health/sqliteBackup")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(health).containsEntry("status", "UP");
		@SuppressWarnings("unchecked")
		List<Object> names = (List<Object>) management.get()
			.uri("/actuator/metrics")
			.retrieve()
			.body(Map.class)
			.get("names");
		assertThat(names).contains("sqlite.backup.duration", "sqlite.backup.size", "sqlite.backup.kept");
	}

}
