package io.github.sqlitebackup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.support.LedgerWriter;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups taken under concurrent writes are valid for an independent SQLite build: the
 * {@code sqlite3} command-line shell (installed by {@code .ci/run}) finds them intact and
 * consistent.
 */
class SqliteShellCompatibilityTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "wal", "delete" })
	void backupTakenUnderWritesPassesTheShellsIntegrityCheck(String journalMode) throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), journalMode, 4096, 4_000_000);
		Path copy = this.dir.resolve("copy.db");
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1);
				LedgerWriter writer = new LedgerWriter(database, 2)) {
			writer.awaitCommits(10);
			new SqliteBackupTemplate(dataSource).backup(copy, BackupOptions.defaults().withStepSize(64));
		}
		assertThat(sqlite3(copy, "PRAGMA integrity_check;")).isEqualTo("ok");
		assertThat(sqlite3(copy, "SELECT (SELECT balance FROM account) = (SELECT count(*) FROM ledger);"))
			.isEqualTo("1");
		assertThat(sqlite3(copy, "SELECT count(*) > 0 FROM item;")).isEqualTo("1");
	}

	private static String sqlite3(Path database, String sql) throws IOException, InterruptedException {
		Process process;
		try {
			process = new ProcessBuilder(List.of("sqlite3", "-readonly", database.toString(), sql))
				.redirectErrorStream(true)
				.start();
		}
		catch (IOException ex) {
			throw new IOException("The sqlite3 shell is needed for this test: install it (apt-get install sqlite3)",
					ex);
		}
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
