package io.github.sqlitebackup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.sqlitebackup.engine.OnlineBackup;
import io.github.sqlitebackup.support.LedgerWriter;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups while the application keeps writing: they always finish, hold one committed
 * state, and do not take the application's connection away. Prints the measured figures.
 */
class ConcurrentWritersTests {

	/** Size of the databases; {@code -Dsqlite-backup.test.size-mib=512} measures a bigger one. */
	private static final long DATABASE_BYTES = Long.getLong("sqlite-backup.test.size-mib", 32) * 1024 * 1024;

	@TempDir
	Path dir;

	@ParameterizedTest(name = "journal_mode={0}, step size {1}")
	@CsvSource({ "wal, 100", "wal, -1", "delete, 100", "delete, -1" })
	void backupFinishesWithOneCommittedStateWhileTwoWritersCommitEveryTwoMilliseconds(String journalMode,
			int stepSize) throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), journalMode, 4096, DATABASE_BYTES);
		BackupOptions options = BackupOptions.defaults().withStepSize(stepSize);
		try (HikariDataSource dataSource = TestDatabase.pool(database, 2)) {
			SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource);
			BackupResult quiet = template.backup(this.dir.resolve("quiet.db"), options);
			BackupResult busy;
			long committedBefore;
			long committedDuring;
			long writerMaxLatency;
			try (LedgerWriter first = new LedgerWriter(database, 2); LedgerWriter second = new LedgerWriter(database, 2)) {
				first.awaitCommits(20);
				second.awaitCommits(20);
				committedBefore = first.commits() + second.commits();
				busy = template.backup(this.dir.resolve("busy.db"), options);
				committedDuring = first.commits() + second.commits() - committedBefore;
				first.awaitCommits(5);
				writerMaxLatency = Math.max(first.maxLatencyMillis(), second.maxLatencyMillis());
				assertThat(first.failures()).isEmpty();
				assertThat(second.failures()).isEmpty();
			}
			Path copy = this.dir.resolve("busy.db");
			assertThat(TestDatabase.integrityCheck(copy)).isEqualTo("ok");
			try (Connection connection = TestDatabase.connect(copy)) {
				long entries = TestDatabase.checkLedger(connection);
				assertThat(entries).isGreaterThanOrEqualTo(committedBefore);
			}
			if (journalMode.equals("wal")) {
				assertThat(busy.restarts()).isZero();
				// the page copy holds the write lock for a moment to pin its state; stepwise copies never
				if (stepSize == BackupOptions.ALL_PAGES) {
					assertThat(busy.writersBlocked()).isLessThan(busy.duration());
				}
				else {
					assertThat(busy.writersBlocked()).isZero();
				}
				assertThat(committedDuring).isPositive();
			}
			else {
				assertThat(busy.restarts()).isLessThanOrEqualTo(OnlineBackup.RESTARTS_BEFORE_READ_LOCK + 1);
				assertThat(busy.writersBlocked()).isPositive();
			}
			System.out.printf(
					"[figures] %s step=%d size=%.1fMiB: quiet %d ms, with writers %d ms, restarts %d, writers blocked %d ms, "
							+ "commits during backup %d, writer max commit latency %d ms%n",
					journalMode, stepSize, busy.bytes() / 1048576.0, quiet.duration().toMillis(),
					busy.duration().toMillis(), busy.restarts(), busy.writersBlocked().toMillis(), committedDuring,
					writerMaxLatency);
		}
	}

	@Test
	void poolOfOneKeepsServingWhileALongBackupRuns() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 4_000_000);
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			dataSource.setConnectionTimeout(250);
			SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource);
			BackupOptions slow = BackupOptions.defaults().withStepSize(20).withStepPause(Duration.ofMillis(10));
			CompletableFuture<BackupResult> backup = CompletableFuture
				.supplyAsync(() -> template.backup(this.dir.resolve("copy.db"), slow));
			int requests = 0;
			while (!backup.isDone()) {
				try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
					statement.executeUpdate("INSERT INTO ledger (amount, note) VALUES (1, 'during backup')");
					statement.executeUpdate("UPDATE account SET balance = balance + 1 WHERE id = 1");
					TestDatabase.checkLedger(connection);
				}
				requests++;
				Thread.sleep(5);
			}
			BackupResult result = backup.get(1, TimeUnit.MINUTES);
			assertThat(result.duration()).isGreaterThan(Duration.ofMillis(300));
			assertThat(requests).isGreaterThan(20);
			assertThat(dataSource.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
		}
	}

	@Test
	void rollbackJournalStepwiseBackupEscalatesToAReadLockAfterRepeatedRestarts() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 8_000_000);
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1);
				LedgerWriter writer = new LedgerWriter(database, 1)) {
			writer.awaitCommits(10);
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(this.dir.resolve("copy.db"),
					BackupOptions.defaults().withStepSize(10).withStepPause(Duration.ofMillis(2)));
			assertThat(result.restarts()).isBetween(OnlineBackup.RESTARTS_BEFORE_READ_LOCK,
					OnlineBackup.RESTARTS_BEFORE_READ_LOCK + 1);
			assertThat(result.writersBlocked()).isPositive().isLessThan(result.duration());
		}
		assertThat(Files.size(this.dir.resolve("copy.db"))).isPositive();
		try (Connection connection = TestDatabase.connect(this.dir.resolve("copy.db"))) {
			TestDatabase.checkLedger(connection);
		}
	}

}
