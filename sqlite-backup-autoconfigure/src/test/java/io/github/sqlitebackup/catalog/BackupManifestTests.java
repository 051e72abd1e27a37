package io.github.sqlitebackup.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.sqlitebackup.JournalMode;
import io.github.sqlitebackup.Verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The manifest's JSON, against golden files of both formats.
 */
class BackupManifestTests {

	private static final Instant CREATED = Instant.parse("2026-11-22T12:00:00Z");

	@Test
	void writesTheGoldenFormat2() throws IOException {
		BackupManifest manifest = Manifests.manifest(7, CREATED);
		assertThat(manifest.toJson()).isEqualTo(golden("manifest-v2.json"));
		assertThat(BackupManifest.fromJson(manifest.toJson())).isEqualTo(manifest);
	}

	@Test
	void readsFormat1OfTheFirstRelease() throws IOException {
		BackupManifest manifest = BackupManifest.fromJson(golden("manifest-v1.json"));
		assertThat(manifest.formatVersion()).isOne();
		assertThat(manifest.databaseId()).isEqualTo("app");
		assertThat(manifest.sequence()).isZero();
		assertThat(manifest.trigger()).isEqualTo(BackupTrigger.SCHEDULE);
		assertThat(manifest.journalMode()).isEqualTo(JournalMode.WAL);
		assertThat(manifest.verification()).isEqualTo(Verification.QUICK);
		assertThat(manifest.schemaVersion()).isNull();
		assertThat(manifest.stored()).isEqualTo(new BackupManifest.Stored("none", manifest.bytes(), manifest.sha256()));
	}

	@Test
	void refusesUnknownFormatsAndIncompleteManifests() throws IOException {
		String v2 = Manifests.manifest(7, CREATED).toJson();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BackupManifest.fromJson(v2.replace("\"formatVersion\":2", "\"formatVersion\":3")))
			.withMessageContaining("format 3");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BackupManifest.fromJson(v2.replace("\"sequence\":7,", "")))
			.withMessageContaining("'sequence'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BackupManifest.fromJson(v2.replace("\"SCHEDULE\"", "\"SOMETIMES\"")))
			.withMessageContaining("'trigger'");
	}

	private static String golden(String name) throws IOException {
		try (InputStream in = BackupManifestTests.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
