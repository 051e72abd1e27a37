package io.github.sqlitebackup.catalog;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Backup names and their prefixes (the database ids).
 */
class BackupNamesTests {

	@Test
	void namesCarryTheirPrefixExactly() {
		String name = new BackupNames("app-x").nameFor(Instant.parse("2026-11-22T12:00:00.123Z"));
		assertThat(name).isEqualTo("app-x-20261122T120000123Z.db");
		assertThat(BackupNames.prefixOf(name)).isEqualTo("app-x");
		assertThat(BackupNames.prefixOf("app-20261122T120000123Z.db")).isEqualTo("app");
		assertThat(BackupNames.prefixOf("app-20261122T120000123Z.db.manifest.json")).isNull();
		assertThat(BackupNames.prefixOf("../app-20261122T120000123Z.db")).isNull();
	}

	@Test
	void defaultPrefixIsTheFileNameMadeSafe() {
		assertThat(BackupNames.defaultPrefix(Path.of("/data/app #1.db"))).isEqualTo("app--1");
		assertThat(BackupNames.defaultPrefix(Path.of("/data/.hidden.db"))).isEqualTo("hidden");
		assertThat(BackupNames.defaultPrefix(Path.of("/data/ü.db"))).isEqualTo("sqlite");
	}

	@Test
	void badPrefixesAreRefused() {
		for (String prefix : new String[] { "", "-app", "a/b", "a.b", "x".repeat(65) }) {
			assertThatIllegalArgumentException().as(prefix).isThrownBy(() -> new BackupNames(prefix));
		}
	}

}
