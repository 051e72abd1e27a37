package io.github.sqlitebackup.job;

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
 * {@link ChangeSignature}, read for every backup, leaves SQLite's locks in this process in
 * place: another process's last close does not delete the write-ahead log under this
 * process's open connection.
 */
class ChangeSignatureTests {

	@TempDir
	Path dir;

	@Test
	void anotherProcessLeavesTheWalOfThisProcesssConnectionAfterTheSignatureWasRead() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 10_000);
		Path wal = this.dir.resolve("app.db-wal");
		try (Connection connection = TestDatabase.connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE note(text TEXT)");
			statement.execute("INSERT INTO note VALUES ('acknowledged')");
			assertThat(Files.size(wal)).isPositive();

			String signature = ChangeSignature.of(database);
			assertThat(ChangeSignature.of(database)).isEqualTo(signature);

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
