package io.github.sqlitebackup.offsite;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.support.AgeTestKeys;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Encoding backups for off-site storage and reading them back: every codec, with and
 * without encryption, and every way the stored bytes can be wrong.
 */
class StoredFormTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@CsvSource({ "NONE,false", "GZIP,false", "ZSTD,false", "NONE,true", "GZIP,true", "ZSTD,true" })
	void everyCodecRoundTripsTheExactFile(Compression compression, boolean encrypted) throws Exception {
		Backup backup = backup();
		Path stored = this.dir.resolve("stored");
		BackupManifest.Stored how = encode(compression, encrypted, backup, stored);
		assertThat(how.codec()).isEqualTo(compression.id() + (encrypted ? "+age" : ""));
		assertThat(how.bytes()).isEqualTo(Files.size(stored));
		assertThat(how.sha256()).isEqualTo(TestDatabase.sha256(stored));
		if (compression != Compression.NONE) {
			// random blobs barely compress; the pages' free space and the index do
			assertThat(how.bytes()).isLessThan(Files.size(backup.file));
		}
		if (encrypted) {
			assertThat(Files.readString(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
				.startsWith("age-encryption.org/v1");
		}
		BackupManifest remote = backup.manifest.storedAs(how, 1);
		Path decoded = this.dir.resolve("decoded.db");
		try (InputStream in = new BackupDecoder(List.of(AgeTestKeys.IDENTITY)).decode(remote, Files.newInputStream(stored));
				OutputStream out = Files.newOutputStream(decoded)) {
			in.transferTo(out);
		}
		assertThat(TestDatabase.sha256(decoded)).isEqualTo(backup.manifest.sha256());
		assertThat(TestDatabase.integrityCheck(decoded)).isEqualTo("ok");
	}

	@ParameterizedTest
	@CsvSource({ "NONE,false", "ZSTD,false", "ZSTD,true" })
	void aFlippedStoredByteIsDetected(Compression compression, boolean encrypted) throws Exception {
		Backup backup = backup();
		Path stored = this.dir.resolve("stored");
		BackupManifest.Stored how = encode(compression, encrypted, backup, stored);
		byte[] bytes = Files.readAllBytes(stored);
		bytes[bytes.length / 2] ^= 0x01;
		BackupManifest remote = backup.manifest.storedAs(how, 1);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> readAll(remote, bytes, AgeTestKeys.IDENTITY));
	}

	@Test
	void aStoredObjectWithTheWrongSizeOrChecksumInItsManifestIsRefused() throws Exception {
		Backup backup = backup();
		byte[] plain = Files.readAllBytes(backup.file);
		BackupManifest wrongSha = backup.manifest.storedAs(new BackupManifest.Stored("none", plain.length, "00"), 1);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> readAll(wrongSha, plain, AgeTestKeys.IDENTITY))
			.withMessageContaining("does not match its manifest");
		BackupManifest shorter = backup.manifest
			.storedAs(new BackupManifest.Stored("none", plain.length - 1, backup.manifest.sha256()), 1);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> readAll(shorter, plain, AgeTestKeys.IDENTITY))
			.withMessageContaining("more than");
	}

	@Test
	void encryptedBackupsNeedTheRightIdentity() throws Exception {
		Backup backup = backup();
		Path stored = this.dir.resolve("stored");
		BackupManifest.Stored how = encode(Compression.ZSTD, true, backup, stored);
		BackupManifest remote = backup.manifest.storedAs(how, 1);
		byte[] bytes = Files.readAllBytes(stored);
		assertThatExceptionOfType(BackupNotReadableException.class)
			.isThrownBy(() -> new BackupDecoder(List.of()).checkReadable(remote))
			.withMessageContaining("sqlite.backup.remote.encryption.age-identity-file");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> readAll(remote, bytes, AgeTestKeys.OTHER_IDENTITY))
			.withMessageContaining("identity");
		assertThat(readAll(remote, bytes, AgeTestKeys.OTHER_IDENTITY + "\n" + AgeTestKeys.IDENTITY)).hasSize(
				(int) backup.manifest.bytes());
	}

	@Test
	void unknownCodecsAreNamed() throws Exception {
		Backup backup = backup();
		BackupManifest remote = backup.manifest.storedAs(new BackupManifest.Stored("brotli+age", 1, "00"), 1);
		assertThatExceptionOfType(BackupNotReadableException.class)
			.isThrownBy(() -> new BackupDecoder(List.of()).checkReadable(remote))
			.withMessageContaining("brotli+age");
	}

	@Test
	void badKeysAreRefusedWithoutRepeatingSecrets() throws Exception {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> AgeKeys.checkRecipients(List.of(AgeTestKeys.RECIPIENT, "age1nope")))
			.withMessageContaining("age1nope");
		Path file = Files.writeString(this.dir.resolve("key.txt"), "# comment\nAGE-SECRET-KEY-1SECRETBUTBROKEN\n");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> AgeKeys.readIdentities(file))
			.withMessageContaining("line 2")
			.withMessageNotContaining("SECRETBUTBROKEN");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> AgeKeys.readIdentities(this.dir.resolve("missing.txt")))
			.withMessageContaining("no file");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> AgeKeys.readIdentities(Files.writeString(this.dir.resolve("empty.txt"), "# none\n")))
			.withMessageContaining("no age identity");
		assertThat(AgeKeys.readIdentities(AgeTestKeys.identityFile(this.dir.resolve("ok.txt"), AgeTestKeys.IDENTITY)))
			.containsExactly(AgeTestKeys.IDENTITY);
	}

	private static BackupManifest.Stored encode(Compression compression, boolean encrypted, Backup backup, Path stored)
			throws IOException {
		StoredForm form = new StoredForm(compression, encrypted ? List.of(AgeTestKeys.RECIPIENT) : List.of());
		try (InputStream in = Files.newInputStream(backup.file)) {
			return form.encode(in, stored);
		}
	}

	private static byte[] readAll(BackupManifest remote, byte[] stored, String identities) throws IOException {
		try (InputStream in = new BackupDecoder(List.of(identities.split("\n"))).decode(remote,
				new ByteArrayInputStream(stored))) {
			return in.readAllBytes();
		}
	}

	private Backup backup() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 2_000_000);
		Path file = this.dir.resolve("backup.db");
		var result = new SqliteBackupTemplate(TestDatabase.pool(database, 2)).backup(file);
		BackupManifest manifest = BackupManifest.of("app-20261122T120000000Z.db", new DatabaseIdentity("app", "app.db"),
				1, BackupTrigger.MANUAL, Instant.parse("2026-11-22T12:00:00Z"), result, TestDatabase.sha256(file), null);
		return new Backup(file, manifest);
	}

	private record Backup(Path file, BackupManifest manifest) {
	}

}
