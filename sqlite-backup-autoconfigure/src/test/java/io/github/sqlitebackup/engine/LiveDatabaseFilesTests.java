package io.github.sqlitebackup.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.support.OtherProcessScenario;
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
		OtherProcessScenario.assertTheLogOutlivesAnotherProcessAfter(this.dir, (database) -> {
			LiveDatabaseFiles.readStart(database, 100);
			SqliteHeader.readLive(database);
		});
	}

}
