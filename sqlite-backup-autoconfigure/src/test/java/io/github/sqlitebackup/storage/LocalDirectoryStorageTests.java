package io.github.sqlitebackup.storage;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.sqlitebackup.SqliteBackupException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The local directory storage: the contract, and what only a directory can hold (links,
 * sub-directories, FIFOs, staging files).
 */
class LocalDirectoryStorageTests extends BackupStorageContractTests {

	private Path directory;

	@Override
	protected BackupStorage createStorage() {
		this.directory = this.scratch.resolve("backups");
		return LocalDirectoryStorage.open(this.directory);
	}

	@Test
	void symbolicLinksAreNeverSeenReadOrFollowed() throws Exception {
		Path secret = Files.writeString(this.scratch.resolve("secret.txt"), "outside");
		Files.createSymbolicLink(this.directory.resolve("app-20260101T000000000Z.db"), secret);
		BackupStorage storage = storageUnderTest();
		assertThat(storage.list()).isEmpty();
		assertThat(storage.stat("app-20260101T000000000Z.db")).isEmpty();
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> storage.open("app-20260101T000000000Z.db"));
		assertThat(storage.delete("app-20260101T000000000Z.db")).isTrue();
		assertThat(secret).hasContent("outside");
	}

	@Test
	void subDirectoriesFifosAndStagingFilesAreNotObjects() throws Exception {
		Files.createDirectory(this.directory.resolve("dir.db"));
		Process mkfifo = new ProcessBuilder("mkfifo", this.directory.resolve("fifo.db").toString()).start();
		assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(mkfifo.exitValue()).isZero();
		Files.writeString(this.directory.resolve(".a.db.123.sqlite-backup-tmp"), "staging");
		BackupStorage storage = storageUnderTest();
		assertThat(storage.list()).isEmpty();
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> storage.open("dir.db"));
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> storage.open("fifo.db"));
	}

	@Test
	void aFailedWriteLeavesNoStagingFile() throws Exception {
		BackupStorage storage = storageUnderTest();
		storage.write("a.db", new ByteArrayInputStream(new byte[10]));
		assertThatExceptionOfType(ObjectExistsException.class)
			.isThrownBy(() -> storage.write("a.db", new ByteArrayInputStream(new byte[20])));
		try (var files = Files.list(this.directory)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactly("a.db");
		}
	}

	@Test
	void aFileInTheDirectoryIsLinkedNotCopied() throws Exception {
		Path file = Files.write(this.directory.resolve(".staged"), bytes(8192, 4));
		storageUnderTest().write("linked.db", file);
		assertThat(file).exists();
		assertThat(Files.isSameFile(file, this.directory.resolve("linked.db"))).isTrue();
		assertThat(read("linked.db")).isEqualTo(bytes(8192, 4));
	}

	@Test
	void openRefusesAPathThatIsNotAUsableDirectory() throws Exception {
		Path regular = Files.writeString(this.scratch.resolve("file.txt"), "x");
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> LocalDirectoryStorage.open(regular.resolve("sub")))
			.withMessageContaining(regular.resolve("sub").toString());
	}

}
