package io.github.sqlitebackup.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

import io.github.sqlitebackup.BackupCancelledException;
import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupProgress;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.CopyEngine;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.support.OtherProcessScenario;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The page-level engine must produce exactly the bytes the Online Backup API produces for
 * the same committed state. Each copy is compared with a copy of the same state made by
 * {@code sqlite3_backup_step} on the same connection inside the same read transaction (and
 * made self-contained the way backups are): over random databases of every page size,
 * journal mode and auto-vacuum setting, with logs partly checkpointed and shrinking
 * transactions still in the log, under concurrent writers and checkpoints of every mode,
 * and past the lock-byte page at 1 GiB.
 */
class PageCopyTests {

	private static final int[] PAGE_SIZES = { 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536 };

	private static final String[] JOURNAL_MODES = { "wal", "wal", "delete", "truncate", "persist" };

	private static final String[] AUTO_VACUUM = { "none", "full", "incremental" };

	@TempDir
	Path dir;

	private final OperationRegistry operations = new OperationRegistry();

	@ParameterizedTest(name = "seeds {0}..{0}+29")
	@ValueSource(ints = { 0, 30 })
	void randomDatabasesAreCopiedToTheOnlineBackupApisBytes(int firstSeed) throws Exception {
		for (int seed = firstSeed; seed < firstSeed + 30; seed++) {
			Random random = new Random(seed);
			Path file = this.dir.resolve("random-" + seed + ".db");
			int pageSize = PAGE_SIZES[random.nextInt(PAGE_SIZES.length)];
			String journalMode = JOURNAL_MODES[random.nextInt(JOURNAL_MODES.length)];
			String description = "seed " + seed + " (page size " + pageSize + ", " + journalMode + ")";
			// the generating connection stays open, so that what it left in the log stays there
			try (Connection connection = TestDatabase.connect(file)) {
				generate(connection, random, pageSize, journalMode);
				Comparison comparison = copyAndCompare(file, seed);
				assertThat(comparison.pageCopied()).as(description).isTrue();
				assertThat(comparison.mismatch()).as(description + ": first differing byte").isEqualTo(-1L);
				assertThat(TestDatabase.integrityCheck(comparison.copy())).as(description).isEqualTo("ok");
				assertThat(TestDatabase.fingerprint(comparison.copy())).as(description)
					.isEqualTo(TestDatabase.fingerprint(connection));
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "wal", "delete" })
	void copiesUnderConcurrentWritersAndCheckpointsAreTheOnlineBackupApisCopiesOfTheSameState(String journalMode)
			throws Exception {
		Path file = TestDatabase.create(this.dir.resolve("busy.db"), journalMode, 4096, 4L * 1024 * 1024);
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong commits = new AtomicLong();
		AtomicInteger checkpoints = new AtomicInteger();
		ExecutorService load = Executors.newFixedThreadPool(4);
		// writers wait as long as it takes: in rollback-journal mode every copy holds its read
		// lock from start to end (on a loaded machine, for seconds)
		try (HikariDataSource pool = TestDatabase.pool(file, 4, "PRAGMA busy_timeout=120000")) {
			List<Future<?>> tasks = new ArrayList<>();
			for (int writer = 0; writer < 3; writer++) {
				int seed = writer;
				tasks.add(load.submit(() -> write(pool, new Random(seed), running, commits)));
			}
			if (journalMode.equals("wal")) {
				tasks.add(load.submit(() -> checkpoint(file, running, checkpoints)));
			}
			int pageCopies = 0;
			for (int round = 0; round < 25; round++) {
				long before = commits.get();
				Comparison comparison = copyAndCompare(file, round);
				assertThat(comparison.mismatch()).as("round " + round + ": first differing byte").isEqualTo(-1L);
				assertThat(TestDatabase.integrityCheck(comparison.copy())).isEqualTo("ok");
				pageCopies += comparison.pageCopied() ? 1 : 0;
				if (round % 5 == 4) {
					// let the writers move the database on between groups of copies
					await().atMost(Duration.ofMinutes(2)).until(() -> commits.get() >= before + 20);
				}
			}
			running.set(false);
			for (Future<?> task : tasks) {
				task.get();
			}
			// a copy that cannot have the write lock in time is made by the Online Backup API
			assertThat(pageCopies).as("copies made page by page").isGreaterThanOrEqualTo(20);
			assertThat(commits.get()).as("commits during the copies").isGreaterThan(100);
			if (journalMode.equals("wal")) {
				assertThat(checkpoints.get()).as("checkpoints during the copies").isGreaterThan(0);
			}
		}
		finally {
			running.set(false);
			load.shutdownNow();
		}
	}

	@Test
	void theLockBytePageOfADatabaseOverOneGibibyteIsLeftEmptyAsTheOnlineBackupApiLeavesIt() throws Exception {
		Path file = this.dir.resolve("large.db");
		try (Connection connection = TestDatabase.connect(file); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA page_size=65536");
			statement.execute("PRAGMA journal_mode=wal");
			statement.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, data BLOB)");
			for (int i = 0; i < 6; i++) {
				statement.execute("INSERT INTO big (data) VALUES (randomblob(200000000))");
			}
			statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
			statement.execute("UPDATE big SET data = randomblob(1000) WHERE id = 6");
			statement.execute("INSERT INTO big (data) VALUES (randomblob(100000))");
			assertThat(Files.size(file)).isGreaterThan(0x40000000L + 65536);
			Comparison comparison = copyAndCompare(file, 0);
			assertThat(comparison.pageCopied()).isTrue();
			assertThat(comparison.mismatch()).as("first differing byte").isEqualTo(-1L);
			assertThat(TestDatabase.integrityCheck(comparison.copy())).isEqualTo("ok");
		}
	}

