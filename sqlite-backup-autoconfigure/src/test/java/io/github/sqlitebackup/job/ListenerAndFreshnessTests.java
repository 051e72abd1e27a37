package io.github.sqlitebackup.job;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import io.github.sqlitebackup.actuate.SqliteBackupHealthIndicator;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupHealthAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.support.MutableClock;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event listeners cannot change a run's outcome or hold up the next run (issue: a
 * throwing listener turned a published backup into FAILED; a slow one kept the run
 * "running"), and a run skipped because nothing changed keeps health fresh (issue: an
 * idle database turned health DOWN).
 */
class ListenerAndFreshnessTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createDatabase() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class,
					SqliteBackupHealthAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database,
					"sqlite.backup.directory=" + this.dir.resolve("backups"));
	}

	@Test
	void aThrowingListenerDoesNotTurnAPublishedBackupIntoAFailure() {
		this.runner.withBean(Throwing.class).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			BackupRunOutcome outcome = job.run(BackupTrigger.MANUAL);
			assertThat(outcome.status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			assertThat(job.status().lastSuccess()).isEqualTo(outcome);
			assertThat(job.status().lastFailure()).isNull();
			assertThat(job.backups()).hasSize(1);
		});
	}

	@Test
	void aSlowListenerDoesNotKeepTheRunRunning() {
		this.runner.withBean(Blocking.class).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			Blocking listener = context.getBean(Blocking.class);
			CompletableFuture<BackupRunOutcome> first = CompletableFuture.supplyAsync(() -> job.run(BackupTrigger.SCHEDULE));
			assertThat(listener.entered.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(job.status().running()).as("the run is over while its listener still works").isNull();
			listener.release.countDown();
			assertThat(job.run(BackupTrigger.SCHEDULE).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
		});
	}

	@Test
	void aRunSkippedAsUnchangedKeepsTheNewestBackupFresh() {
		MutableClock clock = MutableClock.now();
		this.runner.withBean(Clock.class, () -> clock)
			.withPropertyValues("sqlite.backup.skip-if-unchanged=true", "sqlite.backup.health.max-age=1h")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				SqliteBackupHealthIndicator health = context.getBean(SqliteBackupHealthIndicator.class);
				job.run(BackupTrigger.SCHEDULE);
				clock.step(Duration.ofHours(2));
				assertThat(health.health(true).getStatus()).as("stale without a new run").isEqualTo(Status.DOWN);
				BackupRunOutcome skipped = job.run(BackupTrigger.SCHEDULE);
				assertThat(skipped.cause()).isEqualTo(BackupRunOutcome.Cause.UNCHANGED);
				Health fresh = health.health(true);
				assertThat(fresh.getStatus()).isEqualTo(Status.UP);
				assertThat(fresh.getDetails()).containsEntry("unchangedSince", clock.instant().toString());
			});
	}

	static class Throwing implements ApplicationListener<BackupSucceededEvent> {

		@Override
		public void onApplicationEvent(BackupSucceededEvent event) {
			throw new IllegalStateException("a listener's bug");
		}

	}

	static class Blocking implements ApplicationListener<BackupSucceededEvent> {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public void onApplicationEvent(BackupSucceededEvent event) {
			if (this.entered.getCount() == 0) {
				return;
			}
			this.entered.countDown();
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
