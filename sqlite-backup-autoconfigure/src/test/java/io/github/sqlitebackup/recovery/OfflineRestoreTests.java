package io.github.sqlitebackup.recovery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.engine.SqliteHeader;
import io.github.sqlitebackup.support.TestDatabase;
import io.github.sqlitebackup.support.Tmpfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link OfflineRestore}: the target is either as it was or the whole checked backup; a
 * stream that fails at its end, a file that is not an intact database, an existing
 * database or a WAL beside a missing one leave everything as it was.
 */
class OfflineRestoreTests {

	@TempDir
	Path dir;

	private static final OfflineRestore.Settings IF_MISSING = new OfflineRestore.Settings(Verification.FULL,
			OfflineRestore.Mode.IF_MISSING, false);

	@Test
	void restoresIntoAMissingFileInANewDirectoryReportingProgress() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 3_000_000);
		Path target = this.dir.resolve("new/data/app.db");
		List<Long> progress = new ArrayList<>();
		OfflineRestore.Result result = restore(backup, target,
				new OfflineRestore.Settings(Verification.FULL, OfflineRestore.Mode.IF_MISSING, true), progress::add);
		assertThat(result.bytes()).isEqualTo(Files.size(backup));
		assertThat(progress).isSorted().last().isEqualTo(Files.size(backup));
		assertThat(progress.size()).isGreaterThan(1);
		assertThat(TestDatabase.fingerprint(target)).isEqualTo(TestDatabase.fingerprint(backup));
		assertThat(SqliteHeader.read(target).walMode()).as("published in the source's WAL mode").isTrue();
		assertThat(TestDatabase.fileNames(target.getParent())).containsExactly("app.db");
	}

	@Test
	void anEmptyFileCountsAsMissing() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 100_000);
		Path target = Files.createFile(this.dir.resolve("app.db"));
		Files.createFile(this.dir.resolve("app.db-shm"));
		restore(backup, target, IF_MISSING, (bytes) -> {
		});
		assertThat(TestDatabase.sha256(target)).isEqualTo(TestDatabase.sha256(backup));
		assertThat(TestDatabase.fileNames(this.dir)).containsExactlyInAnyOrder("app.db", "backup.db");
	}

	@Test
	void aStreamThatFailsAtItsEndPublishesNothing() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 100_000);
		Path target = this.dir.resolve("app.db");
		InputStream failing = new InputStream() {

			private final InputStream content = Files.newInputStream(backup);

			@Override
			public int read() throws IOException {
				int value = this.content.read();
				if (value < 0) {
					throw new IOException("checksum mismatch");
				}
				return value;
			}

		};
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> OfflineRestore.restore(failing, target, IF_MISSING, (bytes) -> {
			}))
			.withMessage("checksum mismatch");
		assertThat(TestDatabase.fileNames(this.dir)).containsExactly("backup.db");
	}

	@Test
	void aDiskThatFillsUpFailsNamingItAndLeavesNothing() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "wal", 4096, 3_000_000);
		Path small = Files.createDirectory(this.dir.resolve("small"));
		Tmpfs tmpfs = Tmpfs.mount(small, "1m");
		Assumptions.assumeTrue(tmpfs != null, "mounting a tmpfs needs root; CI runs as root");
		try (tmpfs) {
			assertThatExceptionOfType(SqliteBackupException.class)
				.isThrownBy(() -> restore(backup, small.resolve("app.db"), IF_MISSING, (bytes) -> {
				}))
				.withMessageContaining("the disk is full");
			assertThat(TestDatabase.fileNames(small)).as("no staging file, no target").isEmpty();
		}
	}

	@Test
	void aDamagedDatabaseFailsVerificationAndPublishesNothing() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 200_000);
		TestDatabase.damageIndexPage(backup);
		Path target = this.dir.resolve("app.db");
		assertThatExceptionOfType(BackupVerificationException.class)
			.isThrownBy(() -> restore(backup, target, IF_MISSING, (bytes) -> {
			}))
			.withMessageContaining("integrity_check");
		byte[] notSqlite = "not a database at all".repeat(100).getBytes();
		assertThatExceptionOfType(BackupVerificationException.class)
			.isThrownBy(() -> OfflineRestore.restore(new ByteArrayInputStream(notSqlite), target, IF_MISSING,
					(bytes) -> {
					}))
			.withMessageContaining("not a SQLite database");
		assertThat(TestDatabase.fileNames(this.dir)).containsExactly("backup.db");
	}

	@Test
	void anExistingDatabaseOrAWalBesideAMissingOneIsRefusedUntouched() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 100_000);
		Path existing = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 50_000);
		String before = TestDatabase.sha256(existing);
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> restore(backup, existing, IF_MISSING, (bytes) -> {
			}))
			.withMessageContaining("exists and is not empty");
		assertThat(TestDatabase.sha256(existing)).isEqualTo(before);
		Path wal = Files.write(this.dir.resolve("other.db-wal"), new byte[100]);
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> restore(backup, this.dir.resolve("other.db"), IF_MISSING, (bytes) -> {
			}))
			.withMessageContaining(wal.toString());
		assertThat(wal).hasSize(100);
		assertThat(this.dir.resolve("other.db")).doesNotExist();
	}

	@Test
	void replaceSwapsAnExistingDatabaseAndDropsItsOldWal() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 100_000);
		Path existing = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 50_000);
		Files.write(this.dir.resolve("app.db-wal"), new byte[100]);
		restore(backup, existing, new OfflineRestore.Settings(Verification.QUICK, OfflineRestore.Mode.REPLACE, false),
				(bytes) -> {
				});
		assertThat(TestDatabase.sha256(existing)).isEqualTo(TestDatabase.sha256(backup));
		assertThat(this.dir.resolve("app.db-wal")).doesNotExist();
	}

	@Test
	void aReplacedDatabaseKeepsItsPermissions() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 100_000);
		Path existing = TestDatabase.create(this.dir.resolve("app.db"), "delete", 4096, 50_000);
		Set<PosixFilePermission> groupShared = PosixFilePermissions.fromString("rw-rw----");
		Files.setPosixFilePermissions(existing, groupShared);
		restore(backup, existing, new OfflineRestore.Settings(Verification.QUICK, OfflineRestore.Mode.REPLACE, false),
				(bytes) -> {
				});
		assertThat(TestDatabase.sha256(existing)).isEqualTo(TestDatabase.sha256(backup));
		assertThat(Files.getPosixFilePermissions(existing)).as("not the staging file's owner-only mode")
			.isEqualTo(groupShared);
	}

	@Test
	void aFileThatAppearsWhileTheRestoreIsWrittenIsNeverReplaced() throws Exception {
		Path backup = TestDatabase.create(this.dir.resolve("backup.db"), "delete", 4096, 3_000_000);
		Path target = this.dir.resolve("app.db");
		byte[] theirs = "written by another restore".getBytes(StandardCharsets.UTF_8);
		LongConsumer anotherProcessCreatesTheFile = (bytes) -> {
			try {
				if (Files.notExists(target)) {
					Files.write(target, theirs);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		};
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> restore(backup, target, IF_MISSING, anotherProcessCreatesTheFile))
			.withMessageContaining(target.toString())
			.withMessageContaining("nothing was changed");
		assertThat(target).hasBinaryContent(theirs);
		assertThat(TestDatabase.fileNames(this.dir)).containsExactlyInAnyOrder("app.db", "backup.db");
	}

	private static OfflineRestore.Result restore(Path backup, Path target, OfflineRestore.Settings settings,
			LongConsumer progress) throws IOException {
		try (InputStream in = Files.newInputStream(backup)) {
			return OfflineRestore.restore(in, target, settings, progress);
		}
	}

}