	@Test
	void anotherProcessLeavesTheWalOfThisProcesssConnectionAfterAPageCopy() throws Exception {
		OtherProcessScenario.assertTheLogOutlivesAnotherProcessAfter(this.dir, (database) -> {
			Comparison comparison = copyAndCompare(database, 0);
			assertThat(comparison.pageCopied()).isTrue();
			assertThat(comparison.mismatch()).isEqualTo(-1L);
		});
	}

	@Test
	void anotherProcessLeavesTheWalOfThisProcesssConnectionAfterAnInterruptedPageCopy() throws Exception {
		OtherProcessScenario.assertTheLogOutlivesAnotherProcessAfter(this.dir, (database) -> {
			Path copy = Files.createFile(this.dir.resolve("interrupted.db"));
			try (Connection writer = TestDatabase.connect(database); Statement statement = writer.createStatement()) {
				// more than one chunk, so that the copy goes on after the first progress report
				statement.execute("CREATE TABLE padding (data BLOB)");
				statement.execute("INSERT INTO padding VALUES (randomblob(3 * " + PageCopy.CHUNK_BYTES + "))");
			}
			try (SourceDatabase source = SourceDatabase.open(dataSource(database), "main", new DatabaseFileGuard());
					OperationControl control = this.operations.start(null)) {
				// interrupted while the copy runs: the copy stops as cancelled, the live file's
				// descriptor stays open
				BackupOptions interrupting = BackupOptions.defaults()
					.withProgress((progress) -> Thread.currentThread().interrupt());
				assertThatExceptionOfType(BackupCancelledException.class)
					.isThrownBy(() -> PageCopy.copy(source, copy, interrupting, control));
				assertThat(Thread.interrupted()).isTrue();
			}
		});
	}

