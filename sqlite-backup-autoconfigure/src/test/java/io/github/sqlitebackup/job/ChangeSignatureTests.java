package io.github.sqlitebackup.job;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.support.OtherProcessScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChangeSignature}, read for every backup, leaves SQLite's locks in this process in
 * place: another process's last close does not delete the write-ahead log under this
 * process's open connection.
 */
class ChangeSignatureTests {

	@TempDir
	Path dir;

	@Test
	void anotherProcessLeavesTheWalOfThisProcesssConnectionAfterTheSignatureWasRead() throws Exception {
		OtherProcessScenario.assertTheLogOutlivesAnotherProcessAfter(this.dir, (database) -> {
			String signature = ChangeSignature.of(database);
			assertThat(ChangeSignature.of(database)).isEqualTo(signature);
		});
	}

}
