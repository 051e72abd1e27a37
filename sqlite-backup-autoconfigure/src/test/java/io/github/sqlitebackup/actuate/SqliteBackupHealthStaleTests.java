package io.github.sqlitebackup.actuate;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health goes UNKNOWN → UP → DOWN (stale) → UP, and metrics follow the runs; the endpoint
 * itself is not exposed here, as by default.
 */
@SpringBootTest(classes = { EndpointTestApplication.class, SqliteBackupHealthStaleTests.Clocks.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SqliteBackupHealthStaleTests {

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	BackupJob job;

	@Autowired
	MutableClock clock;

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		MutableClock clock() {
			return MutableClock.now();
		}

	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		EndpointTestApplication.useDatabase(registry, dir, "wal", 500_000);
		registry.add("sqlite.backup.health.max-age", () -> "1500ms");
		registry.add("management.endpoints.web.exposure.include", () -> "health,metrics");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@Test
	void healthFollowsTheAgeOfTheNewestVerifiedBackupAndMetricsFollowTheRuns() throws Exception {
		Http http = new Http(this.port);
		Http.Response unknown = http.get("/actuator/health/sqliteBackup");
		assertThat((String) unknown.read("$.status")).isEqualTo("UNKNOWN");
		assertThat((String) unknown.read("$.details.reason")).isEqualTo("no verified backup yet");

		BackupManifest first = this.job.run(BackupTrigger.MANUAL).backup();
		Http.Response up = http.get("/actuator/health/sqliteBackup");
		assertThat(up.status()).isEqualTo(200);
		assertThat((String) up.read("$.status")).isEqualTo("UP");
		assertThat((String) up.read("$.details.newestBackup")).isEqualTo(first.name());
		assertThat((String) up.read("$.details.staleBefore"))
			.isEqualTo(this.clock.instant().minusMillis(1500).toString());

		this.clock.step(Duration.ofMillis(1501));
		Http.Response down = http.get("/actuator/health/sqliteBackup");
		assertThat(down.status()).isEqualTo(503);
		assertThat((String) down.read("$.status")).isEqualTo("DOWN");
		assertThat((String) down.read("$.details.reason")).contains("older than the freshness limit");

		BackupManifest second = this.job.run(BackupTrigger.MANUAL).backup();
		assertThat((String) http.get("/actuator/health/sqliteBackup").read("$.status")).isEqualTo("UP");

		Http.Response duration = http.get("/actuator/metrics/sqlite.backup.duration?tag=result:success");
		assertThat(duration.status()).isEqualTo(200);
		assertThat(duration.measurement("COUNT"))
			.isEqualTo(2.0);
		Http.Response size = http.get("/actuator/metrics/sqlite.backup.size");
		assertThat(size.measurement("TOTAL"))
			.isEqualTo((double) (first.bytes() + second.bytes()));
		assertThat(((Number) http.get("/actuator/metrics/sqlite.backup.kept").read("$.measurements[0].value"))
			.intValue()).isEqualTo(2);
		assertThat(((Number) http.get("/actuator/metrics/sqlite.backup.last.success").read("$.measurements[0].value"))
			.doubleValue()).isGreaterThan(second.created().getEpochSecond() - 1.0);
		assertThat(((Number) http.get("/actuator/metrics/sqlite.backup.restarts").read("$.measurements[0].value"))
			.doubleValue()).isZero();
		assertThat(http.get("/actuator/metrics/sqlite.backup.failures").status()).isEqualTo(404);
		assertThat(http.get("/actuator/sqlitebackup").status()).as("not exposed unless included").isEqualTo(404);
	}

}
