package io.github.sqlitebackup.job;

import java.nio.file.Path;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.sqlitebackup.actuate.SqliteBackupMetrics;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupMetricsAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rollback-journal backups lock writers out for a moment: the first time is a warning,
 * short ones after it are not, and every figure is in the log line and a meter.
 */
@ExtendWith(OutputCaptureExtension.class)
class WritersBlockedTests {

	@TempDir
	Path dir;

	@Test
	void aShortLockOutWarnsOnceAndIsAlwaysMeasured(CapturedOutput output) throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("journal.db"), "delete", 4096, 200_000);
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class,
					SqliteBackupMetricsAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database,
					"sqlite.backup.directory=" + this.dir.resolve("backups"))
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				SimpleMeterRegistry meters = new SimpleMeterRegistry();
				context.getBean(SqliteBackupMetrics.class).bindTo(meters);
				for (int i = 0; i < 3; i++) {
					assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
				}
				Timer blocked = meters.get("sqlite.backup.writers.blocked").timer();
				assertThat(blocked.count()).isEqualTo(3);
				assertThat(blocked.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isLessThan(1000);
			});
		String log = output.getAll();
		assertThat(log.split("writers were locked out", -1)).as("warnings").hasSize(2);
		assertThat(log.split("writers locked out for", -1)).as("info lines with the figure").hasSize(3);
	}

}
