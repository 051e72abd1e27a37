package io.github.sqlitebackup.actuate;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.sqlitebackup.job.BackupJob;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint on its own management port (a child context) under a mapped path: request
 * bodies are still refused there, and the endpoint works without one.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SeparateManagementPortTests {

	@TempDir
	static Path dir;

	@LocalManagementPort
	int managementPort;

	@Autowired
	BackupJob job;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		EndpointTestApplication.useDatabase(registry, dir, "wal", 100_000);
		registry.add("management.server.port", () -> "0");
		registry.add("management.endpoints.web.base-path", () -> "/manage");
		registry.add("management.endpoints.web.path-mapping.sqlitebackup", () -> "backups");
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup");
	}

	@Test
	void bodiesAreRefusedOnTheManagementPortAndTheEndpointAnswersWithoutOne() throws Exception {
		RawHttp.Answer tooBig = RawHttp.sendStartOfBody(this.managementPort, "/manage/backups", 5_000_000,
				"{\"a\":\"".getBytes());
		assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(413);
		assertThat(this.job.backups()).isEmpty();
		Http.Response run = new Http(this.managementPort).post("/manage/backups");
		assertThat(run.status()).as(run.body()).isEqualTo(201);
		assertThat(this.job.backups()).hasSize(1);
	}

}
