package io.github.sqlitebackup.job;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.actuate.SqliteBackupHealthIndicator;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.support.MutableClock;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system clock stepping back or forward between runs (issue: after a step back a day,
 * retention deleted each new backup right after publishing it, and health stayed UP; a
 * step forward let max-age delete the whole history).
 */
class ClockStepTests {

	@TempDir
	Path dir;

	private final MutableClock clock = MutableClock.now();

	private Path backups;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createDatabase() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 200_000);
		this.backups = this.dir.resolve("backups");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withBean(Clock.class, () -> this.clock)
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database,
					"sqlite.backup.directory=" + this.backups);
	}

	@Test
	void aStepBackNeverDeletesTheBackupJustPublished() {
		this.runner.withPropertyValues("sqlite.backup.retention.keep-last=1").run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			BackupManifest first = job.run(BackupTrigger.MANUAL).backup();
			this.clock.step(Duration.ofDays(-1));
			BackupRunOutcome second = job.run(BackupTrigger.MANUAL);
			assertThat(second.status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			assertThat(job.backups()).extracting(BackupManifest::name).containsExactly(second.backup().name());
			assertThat(this.backups.resolve(second.backup().name())).isRegularFile();
			assertThat(this.backups.resolve(first.name())).doesNotExist();
			assertThat(second.backup().sequence()).isGreaterThan(first.sequence());
			assertThat(job.status().clockStepped()).isTrue();
		});
	}

	@Test
	void aStepForwardDoesNotLetMaxAgeDeleteTheHistory() {
		this.runner.withPropertyValues("sqlite.backup.retention.keep-last=10", "sqlite.backup.retention.max-age=30d")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				for (int i = 0; i < 3; i++) {
					job.run(BackupTrigger.MANUAL);
					this.clock.step(Duration.ofSeconds(1));
				}
				this.clock.step(Duration.ofDays(365));
				assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
				assertThat(job.backups()).hasSize(4);
			});
	}

	@Test
	void namesNeverCollideWhenTheClockStandsStill() {
		this.runner.run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			List<String> names = List.of(job.run(BackupTrigger.MANUAL).backup().name(),
					job.run(BackupTrigger.MANUAL).backup().name(), job.run(BackupTrigger.MANUAL).backup().name());
			assertThat(names).doesNotHaveDuplicates();
			assertThat(job.backups()).extracting(BackupManifest::name).containsExactlyInAnyOrderElementsOf(names);
		});
	}

	@Test
	void aNewestBackupDatedInTheFutureIsAHealthProblem() {
		this.runner.run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			job.run(BackupTrigger.MANUAL);
			SqliteBackupHealthIndicator health = new SqliteBackupHealthIndicator(job, null, this.clock);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			this.clock.step(Duration.ofDays(-1));
			Health stepped = health.health(true);
			assertThat(stepped.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) stepped.getDetails().get("reason")).contains("dated in the future");
		});
	}

}
