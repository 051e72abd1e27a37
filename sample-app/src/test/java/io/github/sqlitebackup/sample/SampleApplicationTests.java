package io.github.sqlitebackup.sample;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample boots on a SQLite file with the starter, serves notes over HTTP and backs
 * them up with the auto-configured template.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void dataDirectory(DynamicPropertyRegistry registry) {
		registry.add("sample.data-dir", dataDir::toString);
		registry.add("management.server.port", () -> "0");
	}

	@Test
	void notesCreatedOverHttpAreInTheBackupTakenOverHttp() throws Exception {
		RestClient http = RestClient.create("http://localhost:" + this.port);
		http.post().uri("/notes").body(Map.of("text", "remember the milk")).retrieve().toBodilessEntity();
		Map<String, Object> outcome = http.post()
			.uri("/backups")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(outcome).containsEntry("status", "SUCCEEDED");
		@SuppressWarnings("unchecked")
		Map<String, Object> backup = (Map<String, Object>) outcome.get("backup");
		assertThat(backup).containsEntry("journalMode", "wal").containsEntry("verification", "quick");
		Path file = dataDir.resolve("backups").resolve((String) backup.get("name"));
		assertThat(dataDir.resolve("backups").resolve(backup.get("name") + ".manifest.json")).exists();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				ResultSet rows = connection.createStatement().executeQuery("SELECT text FROM note")) {
			assertThat(rows.next()).isTrue();
			assertThat(rows.getString(1)).isEqualTo("remember the milk");
		}
	}

}
