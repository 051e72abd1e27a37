package io.github.sqlitebackup.engine;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

	@Test
	void anotherProcessLeavesTheWalOfThisProcesssConnectionAfterACopyOnAnInterruptedThread() throws Exception {
		Path copy = this.dir.resolve("copy.db");
		OtherProcessScenario.assertTheLogOutlivesAnotherProcessAfter(this.dir, (database) -> {
			try (FileChannel target = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
					LiveDatabaseFiles.Copier copier = LiveDatabaseFiles.copier(database)) {
				// an interrupted FileChannel closes itself, and with it the process's locks
				Thread.currentThread().interrupt();
				long copied = copier.transferTo(0, Files.size(database), target);
				assertThat(Thread.interrupted()).as("the interrupt status is kept").isTrue();
				assertThat(copied).isEqualTo(Files.size(database));
			}
			// read through the kept descriptor: opening and closing the live file here would drop the locks
			assertThat(Files.readAllBytes(copy)).isEqualTo(LiveDatabaseFiles.readStart(database, 1 << 20));
		});
	}

}
