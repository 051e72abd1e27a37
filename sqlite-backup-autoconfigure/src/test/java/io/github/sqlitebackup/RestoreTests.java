package io.github.sqlitebackup;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Restores into a running application: the backup is checked before the live database is
 * touched, and a failed restore leaves the live database's content as it was.
 */
class RestoreTests {

	@TempDir
	Path dir;

	private HikariDataSource dataSource;

	@AfterEach
	void closePool() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@ParameterizedTest(name = "live journal_mode={0}, backup taken in {1}, step size {2}")
	@CsvSource({ "wal, wal, -1", "wal, delete, 100", "delete, delete, -1", "delete, wal, 50" })
	void roundTripRestoresTheBackupsContentAndKeepsTheLiveJournalMode(String liveMode, String backupMode,
			int stepSize) throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), liveMode, 4096, 2_000_000);
		Path backup = this.dir.resolve("backup.db");
		try (HikariDataSource other = TestDatabase
			.pool(TestDatabase.create(this.dir.resolve("other.db"), backupMode, 4096, 500_000), 1)) {
			new SqliteBackupTemplate(other).backup(backup);
		}
		String backupContent = TestDatabase.fingerprint(backup);
		String backupBytes = TestDatabase.sha256(backup);
		this.dataSource = TestDatabase.pool(database, 2);
		try (Connection open = this.dataSource.getConnection()) {
			TestDatabase.checkLedger(open);
			RestoreResult result = new SqliteBackupTemplate(this.dataSource).restore(backup,
					BackupOptions.defaults().withStepSize(stepSize));
			assertThat(TestDatabase.fingerprint(open)).isEqualTo(backupContent);
			assertThat(result.database()).isEqualTo(database.toRealPath());
			assertThat(result.source()).isEqualTo(backup.toAbsolutePath().toString());
			assertThat(result.journalMode()).isEqualTo(JournalMode.fromPragma(liveMode));
			assertThat(result.pages()).isEqualTo(Files.size(backup) / 4096);
			assertThat(TestDatabase.queryLong(open, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = '"
					+ liveMode + "'")).isOne();
		}
		assertThat(TestDatabase.fingerprint(database)).isEqualTo(backupContent);
		assertThat(TestDatabase.integrityCheck(database)).isEqualTo("ok");
		assertThat(TestDatabase.sha256(backup)).as("the backup file is not modified").isEqualTo(backupBytes);
		assertThat(TestDatabase.fileNames(this.dir)).noneMatch((name) -> name.endsWith(StagingFile.SUFFIX));
	}

	@Test
	void backupThenChangeThenRestoreGivesBackTheBackedUpState() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 1_000_000);
		this.dataSource = TestDatabase.pool(database, 2);
		SqliteBackupTemplate template = new SqliteBackupTemplate(this.dataSource);
		String before = TestDatabase.fingerprint(database);
		template.backup(this.dir.resolve("backup.db"));
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("DELETE FROM item WHERE id % 2 = 0");
			statement.execute("CREATE TABLE added_later (x)");
		}
		assertThat(TestDatabase.fingerprint(database)).isNotEqualTo(before);
		template.restore(this.dir.resolve("backup.db"));
		assertThat(TestDatabase.fingerprint(database)).isEqualTo(before);
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'after restore')");
		}
	}

	@Test
	void restoreIntoAnAttachedSchemaLeavesMainAlone() throws Exception {
		Path main = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 200_000);
		Path archive = TestDatabase.create(this.dir.resolve("archive.db"), "delete", 4096, 300_000);
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 100_000);
		String mainBefore = TestDatabase.fingerprint(main);
		this.dataSource = TestDatabase.pool(main, 1, "ATTACH DATABASE '" + archive + "' AS archive");
		RestoreResult result = new SqliteBackupTemplate(this.dataSource).restore(backup,
				BackupOptions.defaults().withSchema("archive"));
		assertThat(result.schema()).isEqualTo("archive");
		assertThat(result.database()).isEqualTo(archive.toRealPath());
		assertThat(TestDatabase.fingerprint(archive)).isEqualTo(TestDatabase.fingerprint(backup));
		assertThat(TestDatabase.fingerprint(main)).isEqualTo(mainBefore);
	}

	@Test
	void backupNotFound() throws Exception {
		assertRefused(this.dir.resolve("missing.db"), "does not exist");
	}

	@Test
	void backupIsADirectory() throws Exception {
		assertRefused(Files.createDirectory(this.dir.resolve("adir")), "is not a readable file");
	}

	@Test
	void backupIsNotASqliteDatabase() throws Exception {
		assertRefused(Files.writeString(this.dir.resolve("notes.txt"), "x".repeat(4096)), "is not a SQLite database");
		assertRefused(Files.write(this.dir.resolve("empty.db"), new byte[0]), "is not a SQLite database");
	}

	@Test
	void backupIsDamaged() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 500_000);
		try (RandomAccessFile file = new RandomAccessFile(backup.toFile(), "rw")) {
			// overwrite the middle of the file, past the schema page, with garbage
			file.seek(Files.size(backup) / 2);
			file.write(new byte[4096 * 8]);
			file.seek(3 * 4096);
			file.write("garbage".repeat(500).getBytes());
		}
		assertRefused(backup, "is damaged (PRAGMA quick_check");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "wal", "delete" })
	void aDamagedBackupOfManyStepsIsRolledBackWhenItsCheckFailsBeforeTheCommit(String journalMode) throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 12_000_000);
		try (RandomAccessFile file = new RandomAccessFile(backup.toFile(), "rw")) {
			file.seek(Files.size(backup) / 2);
			file.write(new byte[4096 * 8]);
			file.seek(3 * 4096);
			file.write("garbage".repeat(500).getBytes());
		}
		Path database = TestDatabase.create(this.dir.resolve("app.db"), journalMode, 4096, 200_000);
		String before = TestDatabase.fingerprint(database);
		List<BackupProgress> steps = new ArrayList<>();
		try (HikariDataSource pool = TestDatabase.pool(database, 1)) {
			// the check runs while the copy goes on; the step before the commit waits for it
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> new SqliteBackupTemplate(pool).restore(backup,
						BackupOptions.defaults().withProgress(steps::add)))
				.withMessageContaining("is damaged (PRAGMA quick_check");
		}
		assertThat(steps).as("pages were copied into the restore's transaction before it was rolled back")
			.isNotEmpty()
			.allSatisfy((step) -> assertThat(step.remainingPages()).isPositive());
		assertThat(TestDatabase.fingerprint(database)).isEqualTo(before);
		assertThat(TestDatabase.integrityCheck(database)).isEqualTo("ok");
		assertThat(TestDatabase.fileNames(this.dir)).noneMatch((name) -> name.endsWith(StagingFile.SUFFIX));
	}

	@Test
	void backupIsTheLiveDatabase() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		this.dataSource = TestDatabase.pool(database, 1);
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> new SqliteBackupTemplate(this.dataSource).restore(database))
			.withMessageContaining("is the live database");
	}

	@Test
	void backupHasAWriteAheadLog() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "wal", 4096, 100_000);
		Files.write(this.dir.resolve("backup.db-wal"), new byte[] { 1, 2, 3 });
		assertRefused(backup, "wal_checkpoint");
	}

	@Test
	void backupIsTruncated() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 500_000);
		long size = Files.size(backup);
		try (RandomAccessFile file = new RandomAccessFile(backup.toFile(), "rw")) {
			file.setLength(size / 2);
		}
		assertRefused(backup, "is truncated: its header states " + (size / 4096) + " pages of 4096 bytes");
	}

	@Test
	void backupIsInWalModeWithoutItsWriteAheadLog() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "wal", 4096, 100_000);
		assertThat(TestDatabase.fileNames(this.dir)).doesNotContain("backup.db-wal");
		assertRefused(backup, "is a WAL-mode database without its write-ahead log");
		try (Connection connection = TestDatabase.connect(backup); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA journal_mode=DELETE");
		}
		Path database = this.dir.resolve("app.db");
		try (HikariDataSource pool = TestDatabase.pool(database, 1)) {
			new SqliteBackupTemplate(pool).restore(backup);
		}
		assertThat(TestDatabase.fingerprint(database)).as("restored once confirmed complete")
			.isEqualTo(TestDatabase.fingerprint(backup));
	}

	@Test
	void restoreRemovesTheStagingCopyAnInterruptedRestoreLeftBehind() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 100_000);
		Path leftover = Files.copy(backup, this.dir.resolve(".app.db.restore.123." + "x" + StagingFile.SUFFIX));
		Files.write(this.dir.resolve(leftover.getFileName() + "-journal"), new byte[512]);
		Path otherDatabases = Files.copy(backup, this.dir.resolve(".other.db.restore.1" + StagingFile.SUFFIX));
		Path foreign = Files.writeString(this.dir.resolve(".app.db.restore.notes"), "not ours");
		this.dataSource = TestDatabase.pool(database, 1);
		new SqliteBackupTemplate(this.dataSource).restore(backup);
		assertThat(TestDatabase.fileNames(this.dir)).doesNotContain(leftover.getFileName().toString(),
				leftover.getFileName() + "-journal")
			.contains(otherDatabases.getFileName().toString(), foreign.getFileName().toString());
	}

	@Test
	void backupWithAnotherPageSizeCannotBeRestoredOnlineIntoWalMode() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 8192, 100_000);
		assertRefused(backup, "pages of 8192 bytes but the live WAL-mode database has 4096");
	}

	@Test
	void backupWithAnotherPageSizeIsRestoredIntoRollbackMode() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 300_000);
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 8192, 100_000);
		this.dataSource = TestDatabase.pool(database, 1);
		RestoreResult result = new SqliteBackupTemplate(this.dataSource).restore(backup);
		assertThat(result.pageSize()).isEqualTo(8192);
		assertThat(TestDatabase.fingerprint(database)).isEqualTo(TestDatabase.fingerprint(backup));
	}

	@Test
	void restoreWhileAnotherConnectionHoldsAWriteTransactionFailsAndChangesNothing() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 300_000);
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 100_000);
		this.dataSource = TestDatabase.pool(database, 1);
		try (Connection writer = TestDatabase.connect(database); Statement statement = writer.createStatement()) {
			writer.setAutoCommit(false);
			statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'holding the write lock')");
			String committed = TestDatabase.fingerprint(database);
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> new SqliteBackupTemplate(this.dataSource).restore(backup,
						BackupOptions.defaults().withMaxRetries(3).withRetrySleep(Duration.ofMillis(20))))
				.withMessageContaining("SQLITE_BUSY")
				.withMessageContaining("stayed locked");
			assertThat(TestDatabase.fingerprint(database)).isEqualTo(committed);
			writer.commit();
		}
	}

	@Test
	void failingProgressListenerLeavesTheLiveDatabaseAsItWas() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 1_000_000);
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 2_000_000);
		this.dataSource = TestDatabase.pool(database, 1);
		String before = TestDatabase.fingerprint(database);
		IllegalStateException failure = new IllegalStateException("stop here");
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> new SqliteBackupTemplate(this.dataSource).restore(backup,
					BackupOptions.defaults().withStepSize(50).withProgress((progress) -> {
						if (progress.remainingPages() < progress.totalPages() / 2) {
							throw failure;
						}
					})))
			.withCause(failure);
		assertThat(TestDatabase.fingerprint(database)).isEqualTo(before);
		assertThat(TestDatabase.integrityCheck(database)).isEqualTo("ok");
		assertThat(TestDatabase.fileNames(this.dir)).noneMatch((name) -> name.endsWith(StagingFile.SUFFIX));
	}

	@Test
	void cancelledRestoreLeavesTheLiveDatabaseAsItWas() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 1_000_000);
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 2_000_000);
		this.dataSource = TestDatabase.pool(database, 1);
		String before = TestDatabase.fingerprint(database);
		BackupCancellation cancellation = new BackupCancellation();
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<RestoreResult> restore = CompletableFuture
			.supplyAsync(() -> new SqliteBackupTemplate(this.dataSource).restore(backup,
					BackupOptions.defaults().withStepSize(10).withStepPause(Duration.ofMillis(10))
						.withCancellation(cancellation).withProgress((progress) -> started.countDown())));
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		cancellation.cancel();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> restore.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(BackupCancelledException.class);
		assertThat(TestDatabase.fingerprint(database)).isEqualTo(before);
		assertThat(TestDatabase.integrityCheck(database)).isEqualTo("ok");
	}

	private void assertRefused(Path backup, String message) throws Exception {
		Path database = this.dir.resolve("app.db");
		if (!Files.exists(database)) {
			TestDatabase.create(database, "wal", 4096, 200_000);
		}
		String before = TestDatabase.sha256(database);
		try (HikariDataSource pool = TestDatabase.pool(database, 1)) {
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> new SqliteBackupTemplate(pool).restore(backup))
				.withMessageContaining(message);
		}
		assertThat(TestDatabase.sha256(database)).isEqualTo(before);
		assertThat(TestDatabase.fileNames(this.dir)).noneMatch((name) -> name.endsWith(StagingFile.SUFFIX));
	}

}
