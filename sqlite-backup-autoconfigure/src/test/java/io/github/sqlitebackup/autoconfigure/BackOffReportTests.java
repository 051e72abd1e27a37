package io.github.sqlitebackup.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configured backups that cannot run are reported at start-up, not silently dropped.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackOffReportTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class,
				SqliteBackupBackOffAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:backoff");

	@Test
	void configuredBackupsOfANonSqliteDatabaseAreReported(CapturedOutput output) {
		this.runner.withPropertyValues("sqlite.backup.schedule.cron=0 0 * * * *").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("Nothing will be backed up although sqlite.backup.* is configured (schedule)")
				.contains("the SQLite backup auto-configuration found no SQLite database to back up (")
				.contains("spring.datasource.url jdbc:h2:mem:backoff is not a SQLite URL");
		});
	}

	@Test
	void noReportWithoutConfigurationOrWhenSwitchedOff(CapturedOutput output) {
		this.runner.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withPropertyValues("sqlite.backup.enabled=false", "sqlite.backup.directory=x")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("Nothing will be backed up");
	}

}
