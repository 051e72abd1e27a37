package io.github.sqlitebackup.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
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
import io.github.sqlitebackup.replication.ReplicatedDatabases;
import io.github.sqlitebackup.replication.WalReplicator;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /actuator/sqlitebackup/{database}/restore[/{instant}]} with replication on
 * and restores enabled: the live database returns to its state at the instant (or its
 * latest replicated state), a safety backup of the state before is kept, and the restore
 * is replicated in turn, so it can itself be undone by restoring to an instant before it.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ReplicationEndpointRestoreTests {

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	BackupJob job;

	@Autowired
	ReplicatedDatabases replicated;

	@Autowired
	DataSource dataSource;

	private Http http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		EndpointTestApplication.useDatabase(registry, dir, "wal", 200_000);
		registry.add("sqlite.backup.restore.enabled", () -> "true");
		registry.add("sqlite.backup.replication.enabled", () -> "true");
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup");
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@Test
	void returnsTheDatabaseToAnInstantAndTheRestoreCanItselfBeUndone() throws Exception {
		Instant first = commitAndReplicate("first");
		String atFirst = fingerprint();
		Instant second = commitAndReplicate("second");
		String atSecond = fingerprint();
		assertThat(atSecond).isNotEqualTo(atFirst);

		Http.Response response = this.http.post("/actuator/sqlitebackup/app/restore/" + first);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat((String) response.read("$.status")).isEqualTo("RESTORED");
		assertThat((String) response.read("$.backup")).startsWith("replicated state of database 'app'");
		String safety = response.read("$.safetyBackup");
		assertThat(fingerprint()).isEqualTo(atFirst);
		assertThat(TestDatabase.fingerprint(dir.resolve("backups").resolve(safety)))
			.as("the safety backup holds the state before the restore")
			.isEqualTo(atSecond);
		assertThat(TestDatabase.fileNames(dir.resolve("backups").resolve("replication-app")))
			.as("the state was written in a private file that is gone")
			.noneMatch((name) -> name.startsWith(".restore-"));

		assertThat(this.replicated.awaitReplicated(Duration.ofSeconds(30))).isTrue();
		response = this.http.post("/actuator/sqlitebackup/app/restore/" + second);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(fingerprint()).as("restoring to an instant before the restore undoes it").isEqualTo(atSecond);

		commitAndReplicate("third");
		String latest = fingerprint();
		response = this.http.post("/actuator/sqlitebackup/app/restore");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(fingerprint()).as("the latest replicated state is the live one").isEqualTo(latest);
	}

	@Test
	void anInstantBeforeAnythingWasReplicatedRestoresNothing() throws Exception {
		String before = fingerprint();
		int backups = this.job.backups().size();
		Http.Response response = this.http.post("/actuator/sqlitebackup/app/restore/2000-01-01T00:00:00Z");
		assertThat(response.status()).isEqualTo(404);
		assertThat((String) response.read("$.message")).contains("No replicated state")
			.contains("2000-01-01T00:00:00Z");
		response = this.http.post("/actuator/sqlitebackup/app/restore/-999999999-01-01T00:00:00Z");
		assertThat(response.status()).as("the earliest instant there is").isEqualTo(404);
		assertThat(fingerprint()).isEqualTo(before);
		assertThat(this.job.backups()).hasSize(backups);
	}

	@Test
	void badInstantsAndAnInstantForABackupAreRefusedNamingTheProblem() throws Exception {
		String before = fingerprint();
		Http.Response response = this.http.post("/actuator/sqlitebackup/app/restore/yesterday");
		assertThat(response.status()).isEqualTo(400);
		assertThat((String) response.read("$.message")).contains("ISO-8601").contains("yesterday");
		response = this.http.post("/actuator/sqlitebackup/app/restore/2026-12-04T09:15:00");
		assertThat(response.status()).as("an instant without an offset is ambiguous").isEqualTo(400);
		response = this.http.post("/actuator/sqlitebackup/app-20261121T140503123Z.db/restore/2026-12-04T09:15:00Z");
		assertThat(response.status()).isEqualTo(400);
		assertThat((String) response.read("$.message")).contains("/actuator/sqlitebackup/{database}/restore/{instant}");
		response = this.http.post("/actuator/sqlitebackup/other/restore");
		assertThat(response.status()).as("an unknown database").isEqualTo(400);
		assertThat(fingerprint()).isEqualTo(before);
	}

	@Test
	void aStateReplicatedFromAnotherDatabaseFileIsRefusedUnlessForced() throws Exception {
		Path other = TestDatabase.create(dir.resolve("other.db"), "wal", 4096, 100_000);
		Path otherReplica = Files.createDirectories(dir.resolve("other-replica"));
		try (WalReplicator replicator = new WalReplicator(other, LocalDirectoryStorage.open(otherReplica),
				otherReplica, Clock.systemUTC(), new WalReplicator.Settings(1 << 20, Duration.ofSeconds(5)))) {
			replicator.start();
		}
		String snapshot = TestDatabase.fileNames(otherReplica).get(0);
		Path replica = dir.resolve("backups").resolve("replication-app");
		Path foreign = replica.resolve("000900" + snapshot.substring(6));
		Files.copy(otherReplica.resolve(snapshot), foreign);
		try {
			String before = fingerprint();
			Http.Response response = this.http.post("/actuator/sqlitebackup/app/restore");
			assertThat(response.status()).as(response.body()).isEqualTo(409);
			assertThat((String) response.read("$.status")).isEqualTo("REFUSED");
			assertThat((String) response.read("$.message")).contains(other.toString()).contains("force");
			assertThat(fingerprint()).isEqualTo(before);
			response = this.http.post("/actuator/sqlitebackup/app/force-restore");
			assertThat(response.status()).as(response.body()).isEqualTo(200);
			assertThat(fingerprint()).as("forced, the other database's state")
				.isEqualTo(TestDatabase.fingerprint(other));
		}
		finally {
			Files.delete(foreign);
		}
	}

	/** Commit a row, wait until it is replicated, and return an instant after it. */
	private Instant commitAndReplicate(String note) throws Exception {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO ledger (amount, note) VALUES (1, '" + note + "')");
		}
		assertThat(this.replicated.awaitReplicated(Duration.ofSeconds(30))).isTrue();
		Instant replicated = Instant.now();
		// the next commit's time is later than this instant, to the millisecond
		await().until(() -> Instant.now().toEpochMilli() > replicated.toEpochMilli());
		return replicated;
	}

	private String fingerprint() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			return TestDatabase.fingerprint(connection);
		}
	}

}
