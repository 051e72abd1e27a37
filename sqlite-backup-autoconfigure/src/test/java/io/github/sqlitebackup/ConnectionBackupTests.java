package io.github.sqlitebackup;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.support.LedgerWriter;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Backups into an open connection: the "load a snapshot into an in-memory database for
 * tests" use case.
 */
class ConnectionBackupTests {

	@TempDir
	Path dir;

	@ParameterizedTest(name = "journal_mode={0}, page size {1}")
	@CsvSource({ "wal, 4096", "delete, 4096", "wal, 8192", "delete, 1024" })
	void backupIntoAnInMemoryDatabase(String journalMode, int pageSize) throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), journalMode, pageSize, 1_000_000);
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1);
				Connection memory = DriverManager.getConnection("jdbc:sqlite::memory:")) {
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(memory,
					BackupOptions.defaults().withStepSize(100));
			assertThat(TestDatabase.fingerprint(memory)).isEqualTo(TestDatabase.fingerprint(database));
			assertThat(TestDatabase.queryLong(memory, "PRAGMA page_size")).isEqualTo(pageSize);
			assertThat(result.path()).isNull();
			assertThat(result.target()).contains(":memory:");
			assertThat(result.pages()).isEqualTo(TestDatabase.queryLong(memory, "PRAGMA page_count"));
			assertThat(result.steps()).isGreaterThan(1);
			try (Statement statement = memory.createStatement()) {
				statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'in memory only')");
			}
		}
		assertThat(tempDirectoryStagingFiles()).isZero();
	}

	@Test
	void backupIntoAFileConnectionReplacesItsContent() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 500_000);
		Path other = TestDatabase.create(this.dir.resolve("other.db"), "delete", 4096, 100_000);
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1); Connection target = TestDatabase.connect(other)) {
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(target);
			assertThat(result.target()).isEqualTo("connection to " + other.toRealPath());
		}
		assertThat(TestDatabase.fingerprint(other)).isEqualTo(TestDatabase.fingerprint(database));
	}

	@Test
	void snapshotUnderConcurrentWritesIsOneCommittedState() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 4_000_000);
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1);
				LedgerWriter writer = new LedgerWriter(database, 1);
				Connection memory = DriverManager.getConnection("jdbc:sqlite::memory:")) {
			writer.awaitCommits(20);
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(memory,
					BackupOptions.defaults().withStepSize(10));
			assertThat(TestDatabase.checkLedger(memory)).isGreaterThanOrEqualTo(20);
			assertThat(result.restarts()).isZero();
			assertThat(result.sha256()).as("no file was published").isNull();
		}
	}

	@Test
	void failingListenerLeavesTheTargetAsItWas() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 500_000);
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1);
				Connection memory = DriverManager.getConnection("jdbc:sqlite::memory:");
				Statement statement = memory.createStatement()) {
			statement.execute("CREATE TABLE mine (x)");
			statement.execute("INSERT INTO mine VALUES ('keep me')");
			String before = TestDatabase.fingerprint(memory);
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> new SqliteBackupTemplate(dataSource).backup(memory,
						BackupOptions.defaults().withProgress((progress) -> {
							throw new IllegalStateException("no");
						})))
				.withMessageContaining("progress listener threw");
			assertThat(TestDatabase.fingerprint(memory)).isEqualTo(before);
		}
	}

	private static long tempDirectoryStagingFiles() throws Exception {
		return TestDatabase.fileNames(Path.of(System.getProperty("java.io.tmpdir")))
			.stream()
			.filter((name) -> name.startsWith(".sqlite-backup.") && name.endsWith(StagingFile.SUFFIX))
			.count();
	}

}
