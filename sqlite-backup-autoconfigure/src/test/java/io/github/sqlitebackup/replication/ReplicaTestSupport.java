package io.github.sqlitebackup.replication;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.support.MutableClock;
import io.github.sqlitebackup.support.TestDatabase;

/**
 * What the replication tests share: a WAL database of the test's size, an empty replica
 * directory, a clock moved by hand, and the restore settings.
 */
abstract class ReplicaTestSupport {

	static final OfflineRestore.Settings RESTORE = new OfflineRestore.Settings(Verification.FULL,
			OfflineRestore.Mode.IF_MISSING, true);

	static final BackupDecoder PLAIN = new BackupDecoder(List.of());

	@TempDir
	Path dir;

	Path database;

	Path replica;

	final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));

	@BeforeEach
	void createDatabase() throws Exception {
		this.database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, databaseBytes());
		this.replica = Files.createDirectories(this.dir.resolve("replica"));
	}

	/**
	 * Return roughly how large the test's database starts.
	 * @return the size in bytes
	 */
	long databaseBytes() {
		return 100_000;
	}

}
