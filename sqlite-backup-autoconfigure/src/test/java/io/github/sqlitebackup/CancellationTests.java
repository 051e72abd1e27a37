package io.github.sqlitebackup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.sqlitebackup.support.LedgerWriter;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A running backup stops within a bounded time when cancelled from another thread,
 * interrupted, or when the template closes, and leaves nothing published.
 */
class CancellationTests {

	/** Generous bound for CI machines; measured stops take milliseconds. */
	private static final Duration STOP_BOUND = Duration.ofSeconds(5);

	@TempDir
	Path dir;

	private HikariDataSource dataSource;

	@AfterEach
	void closePool() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "wal", "delete" })
	void cancelFromAnotherThreadStopsTheBackupAndPublishesNothing(String journalMode) throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), journalMode, 4096, 4_000_000);
		this.dataSource = TestDatabase.pool(database, 1);
		Path backups = Files.createDirectory(this.dir.resolve("backups"));
		BackupCancellation cancellation = new BackupCancellation();
		CountDownLatch started = new CountDownLatch(1);
		BackupOptions options = slowOptions().withCancellation(cancellation)
			.withProgress((progress) -> started.countDown());
		try (LedgerWriter writer = new LedgerWriter(database, 3)) {
			CompletableFuture<BackupResult> backup = CompletableFuture
				.supplyAsync(() -> new SqliteBackupTemplate(this.dataSource).backup(backups.resolve("copy.db"), options));
			assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
			long cancelledAt = System.nanoTime();
			cancellation.cancel();
			assertStoppedWithin(backup, cancelledAt);
			assertThat(writer.failures()).isEmpty();
		}
		assertThat(TestDatabase.fileNames(backups)).isEmpty();
	}

	@Test
	void interruptingTheCallingThreadStopsTheBackup() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 4_000_000);
		this.dataSource = TestDatabase.pool(database, 1);
		Path backups = Files.createDirectory(this.dir.resolve("backups"));
		CountDownLatch started = new CountDownLatch(1);
		AtomicReference<Throwable> outcome = new AtomicReference<>();
		AtomicReference<Boolean> interruptKept = new AtomicReference<>();
		Thread thread = new Thread(() -> {
			try {
				new SqliteBackupTemplate(this.dataSource).backup(backups.resolve("copy.db"),
						slowOptions().withProgress((progress) -> started.countDown()));
			}
			catch (Throwable ex) {
				outcome.set(ex);
				interruptKept.set(Thread.currentThread().isInterrupted());
			}
		});
		thread.start();
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		thread.interrupt();
		thread.join(STOP_BOUND.toMillis());
		assertThat(thread.isAlive()).isFalse();
		assertThat(outcome.get()).isInstanceOf(BackupCancelledException.class);
		assertThat(interruptKept.get()).isTrue();
		assertThat(TestDatabase.fileNames(backups)).isEmpty();
	}

	@Test
	void closingTheTemplateCancelsRunningBackupsAndRefusesNewOnes() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 4_000_000);
		this.dataSource = TestDatabase.pool(database, 1);
		Path backups = Files.createDirectory(this.dir.resolve("backups"));
		SqliteBackupTemplate template = new SqliteBackupTemplate(this.dataSource);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<BackupResult> backup = CompletableFuture.supplyAsync(() -> template
			.backup(backups.resolve("copy.db"), slowOptions().withProgress((progress) -> started.countDown())));
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		long closedAt = System.nanoTime();
		template.close();
		assertThat(TestDatabase.fileNames(backups)).as("close() returns after the backup removed its staging file")
			.isEmpty();
		assertStoppedWithin(backup, closedAt);
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> template.backup(backups.resolve("later.db")))
			.withMessageContaining("has been closed");
		assertThat(TestDatabase.fileNames(backups)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(CopyEngine.class)
	void aWholeWalCopyCancelledWhileAWriterHoldsTheLockKeepsItsSnapshotAndNeverStartsOver(CopyEngine engine)
			throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 20_000_000);
		// a short busy timeout: a copy that gave up its snapshot to take the write lock would
		// fail to get it, go on with a fresh read of the changed database and start over
		this.dataSource = TestDatabase.pool(database, 1, "PRAGMA busy_timeout=100");
		BackupCancellation cancellation = new BackupCancellation();
		CountDownLatch copying = new CountDownLatch(1);
		CountDownLatch cancelled = new CountDownLatch(1);
		BackupOptions options = BackupOptions.defaults().withCopyEngine(engine).withCancellation(cancellation)
			.withProgress((progress) -> {
				copying.countDown();
				try {
					cancelled.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		CompletableFuture<BackupResult> backup = CompletableFuture.supplyAsync(
				() -> new SqliteBackupTemplate(this.dataSource).backup(this.dir.resolve("copy.db"), options));
		assertThat(copying.await(60, TimeUnit.SECONDS)).isTrue();
		try (Connection writer = TestDatabase.connect(database); Statement statement = writer.createStatement()) {
			statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'after the snapshot')");
			statement.execute("UPDATE account SET balance = balance + 1 WHERE id = 1");
			statement.execute("BEGIN IMMEDIATE");
			statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'holding the lock')");
			cancellation.cancel();
			cancelled.countDown();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> backup.get(60, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(BackupCancelledException.class)
				.satisfies((ex) -> {
					if (engine == CopyEngine.ONLINE_BACKUP_API) {
						assertThat(stepsTaken(ex.getMessage()))
							.as("no more steps than one pass over the database: the copy never started over")
							.isLessThanOrEqualTo(stepsOfOnePass(database));
					}
				});
			statement.execute("ROLLBACK");
		}
		assertThat(this.dir.resolve("copy.db")).doesNotExist();
	}

	private static long stepsTaken(String message) {
		Matcher steps = Pattern.compile("cancelled after (\\d+) steps").matcher(message);
		assertThat(steps.find()).as(message).isTrue();
		return Long.parseLong(steps.group(1));
	}

	private static long stepsOfOnePass(Path database) throws Exception {
		long pagesPerStep = 4 * 1024 * 1024 / 4096;
		return (Files.size(database) / 4096 + pagesPerStep - 1) / pagesPerStep;
	}

	@Test
	void alreadyCancelledTokenStartsNothing() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		this.dataSource = TestDatabase.pool(database, 1);
		BackupCancellation cancellation = new BackupCancellation();
		cancellation.cancel();
		AtomicLong steps = new AtomicLong();
		assertThatExceptionOfType(BackupCancelledException.class)
			.isThrownBy(() -> new SqliteBackupTemplate(this.dataSource).backup(this.dir.resolve("copy.db"),
					BackupOptions.defaults().withCancellation(cancellation).withProgress((p) -> steps.incrementAndGet())));
		assertThat(steps).hasValue(0);
		assertThat(this.dir.resolve("copy.db")).doesNotExist();
	}

	private static BackupOptions slowOptions() {
		return BackupOptions.defaults().withStepSize(10).withStepPause(Duration.ofMillis(20));
	}

	private static void assertStoppedWithin(CompletableFuture<BackupResult> backup, long stopRequestedAt)
			throws InterruptedException {
		try {
			backup.get(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
			throw new AssertionError("backup was not cancelled");
		}
		catch (ExecutionException ex) {
			assertThat(ex.getCause()).isInstanceOf(BackupCancelledException.class)
				.hasMessageContaining("was cancelled")
				.hasMessageContaining("nothing was published");
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new AssertionError("backup did not stop within " + STOP_BOUND);
		}
		System.out.printf("[figures] backup stopped %d ms after cancellation%n",
				(System.nanoTime() - stopRequestedAt) / 1_000_000);
	}

}
