package io.github.sqlitebackup.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.RestoreOutcome;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with two SQLite DataSources of its own (HikariCP pools, no
 * {@code spring.datasource.url}): the primary {@code app.db}, with {@code audit.db}
 * attached to every connection as schema {@code audit}, and {@code events.db}. The primary
 * is backed up without configuration, the others through {@code sqlite.backup.databases};
 * each has its own schedule, catalog, health and meters, and a restore of one leaves the
 * others byte for byte unchanged.
 */
@SpringBootTest(classes = SeveralDatabasesTests.Application.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SeveralDatabasesTests {

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	BackupDatabases databases;

	@Autowired
	DataSource app;

	@Autowired
	@Qualifier("eventsDataSource")
	DataSource events;

	private Http http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		TestDatabase.create(dir.resolve("app.db"), "wal", 4096, 300_000);
		TestDatabase.create(dir.resolve("events.db"), "wal", 4096, 200_000);
		TestDatabase.create(dir.resolve("audit.db"), "delete", 1024, 100_000);
		registry.add("test.dir", () -> dir.toString());
		registry.add("sqlite.backup.directory", () -> dir.resolve("backups").toString());
		registry.add("sqlite.backup.restore.enabled", () -> "true");
		registry.add("sqlite.backup.databases.events.data-source", () -> "eventsDataSource");
		registry.add("sqlite.backup.databases.events.schedule.cron", () -> "0 0 3 * * *");
		registry.add("sqlite.backup.databases.events.schedule.zone", () -> "UTC");
		registry.add("sqlite.backup.databases.events.retention.keep-last", () -> "2");
		registry.add("sqlite.backup.databases.events.directory", () -> dir.resolve("event-backups").toString());
		registry.add("sqlite.backup.databases.audit.schema", () -> "audit");
		registry.add("sqlite.backup.databases.audit.verify", () -> "full");
		registry.add("sqlite.backup.databases.audit.schedule.fixed-delay", () -> "1h");
		registry.add("sqlite.backup.databases.audit.schedule.initial-delay", () -> "1h");
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup,health,metrics");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@Test
	void everyDatabaseIsListedWithItsOwnScheduleInOrder() throws Exception {
		assertThat(this.databases.ids()).containsExactly("app", "events", "audit");
		Http.Response list = this.http.get("/actuator/sqlitebackup");
		assertThat(list.status()).isEqualTo(200);
		Map<String, Object> described = list.read("$.databases");
		assertThat(described.keySet()).containsExactly("app", "events", "audit");
		assertThat((String) list.read("$.databases.app.schedule")).isEqualTo("none");
		assertThat((String) list.read("$.databases.events.schedule")).isEqualTo("cron '0 0 3 * * *' in UTC");
		assertThat((String) list.read("$.databases.audit.schedule")).startsWith("every PT1H");
		assertThat((String) list.read("$.databases.audit.database")).isEqualTo("audit");
	}

	@Test
	void eachDatabaseIsBackedUpIntoItsOwnCatalogWithItsOwnContent() throws Exception {
		Http.Response unnamed = this.http.post("/actuator/sqlitebackup");
		assertThat(unnamed.status()).isEqualTo(400);
		assertThat((String) unnamed.read("$.message")).contains("[app, events, audit]");
		assertThat(this.http.post("/actuator/sqlitebackup/nope").status()).isEqualTo(404);
		for (String id : List.of("app", "events", "audit")) {
			Http.Response made = this.http.post("/actuator/sqlitebackup/" + id);
			assertThat(made.status()).as(made.body()).isEqualTo(201);
			String name = made.read("$.backup");
			assertThat(name).startsWith(id + "-");
			Http.Response manifest = this.http.get("/actuator/sqlitebackup/" + name);
			assertThat(manifest.status()).isEqualTo(200);
			assertThat((String) manifest.read("$.database")).isEqualTo(id);
			assertThat((String) this.http.get("/actuator/sqlitebackup").read("$.databases." + id + ".backups[0].name"))
				.isEqualTo(name);
		}
		BackupJob audit = this.databases.job("audit").orElseThrow();
		BackupManifest auditBackup = audit.backups().get(0);
		assertThat(auditBackup.verification().name()).isEqualTo("FULL");
		assertThat(TestDatabase.fingerprint(dir.resolve("backups").resolve(auditBackup.name())))
			.as("the attached schema's backup holds audit.db")
			.isEqualTo(TestDatabase.fingerprint(dir.resolve("audit.db")));
		BackupManifest eventsBackup = this.databases.job("events").orElseThrow().backups().get(0);
		assertThat(dir.resolve("event-backups").resolve(eventsBackup.name())).exists();
		assertThat(TestDatabase.fingerprint(dir.resolve("event-backups").resolve(eventsBackup.name())))
			.isEqualTo(TestDatabase.fingerprint(dir.resolve("events.db")));
		assertThat(TestDatabase.fileNames(dir.resolve("backups"))).noneMatch((file) -> file.startsWith("events-"));
	}

	@Test
	void healthHasAComponentPerDatabaseAndMetersADatabaseTag() throws Exception {
		this.databases.job("events").orElseThrow().run(BackupTrigger.MANUAL);
		Http.Response health = this.http.get("/actuator/health");
		Map<String, Object> components = health.read("$.components.sqliteBackup.components");
		assertThat(components.keySet()).containsExactlyInAnyOrder("app", "events", "audit");
		assertThat((String) health.read("$.components.sqliteBackup.components.events.details.newestBackup"))
			.startsWith("events-");
		Http.Response durations = this.http
			.get("/actuator/metrics/sqlite.backup.duration?tag=database:events&tag=result:success");
		assertThat(durations.status()).isEqualTo(200);
		assertThat(durations.measurement("COUNT")).isGreaterThanOrEqualTo(1);
		List<String> tags = this.http.get("/actuator/metrics/sqlite.backup.kept")
			.read("$.availableTags[?(@.tag=='database')].values[*]");
		assertThat(tags).containsExactlyInAnyOrder("app", "events", "audit");
	}

	@Test
	void restoringOneDatabaseLeavesTheOthersByteForByteAndRefusesAnotherDatabasesBackup() throws Exception {
		BackupJob eventsJob = this.databases.job("events").orElseThrow();
		BackupManifest before = eventsJob.run(BackupTrigger.MANUAL).backup();
		String eventsBefore = TestDatabase.fingerprint(dir.resolve("events.db"));
		BackupManifest appBackup = this.databases.job("app").orElseThrow().run(BackupTrigger.MANUAL).backup();
		try (Connection connection = this.events.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'after the backup')");
		}
		checkpoint(this.app);
		List<String> others = snapshot();
		Http.Response restored = this.http.post("/actuator/sqlitebackup/" + before.name() + "/restore");
		assertThat(restored.status()).as(restored.body()).isEqualTo(200);
		assertThat(TestDatabase.fingerprint(dir.resolve("events.db"))).isEqualTo(eventsBefore);
		assertThat(snapshot()).as("app.db and audit.db are untouched").isEqualTo(others);
		RestoreOutcome foreign = eventsJob.restore(appBackup.name(), true);
		assertThat(foreign.status()).as("events' job does not find app's backup, even with force")
			.isEqualTo(RestoreOutcome.Status.NOT_FOUND);
		assertThat(TestDatabase.fingerprint(dir.resolve("events.db"))).isEqualTo(eventsBefore);
	}

	private static void checkpoint(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA main.wal_checkpoint(TRUNCATE)");
		}
	}

	private static List<String> snapshot() throws Exception {
		List<String> files = new ArrayList<>();
		for (String name : List.of("app.db", "app.db-wal", "audit.db")) {
			Path file = dir.resolve(name);
			files.add(name + "=" + (Files.exists(file) ? TestDatabase.sha256(file) : "absent"));
		}
		return files;
	}

	// Spring Security is on the test class path for the security tests
	@SpringBootApplication(excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration" })
	static class Application {

		@Bean
		@Primary
		HikariDataSource dataSource(@Value("${test.dir}") Path dir) {
			return TestDatabase.pool(dir.resolve("app.db"), 3,
					"ATTACH DATABASE '" + dir.resolve("audit.db") + "' AS audit");
		}

		@Bean
		HikariDataSource eventsDataSource(@Value("${test.dir}") Path dir) {
			return TestDatabase.pool(dir.resolve("events.db"), 2);
		}

	}

}
