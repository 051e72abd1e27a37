package io.github.sqlitebackup.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether this process keeps SQLite's locks on a database after reading its files: a
 * connection here writes to the write-ahead log, the read under test runs, then the
 * {@code sqlite3} shell opens and closes the database in another process. Had the read
 * closed a descriptor of the database file (dropping this process's POSIX locks), the shell's
 * close would take itself for the last connection and delete the log under this one.
 */
public final class OtherProcessScenario {

	private OtherProcessScenario() {
	}

	/**
	 * Run the scenario.
	 * @param directory where to create the database
	 * @param read the reads of the database's files under test
	 * @throws Exception if the scenario cannot run
	 */
	public static void assertTheLogOutlivesAnotherProcessAfter(Path directory, Read read) throws Exception {
		Path database = TestDatabase.create(directory.resolve("app.db"), "wal", 4096, 10_000);
		Path wal = directory.resolve("app.db-wal");
		try (Connection connection = TestDatabase.connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE note(text TEXT)");
			statement.execute("INSERT INTO note VALUES ('acknowledged')");
			assertThat(Files.size(wal)).isPositive();

			read.run(database);

			Process other = new ProcessBuilder("sqlite3", database.toString(), "SELECT count(*) FROM note;")
				.redirectErrorStream(true)
				.start();
			assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
				.isEqualTo("1");
			assertThat(wal).as("the other process saw this one's lock and left the log alone").exists();
			statement.execute("INSERT INTO note VALUES ('after')");
			assertThat(Files.size(wal)).isPositive();
		}
	}

	/**
	 * Reads a database's files.
	 */
	@FunctionalInterface
	public interface Read {

		/**
		 * Read.
		 * @param database the database file
		 * @throws Exception if it fails
		 */
		void run(Path database) throws Exception;

	}

}
