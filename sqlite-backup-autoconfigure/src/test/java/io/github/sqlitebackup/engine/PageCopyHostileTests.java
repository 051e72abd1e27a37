package io.github.sqlitebackup.engine;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteDataSource;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.CopyEngine;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.support.OtherProcessScenario;
import io.github.sqlitebackup.support.TestDatabase;
import io.github.sqlitebackup.wal.WalChecksum;
import io.github.sqlitebackup.wal.WalFrames;
import io.github.sqlitebackup.wal.WalHeader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page-level engine against what an operator's bad day brings: other processes on the
 * live database after a backup (its locks must survive the copy), a commit frame the log
 * holds but SQLite never published, a {@code -shm} deleted behind the application and rebuilt
 * by another process (its end stale), and a journal mode or page size changed between the
 * moment the source was opened and the moment its state is pinned. The reference engine
 * runs the same lock scenarios as a control.
 */
class PageCopyHostileTests {

	@TempDir
	Path dir;

	private static SQLiteDataSource dataSource(Path file) {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + file);
		return dataSource;
	}

	private static String shell(Path database, String sql) throws Exception {
		Process other = new ProcessBuilder("sqlite3", "-cmd", ".timeout 200", database.toString(), sql)
			.redirectErrorStream(true)
			.start();
		assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
	}

	@ParameterizedTest
	@EnumSource(CopyEngine.class)
	void aBackupKeepsTheApplicationsLocksInWalMode(CopyEngine engine) throws Exception {
		OtherProcessScenario.assertTheLogOutlivesAnotherProcessAfter(this.dir, (database) -> new SqliteBackupTemplate(
				dataSource(database)).backup(this.dir.resolve("copy.db"), BackupOptions.defaults().withCopyEngine(engine)));
	}

	/**
	 * Consequence in WAL mode: after a page-copy backup, another process opening and closing
	 * the database deletes the -wal under the application; a commit acknowledged to the
	 * application afterwards is gone once the application restarts.
	 */
	@Test
	void aCommitAcknowledgedAfterAPageCopyAndAnotherProcesssVisitSurvivesARestart() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		try (Connection connection = TestDatabase.connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE note(text TEXT)");
			statement.execute("INSERT INTO note VALUES ('before')");
			new SqliteBackupTemplate(dataSource(database)).backup(this.dir.resolve("copy.db"));
			// an operator looks at the database with the shell
			assertThat(shell(database, "SELECT count(*) FROM note;")).isEqualTo("1");
			statement.execute("INSERT INTO note VALUES ('acknowledged after the shell')");
			assertThat(TestDatabase.queryLong(connection, "SELECT count(*) FROM note")).isEqualTo(2);
		}
		// application restarts
		try (Connection connection = TestDatabase.connect(database)) {
			assertThat(TestDatabase.queryLong(connection, "SELECT count(*) FROM note"))
				.as("commit acknowledged to the application survives its restart")
				.isEqualTo(2);
		}
	}

	/**
	 * WAL split brain: after a page-copy backup, a shell's close deletes the -wal and -shm
	 * under the application; the application and a second shell then both commit, each in
	 * its own log; the application's close checkpoints its log over the other's pages.
	 */
	@Test
	void afterAPageCopyTwoProcessesWriteIntoOneLog() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		try (Connection connection = TestDatabase.connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE note(text TEXT)");
			statement.execute("INSERT INTO note VALUES ('before')");
			new SqliteBackupTemplate(dataSource(database)).backup(this.dir.resolve("copy.db"));
			assertThat(shell(database, "SELECT count(*) FROM note;")).isEqualTo("1");
			statement.execute("INSERT INTO note VALUES ('app 1')");
			assertThat(shell(database, "INSERT INTO note VALUES ('shell'); SELECT count(*) FROM note;")).isEqualTo("3");
			statement.execute("INSERT INTO note VALUES ('app 2')");
		}
		try (Connection connection = TestDatabase.connect(database)) {
			String rows = SqliteConnections.queryString(connection, "SELECT group_concat(text, ',') FROM note");
			String check = TestDatabase.integrityCheck(database);
			assertThat(rows + " / " + check).as("every acknowledged commit, intact")
				.isEqualTo("before,app 1,shell,app 2 / ok");
		}
	}

	/**
	 * Rollback journal: an application connection in a write transaction holds RESERVED; a
	 * backup in between must not let another process take the write lock too.
	 */
	@ParameterizedTest
	@EnumSource(CopyEngine.class)
	void aBackupKeepsTheApplicationsReservedLockInRollbackMode(CopyEngine engine) throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 10_000);
		try (Connection connection = TestDatabase.connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE note(text TEXT)");
			statement.execute("BEGIN IMMEDIATE");
			statement.execute("INSERT INTO note VALUES ('app')");
			new SqliteBackupTemplate(dataSource(database)).backup(this.dir.resolve("copy.db"),
					BackupOptions.defaults().withCopyEngine(engine));
			assertThat(shell(database,
					"BEGIN IMMEDIATE; INSERT INTO note VALUES ('other'); COMMIT; SELECT 'other committed';"))
				.as("another process must not get the write lock the application holds")
				.doesNotContain("other committed");
			statement.execute("COMMIT");
		}
		assertThat(shell(database, "SELECT group_concat(text) FROM note;")).isEqualTo("app");
	}

	/**
	 * A writer killed after writing its commit frame but before publishing it in the
	 * wal-index leaves a valid, chained commit frame beyond the wal-index's mxFrame. SQLite
	 * does not see it (and the next writer overwrites it); the page copy takes it.
	 */
	@Test
	void aValidCommitFrameSqliteNeverPublishedIsNotCopied() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		Path wal = this.dir.resolve("app.db-wal");
		try (Connection connection = TestDatabase.connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("PRAGMA user_version=5");
			forgeUnpublishedUserVersion(wal, 77);
			assertThat(TestDatabase.queryLong(connection, "PRAGMA user_version")).isEqualTo(5);
			BackupResult reference = new SqliteBackupTemplate(dataSource(database)).backup(
					this.dir.resolve("ref.db"), BackupOptions.defaults().withCopyEngine(CopyEngine.ONLINE_BACKUP_API));
			BackupResult pages = new SqliteBackupTemplate(dataSource(database)).backup(this.dir.resolve("pages.db"));
			try (Connection copy = TestDatabase.connect(reference.path())) {
				assertThat(TestDatabase.queryLong(copy, "PRAGMA user_version")).as("reference").isEqualTo(5);
			}
			try (Connection copy = TestDatabase.connect(pages.path())) {
				assertThat(TestDatabase.queryLong(copy, "PRAGMA user_version")).as("page copy").isEqualTo(5);
			}
		}
	}

	/** Append a copy of the last frame (page 1) with user_version changed, chained and marked commit. */
	static void forgeUnpublishedUserVersion(Path wal, int userVersion) throws Exception {
		try (FileChannel log = FileChannel.open(wal, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			WalHeader header = WalFrames.header(log);
			int frameSize = header.frameSize();
			long frames = (log.size() - WalHeader.SIZE) / frameSize;
			long last = WalHeader.SIZE + (frames - 1) * frameSize;
			ByteBuffer frame = ByteBuffer.allocate(frameSize);
			log.read(frame, last);
			byte[] bytes = frame.array();
			assertThat(frame.getInt(0)).as("last frame is page 1").isEqualTo(1);
			assertThat(frame.getInt(4)).as("last frame is a commit").isNotZero();
			WalChecksum previous = new WalChecksum(header.bigEndianChecksums(), frame.getInt(16), frame.getInt(20));
			ByteBuffer.wrap(bytes).putInt(WalFrames.FRAME_HEADER_SIZE + 60, userVersion);
			WalChecksum next = previous.update(bytes, 0, 8).update(bytes, WalFrames.FRAME_HEADER_SIZE,
					header.pageSize());
			ByteBuffer.wrap(bytes).putInt(16, next.s0()).putInt(20, next.s1());
			log.write(ByteBuffer.wrap(bytes), last + frameSize);
		}
	}


	/**
	 * The source is opened (journal mode and page size read) while the database is in
	 * rollback mode; before the copy pins its state, another connection switches the
	 * database to WAL and commits. The engine takes the rollback path: no log is read.
	 */
	@Test
	void aSwitchToWalBetweenOpeningAndPinningIsCopiedAsCommitted() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 200_000);
		Path copy = this.dir.resolve("copy.db");
		Files.createFile(copy);
		try (SourceDatabase source = SourceDatabase.open(dataSource(database), "main", new DatabaseFileGuard());
				OperationControl control = new OperationRegistry().start(null);
				Connection other = TestDatabase.connect(database);
				Statement statement = other.createStatement()) {
			assertThat(source.journalMode().isWal()).isFalse();
			statement.execute("PRAGMA journal_mode=wal");
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("INSERT INTO item (name, price, data) SELECT name || '-2', price, data FROM item");
			statement.execute("UPDATE account SET balance = 999");
			PageCopy.copy(source, copy, BackupOptions.defaults(), control);
			assertThat(TestDatabase.integrityCheck(copy)).isEqualTo("ok");
			assertThat(TestDatabase.fingerprint(copy)).as("the committed state").isEqualTo(TestDatabase.fingerprint(other));
		}
	}

	/** Rollback mode: page size changed by VACUUM between open and pin. */
	@Test
	void aPageSizeChangedBetweenOpeningAndPinningIsCopiedAsCommitted() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 200_000);
		Path copy = this.dir.resolve("copy.db");
		Files.createFile(copy);
		try (SourceDatabase source = SourceDatabase.open(dataSource(database), "main", new DatabaseFileGuard());
				OperationControl control = new OperationRegistry().start(null);
				Connection other = TestDatabase.connect(database);
				Statement statement = other.createStatement()) {
			statement.execute("PRAGMA page_size=8192");
			statement.execute("VACUUM");
			// the page copy sees the change once pinned and leaves the copy to the Online Backup
			// API (a file backup then refuses the copy for the page size it planned for)
			PageCopy.copy(source, copy, BackupOptions.defaults(), control);
			assertThat(TestDatabase.integrityCheck(copy)).isEqualTo("ok");
			assertThat(TestDatabase.fingerprint(copy)).isEqualTo(TestDatabase.fingerprint(other));
		}
	}


	/**
	 * As above, but subtle: a switch to WAL and one committed UPDATE of the first and last
	 * rows; a checkpoint (any connection, e.g. autocheckpoint) runs while the file is
	 * being copied. The copy mixes the old first row with the new last row and passes the
	 * backup's checks.
	 */
	@Test
	void aSwitchToWalAndACheckpointDuringTheCopyNeverGiveATornCopy() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 12L * 1024 * 1024);
		Path copy = this.dir.resolve("copy.db");
		Files.createFile(copy);
		try (SourceDatabase source = SourceDatabase.open(dataSource(database), "main", new DatabaseFileGuard());
				OperationControl control = new OperationRegistry().start(null);
				Connection other = TestDatabase.connect(database);
				Statement statement = other.createStatement()) {
			statement.execute("PRAGMA journal_mode=wal");
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("UPDATE item SET price = -1 WHERE id IN (1, (SELECT max(id) FROM item))");
			AtomicBoolean once = new AtomicBoolean();
			BackupOptions options = BackupOptions.defaults().withProgress((progress) -> {
				if (once.compareAndSet(false, true)) {
					try (Connection checkpointer = TestDatabase.connect(database);
							Statement cp = checkpointer.createStatement()) {
						cp.execute("PRAGMA wal_checkpoint(PASSIVE)");
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}
			});
			CopyStats stats = PageCopy.copy(source, copy, options, control);
			CopyChecks.checkCopy(copy, stats, source.pageSize());
			CopyChecks.verify(copy, BackupOptions.defaults().verification());
			try (Connection c = TestDatabase.connect(copy)) {
				assertThat(SqliteConnections.queryString(c,
						"SELECT group_concat(price, ',') FROM item WHERE id IN (1, (SELECT max(id) FROM item))"))
					.as("passes quick_check; both rows of one transaction").isEqualTo("-1.0,-1.0");
			}
		}
	}

	/** The application opens its database through a symlink to another directory. */
	@Test
	void databaseOpenedThroughASymlink() throws Exception {
		Path real = Files.createDirectory(this.dir.resolve("real"));
		Path database = TestDatabase.create(real.resolve("app.db"), "wal", 4096, 10_000);
		Path link = Files.createSymbolicLink(this.dir.resolve("link.db"), database);
		try (Connection connection = TestDatabase.connect(link); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("UPDATE account SET balance = 4242");
			BackupResult result = new SqliteBackupTemplate(dataSource(link)).backup(this.dir.resolve("copy.db"));
			try (Connection c = TestDatabase.connect(result.path())) {
				assertThat(TestDatabase.queryLong(c, "SELECT balance FROM account")).isEqualTo(4242);
			}
		}
	}

	@Test
	void aShmDeletedAndRebuiltByAnotherProcessIsNotTakenForTheApplicationsIndex() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		Path shm = this.dir.resolve("app.db-shm");
		try (Connection connection = TestDatabase.connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE note(id INTEGER PRIMARY KEY, text TEXT)");
			statement.execute("INSERT INTO note VALUES (1, 'before')");
			Files.delete(shm);
			assertThat(shell(database, "SELECT text FROM note;")).isEqualTo("before");
			assertThat(shm).exists();
			statement.execute("UPDATE note SET text = 'after' WHERE id = 1");
			statement.execute("PRAGMA user_version = 42");
			BackupResult reference = new SqliteBackupTemplate(dataSource(database)).backup(
					this.dir.resolve("ref.db"), BackupOptions.defaults().withCopyEngine(CopyEngine.ONLINE_BACKUP_API));
			BackupResult pages = new SqliteBackupTemplate(dataSource(database)).backup(this.dir.resolve("pages.db"));
			try (Connection copy = TestDatabase.connect(reference.path())) {
				assertThat(TestDatabase.queryLong(copy, "PRAGMA user_version")).as("reference").isEqualTo(42);
			}
			try (Connection copy = TestDatabase.connect(pages.path())) {
				assertThat(TestDatabase.queryLong(copy, "PRAGMA user_version")).as("page copy").isEqualTo(42);
			}
		}
	}

	@Test
	void aStaleShmAndACheckpointDuringTheCopyNeverGiveATornCopy() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		Path shm = this.dir.resolve("app.db-shm");
		try (Connection connection = TestDatabase.connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, pad BLOB)");
			statement.execute("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5000) "
					+ "INSERT INTO t SELECT n, 0, randomblob(3000) FROM s");
			statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
			statement.execute("PRAGMA user_version = 1");
			Files.delete(shm);
			assertThat(shell(database, "SELECT count(*) FROM t;")).isEqualTo("5000");
			statement.execute("UPDATE t SET v = v + 1 WHERE id IN (1, 5000)");
			AtomicBoolean once = new AtomicBoolean();
			BackupResult pages = new SqliteBackupTemplate(dataSource(database)).backup(this.dir.resolve("pages.db"),
					BackupOptions.defaults().withProgress((p) -> {
						if (!p.done() && once.compareAndSet(false, true)) {
							try (Statement checkpoint = connection.createStatement()) {
								checkpoint.execute("PRAGMA wal_checkpoint(PASSIVE)");
							}
							catch (java.sql.SQLException ex) {
								throw new IllegalStateException(ex);
							}
						}
					}));
			assertThat(once).isTrue();
			try (Connection copy = TestDatabase.connect(pages.path())) {
				long first = TestDatabase.queryLong(copy, "SELECT v FROM t WHERE id = 1");
				long last = TestDatabase.queryLong(copy, "SELECT v FROM t WHERE id = 5000");
				assertThat(first + " / " + last + " / " + TestDatabase.integrityCheck(pages.path()))
					.as("one committed state: both rows were incremented together").isIn("0 / 0 / ok", "1 / 1 / ok");
			}
		}
	}

}
