package io.github.sqlitebackup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.sqlitebackup.engine.SqliteHeader;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * "Save-As" backups of quiet databases: content, format and publication.
 */
class FileBackupTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@CsvSource({ "wal, 4096, -1", "wal, 1024, 100", "delete, 4096, -1", "delete, 65536, 7", "wal, 8192, 1000" })
	void backupIsIdenticalInContentToTheSource(String journalMode, int pageSize, int stepSize) throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), journalMode, pageSize, 2_000_000);
		Path target = this.dir.resolve("backups/app-copy.db");
		Files.createDirectories(target.getParent());
		try (HikariDataSource dataSource = TestDatabase.pool(database, 2)) {
			BackupResult result = new SqliteBackupTemplate(dataSource)
				.backup(target, BackupOptions.defaults().withStepSize(stepSize));
			assertThat(TestDatabase.fingerprint(target)).isEqualTo(TestDatabase.fingerprint(database));
			assertThat(TestDatabase.integrityCheck(target)).isEqualTo("ok");
			SqliteHeader header = SqliteHeader.read(target);
			assertThat(result.path()).isEqualTo(target.toAbsolutePath());
			assertThat(result.journalMode()).isEqualTo(JournalMode.fromPragma(journalMode));
			assertThat(result.pageSize()).isEqualTo(pageSize).isEqualTo(header.pageSize());
			assertThat(header.walMode()).as("a backup is one file, in rollback-journal mode").isFalse();
			assertThat(result.pages()).isEqualTo(header.pageCount()).isGreaterThan(1);
			assertThat(result.bytes()).isEqualTo(Files.size(target)).isEqualTo(result.pages() * pageSize);
			assertThat(result.sha256()).as("the published file's digest").isEqualTo(TestDatabase.sha256(target));
			assertThat(result.steps()).isEqualTo(
					(stepSize == -1) ? 1 : (int) Math.ceil((double) result.pages() / stepSize));
			assertThat(result.restarts()).isZero();
			assertThat(result.duration()).isPositive();
			assertThat(TestDatabase.fileNames(target.getParent())).containsExactly("app-copy.db");
		}
	}

	@Test
	void copyIsVerifiedBeforePublication() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 500_000);
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource);
			BackupResult quick = template.backup(this.dir.resolve("quick.db"));
			assertThat(quick.verification()).isEqualTo(Verification.QUICK);
			assertThat(quick.verificationDuration()).isPositive().isLessThan(quick.duration());
			assertThat(quick.sqliteVersion()).matches("3\\.\\d+\\.\\d+");
			BackupResult none = template.backup(this.dir.resolve("none.db"),
					BackupOptions.defaults().withVerification(Verification.NONE));
			assertThat(none.verificationDuration()).isZero();
			BackupResult full = template.backup(this.dir.resolve("full.db"),
					BackupOptions.defaults().withVerification(Verification.FULL));
			assertThat(full.verification()).isEqualTo(Verification.FULL);
		}
		assertThat(TestDatabase.fileNames(this.dir)).contains("quick.db", "none.db", "full.db")
			.noneMatch((name) -> name.contains("-shm") || name.contains("-wal") && !name.startsWith("app.db"));
	}

	@ParameterizedTest
	@CsvSource({ "QUICK", "FULL" })
	void copyOfADamagedDatabaseFailsVerificationAndIsNotPublished(Verification verification) throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 500_000);
		TestDatabase.damageIndexPage(database);
		Path target = this.dir.resolve("out/copy.db");
		Files.createDirectories(target.getParent());
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource);
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> template.backup(target, BackupOptions.defaults().withVerification(verification)))
				.withMessageContaining("failed verification (PRAGMA " + verification.pragma())
				.withMessageContaining("Nothing was published");
			assertThat(TestDatabase.fileNames(target.getParent())).isEmpty();
			template.backup(target, BackupOptions.defaults().withVerification(Verification.NONE));
			assertThat(target).exists();
		}
	}

	@Test
	void beforePublishListenerSeesTheVerifiedCopyAndCanStopPublication() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 200_000);
		Path target = this.dir.resolve("out/copy.db");
		Files.createDirectories(target.getParent());
		List<String> seen = new ArrayList<>();
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource);
			BackupResult result = template.backup(target, BackupOptions.defaults().withBeforePublish((copy, pending) -> {
				assertThat(target).doesNotExist();
				assertThat(pending.path()).isEqualTo(target.toAbsolutePath());
				seen.add(TestDatabase.sha256(copy));
			}));
			assertThat(seen).containsExactly(TestDatabase.sha256(target));
			assertThat(result.bytes()).isEqualTo(Files.size(target));
			Files.delete(target);
			java.io.IOException failure = new java.io.IOException("disk for manifests is full");
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> template.backup(target, BackupOptions.defaults().withBeforePublish((copy, pending) -> {
					throw failure;
				})))
				.withMessageContaining("was not published")
				.withCause(failure);
		}
		assertThat(TestDatabase.fileNames(target.getParent())).isEmpty();
	}

	@Test
	void backupReplacesAnExistingFileAtTheTarget() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		Path target = Files.writeString(this.dir.resolve("copy.db"), "an older file");
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			new SqliteBackupTemplate(dataSource).backup(target);
		}
		assertThat(TestDatabase.fingerprint(target)).isEqualTo(TestDatabase.fingerprint(database));
	}

	@Test
	void pathsWithCharactersThatAreSpecialInUrisWork() throws Exception {
		Path odd = Files.createDirectory(this.dir.resolve("data 100% #1 é"));
		Path database = TestDatabase.create(odd.resolve("app #1.db"), "wal", 4096, 200_000);
		Path copy = odd.resolve("copy %20.db");
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource);
			template.backup(copy);
			assertThat(TestDatabase.fingerprint(copy)).isEqualTo(TestDatabase.fingerprint(database));
			template.restore(copy);
		}
		assertThat(TestDatabase.integrityCheck(database)).isEqualTo("ok");
		assertThat(TestDatabase.fileNames(odd)).containsExactlyInAnyOrder("app #1.db", "copy %20.db");
	}

	@Test
	void backupOfAnEmptyDatabase() throws Exception {
		Path database = this.dir.resolve("empty.db");
		Path target = this.dir.resolve("copy.db");
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(target);
			assertThat(TestDatabase.integrityCheck(target)).isEqualTo("ok");
			assertThat(result.bytes()).isEqualTo(Files.size(target));
		}
	}

	@Test
	void backupOfAnAttachedSchema() throws Exception {
		Path main = TestDatabase.create(this.dir.resolve("main.db"), "wal", 4096, 50_000);
		Path archive = TestDatabase.create(this.dir.resolve("archive.db"), "delete", 1024, 300_000);
		Path target = this.dir.resolve("archive-copy.db");
		try (HikariDataSource dataSource = TestDatabase.pool(main, 1, "ATTACH DATABASE '" + archive + "' AS archive")) {
			BackupResult result = new SqliteBackupTemplate(dataSource)
				.backup(target, BackupOptions.defaults().withSchema("archive").withStepSize(50));
			assertThat(result.schema()).isEqualTo("archive");
			assertThat(result.journalMode()).isEqualTo(JournalMode.DELETE);
			assertThat(result.pageSize()).isEqualTo(1024);
		}
		assertThat(TestDatabase.fingerprint(target)).isEqualTo(TestDatabase.fingerprint(archive))
			.isNotEqualTo(TestDatabase.fingerprint(main));
	}

	@Test
	void backupOfAnInMemoryDatabaseUsesThePooledConnection() throws Exception {
		Path target = this.dir.resolve("memory-copy.db");
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl("jdbc:sqlite:file:memdb1?mode=memory&cache=shared");
			dataSource.setMaximumPoolSize(1);
			String expected;
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)");
				statement.execute("INSERT INTO note (text) VALUES ('kept in memory')");
				expected = TestDatabase.fingerprint(connection);
			}
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(target);
			assertThat(result.journalMode()).isEqualTo(JournalMode.MEMORY);
			assertThat(TestDatabase.fingerprint(target)).isEqualTo(expected);
		}
	}

	@Test
	void progressIsReportedAfterEveryStepUntilDone() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 1_000_000);
		List<BackupProgress> reports = new ArrayList<>();
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(this.dir.resolve("copy.db"),
					BackupOptions.defaults().withStepSize(20).withProgress(reports::add));
			assertThat(reports).hasSize(result.steps());
			assertThat(reports).allSatisfy((report) -> assertThat(report.totalPages()).isEqualTo(result.pages()));
			assertThat(reports).extracting(BackupProgress::remainingPages).isSortedAccordingTo((a, b) -> Long.compare(b, a));
			assertThat(reports.get(0).remainingPages()).isEqualTo(result.pages() - 20);
			assertThat(reports.get(0).done()).isFalse();
			BackupProgress last = reports.get(reports.size() - 1);
			assertThat(last.done()).isTrue();
			assertThat(last.remainingPages()).isZero();
			assertThat(last.percentDone()).isEqualTo(100.0);
		}
	}

	@Test
	void aWalDatabaseCopiedWholeGoesInStepsOfFourMebibytesInsideOneSnapshot() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 20_000_000);
		List<BackupProgress> reports = new ArrayList<>();
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(this.dir.resolve("copy.db"),
					BackupOptions.defaults().withProgress(reports::add));
			long pagesPerStep = 4 * 1024 * 1024 / 4096;
			assertThat(result.steps()).isEqualTo((int) ((result.pages() + pagesPerStep - 1) / pagesPerStep));
			assertThat(reports).hasSize(result.steps());
			assertThat(reports.get(0).remainingPages()).isEqualTo(result.pages() - pagesPerStep);
			assertThat(result.restarts()).isZero();
		}
		assertThat(TestDatabase.fingerprint(this.dir.resolve("copy.db"))).isEqualTo(TestDatabase.fingerprint(database));
	}

	@Test
	@Timeout(120)
	void aStepPauseIsOnlyForCopiesInStepsAskedFor() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 20_000_000);
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(this.dir.resolve("copy.db"),
					BackupOptions.defaults().withStepPause(Duration.ofDays(1)));
			assertThat(result.steps()).as("copied whole, in steps all the same").isGreaterThan(1);
		}
	}

	@Test
	void theDigestIsOfThePublishedFileEvenWhenABeforePublishListenerChangedTheCopy() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 1_000_000);
		Path target = this.dir.resolve("copy.db");
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			BackupResult result = new SqliteBackupTemplate(dataSource).backup(target,
					BackupOptions.defaults().withBeforePublish((copy, checked) -> {
						try (Connection connection = TestDatabase.connect(copy);
								Statement statement = connection.createStatement()) {
							statement.execute("PRAGMA user_version=7");
						}
					}));
			assertThat(result.sha256()).isEqualTo(TestDatabase.sha256(target));
		}
	}

	@Test
	void failingProgressListenerFailsTheBackupAndPublishesNothing() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 1_000_000);
		Path target = this.dir.resolve("out/copy.db");
		Files.createDirectories(target.getParent());
		IllegalStateException failure = new IllegalStateException("listener broke");
		List<BackupProgress> reports = new ArrayList<>();
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> new SqliteBackupTemplate(dataSource).backup(target,
						BackupOptions.defaults().withStepSize(10).withProgress((progress) -> {
							reports.add(progress);
							if (reports.size() == 3) {
								throw failure;
							}
						})))
				.withMessageContaining("progress listener threw")
				.withCause(failure);
		}
		assertThat(reports).hasSize(3);
		assertThat(TestDatabase.fileNames(target.getParent())).isEmpty();
	}

	@Test
	void failingProgressListenerOnTheLastStepStillPublishesNothing() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 200_000);
		Path target = this.dir.resolve("out/copy.db");
		Files.createDirectories(target.getParent());
		try (HikariDataSource dataSource = TestDatabase.pool(database, 1)) {
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> new SqliteBackupTemplate(dataSource).backup(target,
						BackupOptions.defaults().withProgress((progress) -> {
							throw new IllegalStateException("at " + progress.remainingPages());
						})))
				.withStackTraceContaining("at 0");
		}
		assertThat(TestDatabase.fileNames(target.getParent())).isEmpty();
	}

}
