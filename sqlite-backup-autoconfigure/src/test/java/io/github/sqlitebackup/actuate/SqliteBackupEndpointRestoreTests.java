package io.github.sqlitebackup.actuate;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

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
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restores through the endpoint, with {@code sqlite.backup.restore.enabled=true}.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SqliteBackupEndpointRestoreTests {

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	BackupJob job;

	@Autowired
	DataSource dataSource;

	private Http http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		EndpointTestApplication.useDatabase(registry, dir, "wal", 1_000_000);
		registry.add("sqlite.backup.restore.enabled", () -> "true");
		registry.add("management.endpoints.web.exposure.include", () -> "sqlitebackup");
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@Test
	void restoreRoundTripTakesASafetyBackupFirst() throws Exception {
		insertLedgerRow("before the backup");
		BackupManifest backup = this.job.run(BackupTrigger.MANUAL).backup();
		String backedUp = TestDatabase.fingerprint(dir.resolve("backups").resolve(backup.name()));
		insertLedgerRow("after the backup");
		String current = fingerprint();
		assertThat(current).isNotEqualTo(backedUp);

		Http.Response response = this.http.post("/actuator/sqlitebackup/" + backup.name() + "/restore");
		assertThat(response.status()).isEqualTo(200);
		assertThat((String) response.read("$.status")).isEqualTo("RESTORED");
		String safetyName = response.read("$.safetyBackup");
		assertThat(((Number) response.read("$.pages")).longValue()).isEqualTo(backup.pageCount());

		assertThat(fingerprint()).isEqualTo(backedUp);
		BackupManifest safety = this.job.backup(safetyName).orElseThrow();
		assertThat(TestDatabase.fingerprint(dir.resolve("backups").resolve(safety.name()))).isEqualTo(current);
		insertLedgerRow("the application keeps writing after the restore");
	}

	@Test
	void backupThatNoLongerMatchesItsManifestIsNotRestored() throws Exception {
		BackupManifest backup = this.job.run(BackupTrigger.MANUAL).backup();
		insertLedgerRow("newer than the backup");
		try (RandomAccessFile file = new RandomAccessFile(dir.resolve("backups").resolve(backup.name()).toFile(), "rw")) {
			file.seek(backup.bytes() - 100);
			file.write(42);
		}
		String before = fingerprint();
		int backups = this.job.backups().size();
		Http.Response response = this.http.post("/actuator/sqlitebackup/" + backup.name() + "/restore");
		assertThat(response.status()).isEqualTo(500);
		assertThat((String) response.read("$.status")).isEqualTo("FAILED");
		assertThat((String) response.read("$.message")).contains("does not match its manifest");
		assertThat(fingerprint()).isEqualTo(before);
		assertThat(this.job.backups()).hasSize(backups);
	}

	@Test
	void unknownAndHostileNamesRestoreNothing() throws Exception {
		this.job.run(BackupTrigger.MANUAL);
		String before = fingerprint();
		int backups = this.job.backups().size();
		assertThat(this.http.post("/actuator/sqlitebackup/app-20000101T000000000Z.db/restore").status())
			.isEqualTo(404);
		for (String name : HostileNames.ALL) {
			assertThat(this.http.post("/actuator/sqlitebackup/" + name + "/restore").status()).as(name).isIn(400, 404);
		}
		assertThat(fingerprint()).isEqualTo(before);
		assertThat(this.job.backups()).hasSize(backups);
	}

	@Test
	void aDatabaseIsReturnedToAnInstantOnlyWhenItIsReplicated() throws Exception {
		String before = fingerprint();
		Http.Response response = this.http.post("/actuator/sqlitebackup/app/restore/2026-12-04T09:15:00Z");
		assertThat(response.status()).isEqualTo(404);
		assertThat((String) response.read("$.message")).contains("not replicated")
			.contains("sqlite.backup.replication.enabled");
		assertThat(fingerprint()).isEqualTo(before);
	}

	private void insertLedgerRow(String note) throws Exception {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO ledger (amount, note) VALUES (1, '" + note + "')");
			statement.execute("UPDATE account SET balance = balance + 1 WHERE id = 1");
		}
	}

	private String fingerprint() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			return TestDatabase.fingerprint(connection);
		}
	}

}
