package io.github.sqlitebackup.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link StagingFile#publishIfAbsent(Path)}: a missing target gets the staging file's
 * content under one name; a target that exists, however it got there, is left as it is.
 */
class StagingFileTests {

	@TempDir
	Path dir;

	@Test
	void publishIfAbsentLeavesOnlyTheTarget() throws Exception {
		Path target = this.dir.resolve("app.db");
		try (StagingFile staging = StagingFile.create(this.dir, "app.db")) {
			Files.writeString(staging.path(), "restored");
			staging.publishIfAbsent(target);
		}
		assertThat(target).hasContent("restored");
		assertThat(TestDatabase.fileNames(this.dir)).containsExactly("app.db");
	}

	@Test
	void publishIfAbsentNeverReplacesAFileThatIsThere() throws Exception {
		Path target = Files.write(this.dir.resolve("app.db"), "theirs".getBytes(StandardCharsets.UTF_8));
		try (StagingFile staging = StagingFile.create(this.dir, "app.db")) {
			Files.writeString(staging.path(), "restored");
			assertThatExceptionOfType(SqliteBackupException.class).isThrownBy(() -> staging.publishIfAbsent(target))
				.withMessageContaining("a file appeared there")
				.withMessageContaining("nothing was changed");
		}
		assertThat(target).hasContent("theirs");
		assertThat(TestDatabase.fileNames(this.dir)).containsExactly("app.db");
	}

}
