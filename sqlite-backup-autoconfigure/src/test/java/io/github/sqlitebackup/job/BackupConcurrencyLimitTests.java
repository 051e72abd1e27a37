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
		try (TwoDatabases databases = new TwoDatabases(limit)) {
			CompletableFuture<BackupRunOutcome> first = databases.ordersCopyingUntilReleased();
			CompletableFuture<BackupRunOutcome> second = CompletableFuture
				.supplyAsync(() -> databases.eventsJob.run(BackupTrigger.MANUAL), this.runs);
			await().atMost(Duration.ofSeconds(30)).until(() -> limit.waiting() == 1);
			assertThat(databases.eventsCopied.getCount()).as("events waits while orders holds the only permit")
				.isEqualTo(1);
			assertThat(databases.eventsJob.status().running()).as("the waiting run shows as running").isNotNull();
			databases.releaseOrders.countDown();
			assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			assertThat(second.get(30, TimeUnit.SECONDS).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			assertThat(limit.waiting()).isZero();
		}
	}

	@Test
	void withALimitOfTwoBothDatabasesCopyAtOnce() throws Exception {
		try (TwoDatabases databases = new TwoDatabases(new BackupConcurrencyLimit(2))) {
			CompletableFuture<BackupRunOutcome> first = databases.ordersCopyingUntilReleased();
			BackupRunOutcome second = databases.eventsJob.run(BackupTrigger.MANUAL);
			assertThat(second.status()).as("events published while orders was still copying")
				.isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			databases.releaseOrders.countDown();
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

	/** Databases orders and events; the orders backup holds its copy until released. */
	private final class TwoDatabases implements AutoCloseable {

		final CountDownLatch ordersCopied = new CountDownLatch(1);

		final CountDownLatch releaseOrders = new CountDownLatch(1);

		final CountDownLatch eventsCopied = new CountDownLatch(1);

		private final HikariDataSource orders;

		private final HikariDataSource events;

		private final BackupJob ordersJob;

		final BackupJob eventsJob;

		TwoDatabases(BackupConcurrencyLimit limit) throws Exception {
			this.orders = pool("orders");
			this.events = pool("events");
			this.ordersJob = job(this.orders, "orders", limit, this.ordersCopied, this.releaseOrders);
			this.eventsJob = job(this.events, "events", limit, this.eventsCopied, new CountDownLatch(0));
		}

		/** Start a backup of orders and return once it has copied (it then waits for the release). */
		CompletableFuture<BackupRunOutcome> ordersCopyingUntilReleased() throws InterruptedException {
			CompletableFuture<BackupRunOutcome> run = CompletableFuture
				.supplyAsync(() -> this.ordersJob.run(BackupTrigger.MANUAL), BackupConcurrencyLimitTests.this.runs);
			assertThat(this.ordersCopied.await(30, TimeUnit.SECONDS)).isTrue();
			return run;
		}

		@Override
		public void close() {
			this.releaseOrders.countDown();
			this.orders.close();
			this.events.close();
		}

	}

}