	@Test
	void aCopyThatCannotHaveTheWriteLockInTimeIsMadeByTheOnlineBackupApi() throws Exception {
		Path file = TestDatabase.create(this.dir.resolve("locked.db"), "wal", 4096, 256 * 1024);
		String committed = TestDatabase.fingerprint(file);
		try (Connection writer = TestDatabase.connect(file); Statement statement = writer.createStatement()) {
			statement.execute("BEGIN IMMEDIATE");
			statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'not committed')");
			Comparison comparison = copyAndCompare(file, 0);
			assertThat(comparison.pageCopied()).isFalse();
			assertThat(TestDatabase.fingerprint(comparison.copy())).isEqualTo(committed);
			statement.execute("ROLLBACK");
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "wal", "delete" })
	void backupsOfBothEnginesArePublishedWithTheSameBytesAndDigest(String journalMode) throws Exception {
		Path file = TestDatabase.create(this.dir.resolve("both.db"), journalMode, 4096, 12L * 1024 * 1024);
		try (Connection connection = TestDatabase.connect(file); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("DELETE FROM item WHERE id % 3 = 0");
			SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource(file));
			List<BackupProgress> progress = new ArrayList<>();
			BackupResult pages = template.backup(this.dir.resolve("pages.db"),
					BackupOptions.defaults().withProgress(progress::add));
			BackupResult reference = template.backup(this.dir.resolve("reference.db"),
					BackupOptions.defaults().withCopyEngine(CopyEngine.ONLINE_BACKUP_API));
			assertThat(Files.mismatch(pages.path(), reference.path())).isEqualTo(-1L);
			assertThat(pages.sha256()).isEqualTo(reference.sha256()).isEqualTo(TestDatabase.sha256(pages.path()));
			assertThat(pages.pages()).isEqualTo(reference.pages());
			assertThat(progress).hasSizeGreaterThan(2);
			assertThat(progress.get(progress.size() - 1).done()).isTrue();
			assertThat(progress).filteredOn(BackupProgress::done).hasSize(1);
			assertThat(progress).extracting(BackupProgress::remainingPages).isSortedAccordingTo((a, b) -> Long.compare(b, a));
		}
	}

	/**
	 * Copy the file's database with the page engine, and the same state with the Online
	 * Backup API on the same connection while it is still pinned; both made self-contained
	 * as {@link FileBackup} makes them.
	 */
	private Comparison copyAndCompare(Path file, int round) throws Exception {
		Path copy = this.dir.resolve("copy-" + round + ".db");
		Path reference = this.dir.resolve("reference-" + round + ".db");
		Files.deleteIfExists(copy);
		Files.deleteIfExists(reference);
		Files.createFile(copy);
		AtomicBoolean pinned = new AtomicBoolean();
		CopyStats stats;
		try (SourceDatabase source = SourceDatabase.open(dataSource(file), "main", new DatabaseFileGuard());
				OperationControl control = this.operations.start(null)) {
			assertThat(PageCopy.applies(source, BackupOptions.defaults())).isTrue();
			stats = PageCopy.copy(source, copy, BackupOptions.defaults(), control, (connection) -> {
				pinned.set(true);
				int returnCode = connection.getDatabase().backup("main", reference.toString(), null, 100, 0, -1);
				assertThat(returnCode).isZero();
			});
		}
		if (!pinned.get()) {
			assertThat(stats.sha256()).as("no digest from the Online Backup API").isNull();
			return new Comparison(copy, false, -1);
		}
		assertThat(stats.sha256()).as("the digest computed while copying").isEqualTo(TestDatabase.sha256(copy));
		if (SqliteHeader.read(reference).walMode()) {
			try (SQLiteConnection connection = SqliteConnections.open(reference)) {
				SqliteConnections.useRollbackJournal(connection);
			}
		}
		return new Comparison(copy, true, Files.mismatch(copy, reference));
	}

	private static void generate(Connection connection, Random random, int pageSize, String journalMode)
			throws Exception {
		run(connection, "PRAGMA page_size=" + pageSize);
		run(connection, "PRAGMA auto_vacuum=" + AUTO_VACUUM[random.nextInt(AUTO_VACUUM.length)]);
		run(connection, "PRAGMA journal_mode=" + journalMode);
		run(connection, "PRAGMA wal_autocheckpoint=0");
		int tables = 1 + random.nextInt(3);
		for (int t = 0; t < tables; t++) {
			run(connection, "CREATE TABLE t" + t + " (id INTEGER PRIMARY KEY, name TEXT, data BLOB)");
			if (random.nextBoolean()) {
				run(connection, "CREATE INDEX t" + t + "_name ON t" + t + " (name)");
			}
			insert(connection, random, "t" + t, random.nextInt(300));
		}
		if (random.nextBoolean()) {
			run(connection, "PRAGMA wal_checkpoint(" + (random.nextBoolean() ? "PASSIVE" : "TRUNCATE") + ")");
		}
		for (int t = 0; t < tables; t++) {
			switch (random.nextInt(4)) {
				case 0 -> run(connection, "DELETE FROM t" + t + " WHERE id % 2 = 0");
				case 1 -> run(connection, "UPDATE t" + t + " SET data = randomblob(" + random.nextInt(30_000)
						+ ") WHERE id % 5 = 0");
				case 2 -> insert(connection, random, "t" + t, random.nextInt(100));
				default -> run(connection, "DROP TABLE t" + t);
			}
		}
		switch (random.nextInt(4)) {
			case 0 -> run(connection, "VACUUM");
			case 1 -> run(connection, "PRAGMA incremental_vacuum");
			default -> run(connection, "PRAGMA user_version=" + random.nextInt(1000));
		}
	}

	private static void run(Connection connection, String sql) throws Exception {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static void insert(Connection connection, Random random, String table, int rows) throws Exception {
		connection.setAutoCommit(false);
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO " + table + " (name, data) VALUES (?, ?)")) {
			for (int row = 0; row < rows; row++) {
				insert.setString(1, "name-" + random.nextInt(1000));
				byte[] data = new byte[random.nextInt(4) == 0 ? random.nextInt(100_000) : random.nextInt(200)];
				random.nextBytes(data);
				insert.setBytes(2, data);
				insert.executeUpdate();
			}
		}
		connection.commit();
		connection.setAutoCommit(true);
	}

	private static void write(DataSource pool, Random random, AtomicBoolean running, AtomicLong commits) {
		while (running.get()) {
			try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
				switch (random.nextInt(4)) {
					case 0 -> statement.execute("DELETE FROM item WHERE id IN (SELECT id FROM item ORDER BY random() "
							+ "LIMIT 20)");
					case 1 -> statement.execute("UPDATE item SET data = randomblob(" + random.nextInt(20_000)
							+ ") WHERE id IN (SELECT id FROM item ORDER BY random() LIMIT 5)");
					default -> statement.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
							+ "WHERE x < " + (1 + random.nextInt(40)) + ") INSERT INTO item (name, price, data) SELECT "
							+ "'n' || random(), 1, randomblob(" + random.nextInt(3000) + ") FROM n");
				}
				commits.incrementAndGet();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	private static void checkpoint(Path file, AtomicBoolean running, AtomicInteger checkpoints) {
		String[] modes = { "PASSIVE", "FULL", "RESTART", "TRUNCATE" };
		Random random = new Random(7);
		try (Connection connection = TestDatabase.connect(file); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA busy_timeout=50");
			while (running.get()) {
				statement.execute("PRAGMA wal_checkpoint(" + modes[random.nextInt(modes.length)] + ")");
				checkpoints.incrementAndGet();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static DataSource dataSource(Path file) {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + file);
		return dataSource;
	}

	private record Comparison(Path copy, boolean pageCopied, long mismatch) {
	}

}
