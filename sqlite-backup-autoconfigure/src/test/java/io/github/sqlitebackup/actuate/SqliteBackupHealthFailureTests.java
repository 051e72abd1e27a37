package io.github.sqlitebackup.actuate;

import java.time.Duration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.sqlitebackup.support.TestDatabase;
import io.github.sqlitebackup.support.TestDirectories;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health goes UP → DOWN when a scheduled backup fails → UP when the next one succeeds, and
 * the failure is counted by cause.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SqliteBackupHealthFailureTests {

	/** Not a JUnit temp directory: the schedule writes into it until the context closes. */
	static final Path dir = TestDirectories.create("health-failure");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		EndpointTestApplication.useDatabase(registry, dir, "delete", 300_000);
		registry.add("sqlite.backup.schedule.fixed-delay", () -> "150ms");
		registry.add("sqlite.backup.max-retries", () -> "1");
		registry.add("sqlite.backup.retry-sleep", () -> "10ms");
		registry.add("sqlite.backup.retention.keep-last", () -> "3");
		registry.add("sqlite.backup.health.max-age", () -> "1h");
		registry.add("management.endpoints.web.exposure.include", () -> "health,metrics,sqlitebackup");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@Test
	void aFailedScheduledBackupMakesHealthDownUntilTheNextOneSucceeds() throws Exception {
		Http http = new Http(this.port);
		awaitHealth(http, "UP");
		try (Connection locker = TestDatabase.connect(dir.resolve("app.db"));
				Statement statement = locker.createStatement()) {
			// an exclusive lock in rollback-journal mode keeps every reader out, the backup too
			statement.execute("BEGIN EXCLUSIVE");
			Http.Response down = awaitHealth(http, "DOWN");
			assertThat((String) down.read("$.details.reason")).isEqualTo("the last scheduled backup failed");
			assertThat((String) down.read("$.details.lastFailure")).contains("SQLITE_BUSY");
			statement.execute("ROLLBACK");
		}
		awaitHealth(http, "UP");
		Http.Response failures = http.get("/actuator/metrics/sqlite.backup.failures?tag=cause:busy");
		assertThat(failures.status()).isEqualTo(200);
		assertThat(failures.measurement("COUNT")).isGreaterThanOrEqualTo(1.0);
		Http.Response failedRuns = http.get("/actuator/metrics/sqlite.backup.duration?tag=result:failure");
		assertThat(failedRuns.measurement("COUNT"))
			.isGreaterThanOrEqualTo(1.0);
		assertThat((String) http.get("/actuator/sqlitebackup").read("$.databases.app.schedule")).startsWith("every PT0.15S");
	}

	private static Http.Response awaitHealth(Http http, String status) throws Exception {
		Predicate<Http.Response> matches = (response) -> status.equals(response.read("$.status"));
		return await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/actuator/health/sqliteBackup"), matches);
	}

}
