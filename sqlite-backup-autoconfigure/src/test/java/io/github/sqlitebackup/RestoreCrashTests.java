package io.github.sqlitebackup;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore killed with SIGKILL at different points leaves the live database with either
 * its old content or the backup's, never a mix, and intact. The restore writes the live
 * database in one SQLite write transaction; SQLite's atomic commit (a hot rollback journal
 * is rolled back, uncommitted WAL frames are ignored, on the next open) does the rest. The
 * staging copy the killed restore leaves beside the live database is removed by the next
 * restore (and by the job at start-up).
 */
class RestoreCrashTests {

	@TempDir
	Path dir;

	@ParameterizedTest(name = "journal_mode={0}, killed at {1}%")
	@CsvSource({ "wal, 1", "wal, 30", "wal, 60", "wal, 95", "delete, 1", "delete, 30", "delete, 60", "delete, 95" })
	void killedRestoreLeavesTheOldOrTheNewContent(String journalMode, int killAtPercent) throws Exception {
		Path live = TestDatabase.create(this.dir.resolve("live.db"), journalMode, 4096, 1_000_000);
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 2_000_000);
		try (var connection = TestDatabase.connect(backup); var statement = connection.createStatement()) {
			statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'only in the backup')");
			statement.execute("UPDATE account SET balance = 1");
		}
		String oldContent = TestDatabase.fingerprint(live);
		String newContent = TestDatabase.fingerprint(backup);
		String java = ProcessHandle.current().info().command().orElse("java");
		Process harness = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
				System.getProperty("java.class.path"), RestoreCrashHarness.class.getName(), live.toString(),
				backup.toString())
			.redirectErrorStream(true)
			.start();
		boolean killed = false;
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(harness.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = output.readLine()) != null) {
				if (line.startsWith("PROGRESS ") && Integer.parseInt(line.substring(9)) >= killAtPercent) {
					harness.destroyForcibly();
					killed = true;
					break;
				}
			}
		}
		harness.waitFor(30, TimeUnit.SECONDS);
		assertThat(killed).as("the restore was killed while it ran").isTrue();
		String after = TestDatabase.fingerprint(live);
		assertThat(after).isIn(oldContent, newContent);
		assertThat(TestDatabase.integrityCheck(live)).isEqualTo("ok");
		assertThat(TestDatabase.fileNames(this.dir)).as("the killed restore left its staging copy")
			.anyMatch((name) -> name.startsWith(".live.db.restore.") && name.endsWith(StagingFile.SUFFIX));
		try (HikariDataSource pool = TestDatabase.pool(live, 1)) {
			new SqliteBackupTemplate(pool).restore(backup);
		}
		assertThat(TestDatabase.fingerprint(live)).as("a restore after the crash succeeds").isEqualTo(newContent);
		assertThat(TestDatabase.fileNames(this.dir)).as("and removes the leftover")
			.noneMatch((name) -> name.contains(StagingFile.SUFFIX));
		System.out.printf("[figures] restore killed at %d%% (%s): live database has the %s content%n", killAtPercent,
				journalMode, after.equals(oldContent) ? "old" : "new");
	}

}
