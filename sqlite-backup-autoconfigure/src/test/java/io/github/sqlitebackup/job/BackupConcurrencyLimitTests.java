package io.github.sqlitebackup.job;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.BackupCancellation;
import io.github.sqlitebackup.BackupCancelledException;
import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.catalog.RetentionPolicy;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Jobs of two databases that share a {@link BackupConcurrencyLimit}: with a limit of 1 the
 * second copy waits until the first is published; with 2 both copy at once.
 */
class BackupConcurrencyLimitTests {

	@TempDir
	Path dir;

	/** Threads of their own: a busy common pool must not keep a run from starting. */
	private final ExecutorService runs = Executors.newFixedThreadPool(2);

	@AfterEach
	void stopRuns() {
		this.runs.shutdownNow();
	}

	@Test
	void withALimitOfOneTheSecondDatabaseCopiesOnlyAfterTheFirstIsPublished() throws Exception {
		BackupConcurrencyLimit limit = new BackupConcurrencyLimit(1);
		CountDownLatch ordersCopied = new CountDownLatch(1);
		CountDownLatch releaseOrders = new CountDownLatch(1);
		CountDownLatch eventsCopied = new CountDownLatch(1);
		try (HikariDataSource orders = pool("orders"); HikariDataSource events = pool("events")) {
			BackupJob ordersJob = job(orders, "orders", limit, ordersCopied, releaseOrders);
			BackupJob eventsJob = job(events, "events", limit, eventsCopied, new CountDownLatch(0));
			CompletableFuture<BackupRunOutcome> first = CompletableFuture
				.supplyAsync(() -> ordersJob.run(BackupTrigger.MANUAL), this.runs);
			assertThat(ordersCopied.await(30, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<BackupRunOutcome> second = CompletableFuture
				.supplyAsync(() -> eventsJob.run(BackupTrigger.MANUAL), this.runs);
			await().atMost(Duration.ofSeconds(30)).until(() -> limit.waiting() == 1);
			assertThat(eventsCopied.getCount()).as("events waits while orders holds the only permit").isEqualTo(1);
			assertThat(eventsJob.status().running()).as("the waiting run shows as running").isNotNull();
			releaseOrders.countDown();
			assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			assertThat(second.get(30, TimeUnit.SECONDS).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			assertThat(limit.waiting()).isZero();
		}
	}

	@Test
	void withALimitOfTwoBothDatabasesCopyAtOnce() throws Exception {
		BackupConcurrencyLimit limit = new BackupConcurrencyLimit(2);
		CountDownLatch ordersCopied = new CountDownLatch(1);
		CountDownLatch releaseOrders = new CountDownLatch(1);
		CountDownLatch eventsCopied = new CountDownLatch(1);
		try (HikariDataSource orders = pool("orders"); HikariDataSource events = pool("events")) {
			BackupJob ordersJob = job(orders, "orders", limit, ordersCopied, releaseOrders);
			BackupJob eventsJob = job(events, "events", limit, eventsCopied, new CountDownLatch(0));
			CompletableFuture<BackupRunOutcome> first = CompletableFuture
				.supplyAsync(() -> ordersJob.run(BackupTrigger.MANUAL), this.runs);
			assertThat(ordersCopied.await(30, TimeUnit.SECONDS)).isTrue();
			BackupRunOutcome second = eventsJob.run(BackupTrigger.MANUAL);
			assertThat(second.status()).as("events published while orders was still copying")
				.isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			releaseOrders.countDown();
			assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
		}
	}

	@Test
	void aCancelledRunStopsWaiting() {
		BackupConcurrencyLimit limit = new BackupConcurrencyLimit(1);
		BackupCancellation cancellation = new BackupCancellation();
		try (BackupConcurrencyLimit.Permit held = limit.acquire(new BackupCancellation())) {
			cancellation.cancel();
			assertThatExceptionOfType(BackupCancelledException.class).isThrownBy(() -> limit.acquire(cancellation))
				.withMessageContaining("waiting for another database's backup");
		}
		limit.acquire(new BackupCancellation()).close();
	}

	@Test
	void aLimitBelowOneIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new BackupConcurrencyLimit(0))
			.withMessageContaining("1 or more");
	}

	private HikariDataSource pool(String name) throws Exception {
		return TestDatabase.pool(TestDatabase.create(this.dir.resolve(name + ".db"), "wal", 4096, 200_000), 2);
	}

	private BackupJob job(HikariDataSource dataSource, String id, BackupConcurrencyLimit limit, CountDownLatch copied,
			CountDownLatch release) {
		SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource,
				BackupOptions.defaults().withBeforePublish((copy, result) -> {
					copied.countDown();
					assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
				}));
		Path backups = this.dir.resolve("backups");
		BackupCatalog catalog = new BackupCatalog(LocalDirectoryStorage.open(backups),
				new DatabaseIdentity(id, template.database().description()));
		return new BackupJob(template, template.database(), catalog, backups,
				new BackupJob.Settings(false, new RetentionPolicy(24, Duration.ofDays(30), 3), limit), (event) -> {
				}, Clock.systemUTC());
	}

}
