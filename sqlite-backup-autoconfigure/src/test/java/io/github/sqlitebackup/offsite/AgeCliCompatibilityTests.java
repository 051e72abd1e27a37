package io.github.sqlitebackup.offsite;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator with no Java at all can read an off-site copy: the stock {@code age} CLI
 * decrypts it and {@code zstd -d} (or {@code gzip -d}) decompresses it to the backup.
 */
class AgeCliCompatibilityTests {

	@TempDir
	Path dir;

	@Test
	void ageAndZstdCommandLineToolsReadAnEncryptedZstdCopy() throws Exception {
		Path backup = backup();
		Path stored = this.dir.resolve("app.db.zst.age");
		try (InputStream in = Files.newInputStream(backup)) {
			new StoredForm(Compression.ZSTD, List.of(AgeTestKeys.RECIPIENT)).encode(in, stored);
		}
		Path key = AgeTestKeys.identityFile(this.dir.resolve("key.txt"), AgeTestKeys.IDENTITY);
		run("age", "-d", "-i", key.toString(), "-o", this.dir.resolve("app.db.zst").toString(), stored.toString());
		run("zstd", "-q", "-d", this.dir.resolve("app.db.zst").toString(), "-o", this.dir.resolve("plain.db").toString());
		assertThat(TestDatabase.sha256(this.dir.resolve("plain.db"))).isEqualTo(TestDatabase.sha256(backup));
		assertThat(TestDatabase.integrityCheck(this.dir.resolve("plain.db"))).isEqualTo("ok");
	}

	@Test
	void gzipCommandLineToolReadsAGzipCopy() throws Exception {
		Path backup = backup();
		Path stored = this.dir.resolve("app.db.gz");
		try (InputStream in = Files.newInputStream(backup)) {
			new StoredForm(Compression.GZIP, List.of()).encode(in, stored);
		}
		run("gzip", "-d", stored.toString());
		assertThat(TestDatabase.sha256(this.dir.resolve("app.db"))).isEqualTo(TestDatabase.sha256(backup));
	}

	private Path backup() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("source.db"), "wal", 4096, 1_000_000);
		Path backup = this.dir.resolve("backup.db");
		new SqliteBackupTemplate(TestDatabase.pool(database, 2)).backup(backup);
		return backup;
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
	}

}
