package io.github.sqlitebackup.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;

import io.github.sqlitebackup.JournalMode;
import io.github.sqlitebackup.Verification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.job.BackupRunOutcome.Status;
import io.github.sqlitebackup.support.TestDatabase;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup job in real application contexts: real SQLite files, the real scheduler,
 * real shutdown.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackupJobTests {

	@TempDir
	Path dir;

	private Path database;

	private Path backups;

	private long sequence;

	@BeforeEach
	void createDatabase() throws Exception {
		this.database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 2_000_000);
		this.backups = this.dir.resolve("backups");
	}

	@Test
	void scheduleFiresAndEachBackupHasACorrectManifest() throws Exception {
		runner().withPropertyValues("sqlite.backup.schedule.fixed-delay=100ms").run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			awaitCatalogSize(job, 2);
			BackupManifest newest = job.backups().get(0);
			Path file = this.backups.resolve(newest.name());
			assertThat(newest.name()).matches("app-\\d{8}T\\d{9}Z\\.db");
			assertThat(this.backups.resolve(newest.name() + ".manifest.json")).isRegularFile();
			assertThat(newest.sha256()).isEqualTo(TestDatabase.sha256(file));
			assertThat(newest.bytes()).isEqualTo(Files.size(file));
			assertThat(newest.pageCount() * newest.pageSize()).isEqualTo(newest.bytes());
			assertThat(newest.source()).isEqualTo(this.database.toAbsolutePath().toString());
			assertThat(newest.journalMode()).isEqualTo(JournalMode.WAL);
			assertThat(newest.verification()).isEqualTo(Verification.QUICK);
			assertThat(newest.verified()).isTrue();
			assertThat(newest.sqliteVersion()).startsWith("3.");
			assertThat(newest.created()).isBefore(Instant.now().plusSeconds(1));
			assertThat(TestDatabase.fingerprint(file)).isEqualTo(TestDatabase.fingerprint(this.database));
			assertThat(job.status().lastScheduledRun().status()).isEqualTo(Status.SUCCEEDED);
		});
	}

	@Test
	void withoutScheduleNoBackupIsMadeButTheJobRunsOnDemand() {
		runner().run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
				.noneMatch((name) -> name.startsWith("sqlite-backup-"));
			assertThat(job.backups()).isEmpty();
			assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(Status.SUCCEEDED);
			assertThat(job.backups()).hasSize(1);
		});
	}

	@Test
	void catalogSurvivesARestart() {
		List<BackupManifest> before = new ArrayList<>();
		runner().run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			job.run(BackupTrigger.MANUAL);
			job.run(BackupTrigger.MANUAL);
			before.addAll(job.backups());
		});
		assertThat(before).hasSize(2);
		runner().run((context) -> assertThat(context.getBean(BackupJob.class).backups()).isEqualTo(before));
	}

	@Test
	void startupRemovesCrashLeftoversAndLeavesForeignFilesAlone() throws Exception {
		Files.createDirectories(this.backups);
		List<Path> leftovers = List.of(this.backups.resolve(".app-20260101T000000000Z.db.123.sqlite-backup-tmp"),
				this.backups.resolve(".app-20260101T000000000Z.db.123.sqlite-backup-tmp-journal"),
				this.backups.resolve(".app-20260101T000000000Z.db.manifest.json.9.sqlite-backup-tmp"),
				this.backups.resolve("app-20260101T000000000Z.db.manifest.json"),
				this.dir.resolve(".app.db.restore.42.sqlite-backup-tmp"),
				this.dir.resolve(".app.db.restore.42.sqlite-backup-tmp-journal"));
		for (Path leftover : leftovers) {
			Files.writeString(leftover, "left by a crash");
		}
		List<Path> foreign = List.of(this.backups.resolve("notes.txt"), this.backups.resolve("other.db"),
				this.backups.resolve("app-20250101T000000000Z.db"), this.backups.resolve(".hidden"),
				this.backups.resolve("other.db.manifest.json"), this.dir.resolve(".other.db.restore.1.sqlite-backup-tmp"),
				this.dir.resolve(".app.db.restore.txt"));
		for (Path file : foreign) {
			Files.writeString(file, "not the job's");
		}
		runner().withPropertyValues("sqlite.backup.retention.keep-last=1").run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			assertThat(leftovers).as("removed at start-up").allSatisfy((leftover) -> assertThat(leftover).doesNotExist());
			assertThat(job.backups()).isEmpty();
			job.run(BackupTrigger.MANUAL);
			job.run(BackupTrigger.MANUAL);
			assertThat(job.backups()).hasSize(1);
			assertThat(job.backup("app-20250101T000000000Z.db")).isEmpty();
			assertThat(job.delete("notes.txt")).isEqualTo(BackupCatalog.DeleteOutcome.NOT_FOUND);
		});
		assertThat(leftovers).allSatisfy((leftover) -> assertThat(leftover).doesNotExist());
		for (Path file : foreign) {
			assertThat(file).hasContent("not the job's");
		}
	}

	@Test
	void retentionKeepsTheNewestAndDeletesOldAndExpiredBackups() throws Exception {
		Instant now = Instant.now();
		seedBackup(now.minus(Duration.ofDays(40)), "quick");
		seedBackup(now.minus(Duration.ofHours(3)), "quick");
		seedBackup(now.minus(Duration.ofHours(2)), "quick");
		seedBackup(now.minus(Duration.ofHours(1)), "quick");
		runner().withPropertyValues("sqlite.backup.retention.keep-last=3", "sqlite.backup.retention.max-age=30d")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				assertThat(job.backups()).hasSize(4);
				BackupManifest made = job.run(BackupTrigger.MANUAL).backup();
				List<BackupManifest> kept = job.backups();
				assertThat(kept).extracting(BackupManifest::created)
					.containsExactly(made.created(), now.minus(Duration.ofHours(1)), now.minus(Duration.ofHours(2)));
			});
		assertThat(TestDatabase.fileNames(this.backups)).hasSize(6);
	}

	@Test
	void retentionNeverDeletesTheNewestVerifiedBackup() throws Exception {
		Instant now = Instant.now();
		BackupManifest oldVerified = seedBackup(now.minus(Duration.ofDays(60)), "full");
		seedBackup(now.minus(Duration.ofDays(1)), "none");
		runner().withPropertyValues("sqlite.backup.verify=none", "sqlite.backup.retention.keep-last=1",
				"sqlite.backup.retention.max-age=30d")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				BackupManifest made = job.run(BackupTrigger.MANUAL).backup();
				assertThat(made.verified()).isFalse();
				assertThat(job.backups()).extracting(BackupManifest::name)
					.containsExactly(made.name(), oldVerified.name());
			});
	}

	@Test
	void onlyOneOfTwentySimultaneousTriggersRuns() {
		slowRunner().run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			EventLog events = context.getBean(EventLog.class);
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService threads = Executors.newFixedThreadPool(20);
			try {
				List<Future<BackupRunOutcome>> runs = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					runs.add(threads.submit(() -> {
						start.await();
						return job.run(BackupTrigger.MANUAL);
					}));
				}
				start.countDown();
				List<BackupRunOutcome> outcomes = new ArrayList<>();
				for (Future<BackupRunOutcome> run : runs) {
					outcomes.add(run.get(1, TimeUnit.MINUTES));
				}
				assertThat(outcomes).filteredOn((outcome) -> outcome.status() == Status.SUCCEEDED).hasSize(1);
				assertThat(outcomes).filteredOn((outcome) -> outcome.status() == Status.SKIPPED)
					.hasSize(19)
					.allSatisfy((outcome) -> assertThat(outcome.reason()).startsWith("a backup or restore is already running"));
				assertThat(job.status().overlapsRejected()).isEqualTo(19);
				assertThat(job.backups()).hasSize(1);
				assertThat(events.ofType(BackupSkippedEvent.class)).hasSize(19);
				assertThat(events.ofType(BackupStartedEvent.class)).hasSize(1);
				assertThat(events.ofType(BackupSucceededEvent.class)).hasSize(1);
			}
			finally {
				threads.shutdownNow();
			}
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "wal", "delete" })
	void skipIfUnchangedSkipsUntilTheDatabaseChanges(String journalMode) throws Exception {
		Files.delete(this.database);
		Files.deleteIfExists(this.dir.resolve("app.db-wal"));
		Files.deleteIfExists(this.dir.resolve("app.db-shm"));
		TestDatabase.create(this.database, journalMode, 4096, 300_000);
		runner().withPropertyValues("sqlite.backup.skip-if-unchanged=true").run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			BackupRunOutcome first = job.run(BackupTrigger.MANUAL);
			assertThat(first.status()).isEqualTo(Status.SUCCEEDED);
			BackupRunOutcome second = job.run(BackupTrigger.MANUAL);
			assertThat(second.status()).isEqualTo(Status.SKIPPED);
			assertThat(second.reason()).isEqualTo("the database has not changed since backup " + first.backup().name());
			try (Connection connection = context.getBean(javax.sql.DataSource.class).getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("INSERT INTO ledger (amount, note) VALUES (1, 'a change')");
			}
			BackupRunOutcome third = job.run(BackupTrigger.MANUAL);
			assertThat(third.status()).isEqualTo(Status.SUCCEEDED);
			try (Connection connection = TestDatabase.connect(this.backups.resolve(third.backup().name()))) {
				assertThat(TestDatabase.queryLong(connection, "SELECT count(*) FROM ledger")).isOne();
			}
			assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(Status.SKIPPED);
		});
	}

	@Test
	void verificationFailurePublishesNothingAndReportsTheFailure() throws Exception {
		Files.delete(this.database);
		Files.deleteIfExists(this.dir.resolve("app.db-wal"));
		Files.deleteIfExists(this.dir.resolve("app.db-shm"));
		TestDatabase.create(this.database, "delete", 4096, 500_000);
		TestDatabase.damageIndexPage(this.database);
		runner().run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			BackupRunOutcome outcome = job.run(BackupTrigger.MANUAL);
			assertThat(outcome.status()).isEqualTo(Status.FAILED);
			assertThat(outcome.reason()).contains("failed verification (PRAGMA quick_check");
			assertThat(job.status().lastFailure()).isEqualTo(outcome);
			assertThat(job.status().lastSuccess()).isNull();
			assertThat(context.getBean(EventLog.class).ofType(BackupFailedEvent.class)).singleElement()
				.satisfies((event) -> assertThat(event.getCause()).hasMessageContaining("failed verification"));
			assertThat(job.backups()).isEmpty();
			assertThat(TestDatabase.fileNames(this.backups)).isEmpty();
		});
	}

	@Test
	void shutdownCancelsABackupThatOutlastsTheTimeoutAndPublishesNothing() throws Exception {
		CompletableFuture<BackupRunOutcome> run = new CompletableFuture<>();
		ConfigurableApplicationContext[] closed = new ConfigurableApplicationContext[1];
		slowRunner().withPropertyValues("sqlite.backup.shutdown.timeout=50ms").run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			CompletableFuture.runAsync(() -> run.complete(job.run(BackupTrigger.MANUAL)));
			awaitRunning(job);
			closed[0] = context.getSourceApplicationContext();
		});
		assertThat(closed[0].isActive()).isFalse();
		BackupRunOutcome outcome = run.get(10, TimeUnit.SECONDS);
		assertThat(outcome.status()).isEqualTo(Status.FAILED);
		assertThat(outcome.reason()).contains("cancelled");
		assertThat(TestDatabase.fileNames(this.backups)).isEmpty();
	}

	@Test
	void shutdownLetsABackupFinishWithinTheTimeoutAndSaysSo(CapturedOutput output) throws Exception {
		CompletableFuture<BackupRunOutcome> run = new CompletableFuture<>();
		slowRunner().withPropertyValues("sqlite.backup.shutdown.timeout=60s").run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			CompletableFuture.runAsync(() -> run.complete(job.run(BackupTrigger.MANUAL)));
			awaitRunning(job);
		});
		assertThat(run).isDone();
		assertThat(output).contains("Shutdown waits up to 60000 ms for the backup started")
			.contains("(sqlite.backup.shutdown.timeout)");
		assertThat(run.get().status()).isEqualTo(Status.SUCCEEDED);
		assertThat(TestDatabase.fileNames(this.backups)).containsExactlyInAnyOrder(run.get().backup().name(),
				run.get().backup().name() + BackupNames.MANIFEST_SUFFIX);
	}

	@Test
	void backupOnShutdownWhenAskedFor() throws Exception {
		runner().withPropertyValues("sqlite.backup.shutdown.backup=true")
			.run((context) -> assertThat(context.getBean(BackupJob.class).backups()).isEmpty());
		runner().run((context) -> {
			List<BackupManifest> backups = context.getBean(BackupJob.class).backups();
			assertThat(backups).hasSize(1);
			assertThat(TestDatabase.integrityCheck(this.backups.resolve(backups.get(0).name()))).isEqualTo("ok");
		});
	}

	@Test
	void namePrefixIsConfigurable() {
		runner().withPropertyValues("sqlite.backup.name-prefix=orders_eu-1")
			.run((context) -> assertThat(context.getBean(BackupJob.class).run(BackupTrigger.MANUAL).backup().name())
				.startsWith("orders_eu-1-"));
	}

	@Test
	void applicationSchedulingIsLeftAlone() {
		runner().withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(ApplicationTasks.class)
			.withPropertyValues("sqlite.backup.schedule.fixed-delay=50ms")
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskScheduler.class);
				assertThat(context.getBean(TaskScheduler.class).getClass().getName()).contains("ThreadPoolTaskScheduler");
				ApplicationTasks tasks = context.getBean(ApplicationTasks.class);
				awaitCatalogSize(context.getBean(BackupJob.class), 2);
				await().atMost(Duration.ofSeconds(10)).until(() -> tasks.runs.get() >= 3);
				assertThat(tasks.threadNames).noneMatch((name) -> name.startsWith("sqlite-backup-"));
			});
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withUserConfiguration(EventLog.class)
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.database,
					"sqlite.backup.directory=" + this.backups);
	}

	private ApplicationContextRunner slowRunner() {
		return runner().withPropertyValues("sqlite.backup.step-size=10", "sqlite.backup.step-pause=5ms");
	}

	private BackupManifest seedBackup(Instant created, String verification) throws Exception {
		Files.createDirectories(this.backups);
		String name = new BackupNames("app").nameFor(created);
		Path file = this.backups.resolve(name);
		Files.copy(this.database, file);
		String sha256 = TestDatabase.sha256(file);
		BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, name, "app", ++this.sequence,
				BackupTrigger.SCHEDULE, created, this.database.toAbsolutePath().toString(), "main", JournalMode.WAL,
				4096, Files.size(file) / 4096, Files.size(file), sha256, "3.53.2",
				Verification.valueOf(verification.toUpperCase(java.util.Locale.ROOT)), 10, 2, 1, 0, null, null,
				new BackupManifest.Stored("none", Files.size(file), sha256));
		Files.writeString(this.backups.resolve(BackupNames.manifestName(name)), manifest.toJson());
		return manifest;
	}

	private static void awaitCatalogSize(BackupJob job, int size) {
		await().atMost(Duration.ofSeconds(20)).until(() -> job.backups().size() >= size);
	}

	private static void awaitRunning(BackupJob job) {
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
			.until(() -> job.status().running() != null && job.status().running().progress() != null);
		assertThat(job.status().running().progress().done()).isFalse();
	}

	@Configuration(proxyBeanMethods = false)
	static class EventLog implements ApplicationListener<BackupEvent> {

		private final List<BackupEvent> events = Collections.synchronizedList(new ArrayList<>());

		@Override
		public void onApplicationEvent(BackupEvent event) {
			this.events.add(event);
		}

		<T extends BackupEvent> List<T> ofType(Class<T> type) {
			synchronized (this.events) {
				return this.events.stream().filter(type::isInstance).map(type::cast).toList();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ApplicationTasks {

		final AtomicInteger runs = new AtomicInteger();

		final List<String> threadNames = Collections.synchronizedList(new ArrayList<>());

		@Scheduled(fixedDelay = 20)
		void applicationTask() {
			this.threadNames.add(Thread.currentThread().getName());
			this.runs.incrementAndGet();
		}

	}

}
