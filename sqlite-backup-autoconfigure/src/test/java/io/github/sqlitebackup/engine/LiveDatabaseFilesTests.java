package io.github.sqlitebackup.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LiveDatabaseFiles}: reading a live database's header never releases the locks
 * SQLite holds on it in this process, so another process's last close does not checkpoint
 * and delete the write-ahead log under this process's open connection.
 */
class LiveDatabaseFilesTests {

	@TempDir
	Path dir;

	@Test
	void readsTheStartOfTheFile() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		assertThat(new String(LiveDatabaseFiles.readStart(database, 15), StandardCharsets.US_ASCII))
			.isEqualTo("SQLite format 3");
		assertThat(LiveDatabaseFiles.readStart(database, 1 << 20)).hasSize((int) Files.size(database));
	}

	@Test
	void anotherProcessLeavesTheWalOfThisProcesssConnectionAfterItsHeaderWasRead() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		Path wal = this.dir.resolve("app.db-wal");
		try (Connection connection = TestDatabase.connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE note(text TEXT)");
			statement.execute("INSERT INTO note VALUES ('acknowledged')");
			assertThat(Files.size(wal)).isPositive();

			LiveDatabaseFiles.readStart(database, 100);
			SqliteHeader.readLive(database);

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

}
