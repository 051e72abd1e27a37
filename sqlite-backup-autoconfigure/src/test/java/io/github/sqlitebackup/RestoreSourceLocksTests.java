package io.github.sqlitebackup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import io.github.sqlitebackup.support.TestDatabase;
import io.github.sqlitebackup.support.Tmpfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A restore whose source is a file SQLite has open in this process (another database of the
 * application, or one of its side files, given by mistake) is refused before the file is
 * opened: closing a descriptor of it would drop the application's locks, and another
 * process could then write beside the application's open transaction.
 */
class RestoreSourceLocksTests {

	@TempDir
	Path dir;

	@Test
	void aLiveDatabaseInATransactionIsRefusedAsASourceAndKeepsItsLock() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 10_000);
		Path other = TestDatabase.create(this.dir.resolve("b.db"), "wal", 4096, 10_000);
		whileTheApplicationHoldsItsWriteLock(database, () -> assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> new SqliteBackupTemplate(dataSource(other)).restore(database))
			.withMessageContaining("is a database this application has open"));
	}

	@Test
	void aSideFileOfALiveDatabaseIsRefusedAsASourceAndItsLocksStay() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		Path other = TestDatabase.create(this.dir.resolve("b.db"), "wal", 4096, 10_000);
		whileTheApplicationHoldsItsWriteLock(database, () -> {
			for (String side : new String[] { "-shm", "-wal" }) {
				assertThatExceptionOfType(SqliteBackupException.class)
					.isThrownBy(() -> new SqliteBackupTemplate(dataSource(other)).restore(Path.of(database + side)))
					.withMessageContaining("side file");
			}
		});
	}

	@Test
	void aLiveWalDatabaseWithAnEmptyLogIsRefusedAsASource() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		Path other = TestDatabase.create(this.dir.resolve("b.db"), "wal", 4096, 10_000);
		try (Connection connection = TestDatabase.connect(database); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> new SqliteBackupTemplate(dataSource(other)).restore(database))
				.withMessageContaining("is a database this application has open");
		}
	}

	@Test
	void aLiveDatabaseOnAnOverlayOfTwoFileSystemsIsRefusedAsASource() throws Exception {
		// containers: image layers on one file system, the writable layer on another; stat()
		// then reports another device than /proc/locks does
		Path lower = Files.createDirectories(this.dir.resolve("lower"));
		Path layers = Files.createDirectories(this.dir.resolve("layers"));
		Path merged = Files.createDirectories(this.dir.resolve("merged"));
		Tmpfs tmpfs = Tmpfs.mount(layers, "16m");
		Assumptions.assumeTrue(tmpfs != null, "mounting a tmpfs needs root; CI runs as root");
		try (tmpfs) {
			Files.createDirectories(layers.resolve("upper"));
			Files.createDirectories(layers.resolve("work"));
			assertThat(run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower + ",upperdir="
					+ layers.resolve("upper") + ",workdir=" + layers.resolve("work"), merged.toString()))
				.as("mount an overlay").isTrue();
			try {
				Path database = TestDatabase.create(merged.resolve("app.db"), "delete", 4096, 10_000);
				Path other = TestDatabase.create(this.dir.resolve("b.db"), "wal", 4096, 10_000);
				whileTheApplicationHoldsItsWriteLock(database, () -> assertThatExceptionOfType(SqliteBackupException.class)
					.isThrownBy(() -> new SqliteBackupTemplate(dataSource(other)).restore(database))
					.withMessageContaining("is a database this application has open"));
			}
			finally {
				run("umount", "-l", merged.toString());
			}
		}
	}

	/**
	 * Run refused restores while a connection of the application holds the write lock in a
	 * transaction, then check that no other process could write meanwhile.
	 */
	private static void whileTheApplicationHoldsItsWriteLock(Path database, Refusals refusals) throws Exception {
		try (Connection connection = TestDatabase.connect(database); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE note(text TEXT)");
			statement.execute("BEGIN IMMEDIATE");
			statement.execute("INSERT INTO note VALUES ('app')");
			refusals.run();
			assertThat(shell(database, "BEGIN IMMEDIATE; INSERT INTO note VALUES ('other'); COMMIT; SELECT 'committed';"))
				.as("another process cannot write while the application holds its lock")
				.doesNotContain("committed");
			statement.execute("COMMIT");
		}
		assertThat(shell(database, "SELECT group_concat(text) FROM note;")).isEqualTo("app");
	}

	private static boolean run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
	}

	private static String shell(Path database, String sql) throws Exception {
		Process process = new ProcessBuilder("sqlite3", "-cmd", ".timeout 200", database.toString(), sql)
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
	}

	private static SQLiteDataSource dataSource(Path file) {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + file);
		return dataSource;
	}

	@FunctionalInterface
	private interface Refusals {

		void run() throws Exception;

	}

}
