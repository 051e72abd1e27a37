package io.github.sqlitebackup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every bad argument fails fast with a message that names the problem, and touches
 * nothing: the live database keeps its bytes and no file is left behind.
 */
class BadArgumentTests {

	@TempDir
	Path dir;

	private Path database;

	private HikariDataSource dataSource;

	private SqliteBackupTemplate template;

	private String databaseBytes;

	@BeforeEach
	void createDatabase() throws Exception {
		this.database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 100_000);
		this.dataSource = TestDatabase.pool(this.database, 2);
		this.template = new SqliteBackupTemplate(this.dataSource);
		this.databaseBytes = TestDatabase.sha256(this.database);
	}

	@AfterEach
	void databaseIsUntouched() throws Exception {
		this.dataSource.close();
		assertThat(TestDatabase.sha256(this.database)).isEqualTo(this.databaseBytes);
		assertThat(TestDatabase.fileNames(this.dir)).allMatch((name) -> name.startsWith("app.db") || !name.contains("."),
				"only the database and directories remain");
	}

	@Test
	void nullTargetPath() {
		assertThatExceptionOfType(SqliteBackupException.class).isThrownBy(() -> this.template.backup((Path) null))
			.withMessage("Backup target path must not be null.");
	}

	@Test
	void targetIsTheLiveDatabase() {
		assertFailsAsLiveDatabase(this.database);
	}

	@Test
	void targetIsTheLiveDatabaseThroughARelativePath() {
		Path relative = Path.of("").toAbsolutePath().relativize(this.database);
		assertFailsAsLiveDatabase(relative);
		assertFailsAsLiveDatabase(this.dir.resolve("sub/../app.db"));
	}

	@Test
	void targetIsTheLiveDatabaseThroughASymbolicLink() throws Exception {
		Path link = Files.createSymbolicLink(this.dir.resolve("link"), this.database);
		assertFailsAsLiveDatabase(link);
		Files.delete(link);
		Path linkedDirectory = Files.createSymbolicLink(this.dir.resolve("linkdir"), this.dir);
		assertFailsAsLiveDatabase(linkedDirectory.resolve("app.db"));
		Files.delete(linkedDirectory);
	}

	@Test
	void targetIsTheLiveDatabaseThroughAHardLink() throws Exception {
		Path link = Files.createLink(this.dir.resolve("hardlink"), this.database);
		assertFailsAsLiveDatabase(link);
		Files.delete(link);
	}

	@Test
	void targetIsASideFileOfTheLiveDatabase() {
		assertFailsAsLiveDatabase(this.dir.resolve("app.db-journal"));
		assertFailsAsLiveDatabase(this.dir.resolve("app.db-wal"));
	}

	@Test
	void targetDirectoryDoesNotExist() {
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> this.template.backup(this.dir.resolve("missing/copy.db")))
			.withMessageContaining("missing")
			.withMessageContaining("does not exist");
		assertThat(this.dir.resolve("missing")).doesNotExist();
	}

	@Test
	void targetDirectoryIsNotWritable() {
		// /proc/1 is not writable, not even for root
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> this.template.backup(Path.of("/proc/1/copy.db")))
			.withMessage("Backup target directory /proc/1 is not writable.");
	}

	@Test
	void targetIsADirectory() throws Exception {
		Path directory = Files.createDirectory(this.dir.resolve("adir"));
		assertThatExceptionOfType(SqliteBackupException.class).isThrownBy(() -> this.template.backup(directory))
			.withMessageContaining("is a directory");
		assertThat(directory).isEmptyDirectory();
	}

	@Test
	void unknownSchema() {
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> this.template.backup(this.dir.resolve("copy.db"),
					BackupOptions.defaults().withSchema("archive")))
			.withMessage("Unknown schema 'archive': the database has main.");
	}

	@Test
	void nullOptions() {
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> this.template.backup(this.dir.resolve("copy.db"), null))
			.withMessageContaining("options must not be null");
	}

	@Test
	void nonSqliteDataSource() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:other");
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> new SqliteBackupTemplate(h2).backup(this.dir.resolve("copy.db")))
			.withMessageContaining("not a SQLite DataSource")
			.withMessageContaining("H2");
	}

	@Test
	void nullTargetConnection() {
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> this.template.backup((Connection) null))
			.withMessage("Backup target connection must not be null.");
	}

	@Test
	void closedTargetConnection() throws Exception {
		Connection target = DriverManager.getConnection("jdbc:sqlite::memory:");
		target.close();
		assertThatExceptionOfType(SqliteBackupException.class).isThrownBy(() -> this.template.backup(target))
			.withMessage("Backup target connection is closed.");
	}

	@Test
	void targetConnectionInsideATransaction() throws Exception {
		try (Connection target = DriverManager.getConnection("jdbc:sqlite::memory:")) {
			target.setAutoCommit(false);
			assertThatExceptionOfType(SqliteBackupException.class).isThrownBy(() -> this.template.backup(target))
				.withMessageContaining("inside a transaction");
		}
	}

	@Test
	void targetConnectionPointsAtTheLiveDatabase() throws Exception {
		try (Connection pooled = this.dataSource.getConnection();
				Connection direct = DriverManager.getConnection("jdbc:sqlite:" + this.database)) {
			for (Connection target : List.of(pooled, direct)) {
				assertThatExceptionOfType(SqliteBackupException.class).isThrownBy(() -> this.template.backup(target))
					.withMessageContaining("points at the live database");
			}
		}
	}

	@Test
	void targetConnectionIsTheSourceConnection() throws Exception {
		SingleConnectionDataSource memory = new SingleConnectionDataSource("jdbc:sqlite::memory:", true);
		try (Connection target = memory.getConnection()) {
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> new SqliteBackupTemplate(memory).backup(target))
				.withMessage("Backup target connection is the source connection itself.");
		}
		finally {
			memory.destroy();
		}
	}

	@Test
	void nonSqliteTargetConnection() throws Exception {
		try (Connection target = DriverManager.getConnection("jdbc:h2:mem:target")) {
			assertThatExceptionOfType(SqliteBackupException.class).isThrownBy(() -> this.template.backup(target))
				.withMessageContaining("not a SQLite connection");
		}
	}

	@Test
	void invalidOptions() {
		BackupOptions defaults = BackupOptions.defaults();
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.withStepSize(0)).withMessageContaining("stepSize");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.withStepSize(-2)).withMessageContaining("-2");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.withMaxRetries(-1))
			.withMessageContaining("maxRetries");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.withRetrySleep(java.time.Duration.ofMillis(-1)))
			.withMessageContaining("retrySleep");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.withStepPause(java.time.Duration.ofDays(30)))
			.withMessageContaining("stepPause");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.withSchema(" ")).withMessageContaining("schema");
	}

	private void assertFailsAsLiveDatabase(Path target) {
		assertThatExceptionOfType(SqliteBackupException.class).isThrownBy(() -> this.template.backup(target))
			.withMessageContaining("is the live database");
	}

}
