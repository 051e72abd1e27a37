package io.github.sqlitebackup.job;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.support.TestDatabase;
import io.github.sqlitebackup.support.Tmpfs;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup directory vanishes or its file system turns read-only while the schedule
 * runs: each run fails with a clear message, the application and the schedule go on, and
 * backups resume once the directory is usable again.
 */
class BackupDirectoryFailureTests {

	@TempDir
	Path dir;

	@Test
	void vanishedDirectory() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 200_000);
		Path backups = this.dir.resolve("backups");
		runner(database, backups).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			await(job, (status) -> status.lastSuccess() != null);
			for (BackupManifest backup : job.backups()) {
				job.delete(backup.name());
			}
			try (var files = Files.list(backups)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(backups);
			BackupRunOutcome failed = await(job, (status) -> status.lastScheduledRun() != null
					&& status.lastScheduledRun().status() == BackupRunOutcome.Status.FAILED).lastScheduledRun();
			assertThat(failed.reason()).contains(backups.toString()).contains("does not exist");
			assertThat(context).hasNotFailed();
			Files.createDirectory(backups);
			await(job, (status) -> status.lastScheduledRun().status() == BackupRunOutcome.Status.SUCCEEDED);
			assertThat(job.backups()).isNotEmpty();
		});
	}

	@Test
	void readOnlyFileSystem() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 200_000);
		Path backups = Files.createDirectory(this.dir.resolve("backups"));
		Tmpfs tmpfs = Tmpfs.mount(backups, "20m");
		Assumptions.assumeTrue(tmpfs != null, "mounting a tmpfs needs root; CI runs as root");
		try (tmpfs) {
			runner(database, backups).run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				await(job, (status) -> status.lastSuccess() != null);
				BackupManifest kept = job.backups().get(0);
				tmpfs.remount("ro");
				BackupRunOutcome failed = await(job, (status) -> status.lastScheduledRun().status() == BackupRunOutcome.Status.FAILED)
					.lastScheduledRun();
				assertThat(failed.reason()).contains("not writable");
				assertThat(TestDatabase.sha256(backups.resolve(kept.name()))).isEqualTo(kept.sha256());
				tmpfs.remount("rw");
				await(job, (status) -> status.lastScheduledRun().status() == BackupRunOutcome.Status.SUCCEEDED);
				assertThat(job.backups().get(0).created()).isAfter(kept.created());
			});
		}
	}

	private static ApplicationContextRunner runner(Path database, Path backups) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database, "sqlite.backup.directory=" + backups,
					"sqlite.backup.schedule.fixed-delay=50ms", "sqlite.backup.retention.keep-last=3");
	}

	private static BackupJobStatus await(BackupJob job, Predicate<BackupJobStatus> condition) {
		return Awaitility.await().atMost(Duration.ofSeconds(20)).until(job::status, condition::test);
	}

}
