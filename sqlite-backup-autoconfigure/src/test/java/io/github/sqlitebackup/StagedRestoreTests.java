package io.github.sqlitebackup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a restore checks is what it restores: the private staging copy (issue: the SHA-256
 * was checked on one read of the backup and the restore read it again, so a file swapped in
 * between was restored).
 */
class StagedRestoreTests {

	@TempDir
	Path dir;

	@Test
	void aBackupSwappedAfterItsCheckIsNotWhatGetsRestored() throws Exception {
		Path live = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 200_000);
		Path attacker = TestDatabase.create(this.dir.resolve("attacker.db"), "delete", 4096, 300_000);
		String expected = TestDatabase.fingerprint(backup);
		String backupSha256 = TestDatabase.sha256(backup);
		AtomicReference<StagedBackup> checked = new AtomicReference<>();
		try (HikariDataSource dataSource = TestDatabase.pool(live, 2)) {
			new SqliteBackupTemplate(dataSource).restore(backup, BackupOptions.defaults()
				.withRestoreListener(new RestoreListener() {

					@Override
					public void checkBackup(StagedBackup staged) throws Exception {
						checked.set(staged);
						Files.copy(attacker, backup, StandardCopyOption.REPLACE_EXISTING);
					}

				}));
		}
		assertThat(checked.get().sha256()).isEqualTo(backupSha256);
		assertThat(checked.get().schemaVersion().isSameSchema(checked.get().liveSchemaVersion())).isTrue();
		assertThat(TestDatabase.fingerprint(live)).isEqualTo(expected);
	}

	@Test
	void aListenerThatRefusesLeavesTheLiveDatabaseAsItWas() throws Exception {
		Path live = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 200_000);
		String before = TestDatabase.fingerprint(live);
		try (HikariDataSource dataSource = TestDatabase.pool(live, 2)) {
			SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource);
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> template.restore(backup, BackupOptions.defaults().withRestoreListener(new RestoreListener() {

					@Override
					public void liveDatabaseLocked() {
						throw new IllegalStateException("no safety backup");
					}

				})))
				.withMessageContaining("no safety backup");
		}
		assertThat(TestDatabase.fingerprint(live)).isEqualTo(before);
		assertThat(TestDatabase.integrityCheck(live)).isEqualTo("ok");
	}

}
