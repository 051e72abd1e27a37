package io.github.sqlitebackup.attack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.sqlitebackup.BeforePublishListener;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupProperties;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.catalog.RetentionPolicy;
import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.RestoreOutcome;
import io.github.sqlitebackup.support.MutableClock;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks that found data loss, kept as regression tests: two databases under the same id
 * staging in the same millisecond (each published the other's bytes), and a clock step
 * during a run letting max-age delete the history.
 */
class AttackTests {

	@TempDir
	Path dir;

	private Path backups;

	private ExecutorService threads;

	@BeforeEach
	void setUp() {
		this.backups = this.dir.resolve("backups");
		this.threads = Executors.newCachedThreadPool();
	}

	@AfterEach
	void tearDown() {
		this.threads.shutdownNow();
	}

	/** A test database whose content differs by a marker, with the same size for any marker. */
	static Path database(Path file, int marker) throws Exception {
		Files.createDirectories(file.getParent());
		TestDatabase.create(file, "wal", 4096, 100_000);
		try (Connection connection = TestDatabase.connect(file); Statement statement = connection.createStatement()) {
			statement.execute("UPDATE item SET price = " + marker + " WHERE id = 1");
			statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
		}
		return file;
	}

	private ApplicationContextRunner app(Path database) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database, "sqlite.backup.directory=" + this.backups);
	}

	/** The marker of a database file, read from a private copy so that the file is not touched. */
	private long marker(Path file) throws Exception {
		Path copy = Files.copy(file, this.dir.resolve("marker-" + System.nanoTime() + ".db"));
		try (Connection connection = TestDatabase.connect(copy)) {
			return TestDatabase.queryLong(connection, "SELECT CAST(price AS INTEGER) FROM item WHERE id = 1");
		}
	}

	private List<String> stagingFiles() throws Exception {
		try (Stream<Path> files = Files.list(this.backups)) {
			return files.map((file) -> file.getFileName().toString()).filter(StagingFile::isStagingFileName).toList();
		}
	}

	/** The application's template, with a before-publish listener of the test. */
	@Configuration(proxyBeanMethods = false)
	static class HookedTemplate {

		@Bean
		SqliteBackupTemplate sqliteBackupTemplate(DataSource dataSource, SqliteBackupProperties properties,
				ObjectProvider<BeforePublishListener> hook) {
			return new SqliteBackupTemplate(dataSource, properties.toBackupOptions().withBeforePublish(hook.getIfAvailable()));
		}

	}

	/**
	 * Two applications whose database files have the same name (/srv/a/orders.db,
	 * /srv/b/orders.db) share one backup directory, which the README supports ("each
	 * lists, prunes and restores only its own backups"). Application B starts while A is
	 * in the middle of a backup: B's start-up clean-up removes A's staging files (they
	 * carry the same id), and A's backup fails.
	 */
	/**
	 * Same two applications (same id, other files), both backing up in the same
	 * millisecond (hourly cron at second 0, or a clock that stands still). Both use the
	 * same staging path {@code .orders-<timestamp>.db.publish.sqlite-backup-tmp}, which
	 * the template replaces (REPLACE_EXISTING) and the job links and deletes by path. A
	 * then publishes B's bytes under A's manifest and reports SUCCEEDED; the backup it
	 * names cannot be restored.
	 */
	@Test
	void twoDatabasesWithTheSameIdBackingUpInTheSameMillisecondPublishTheOthersBytes() throws Exception {
		Path a = database(this.dir.resolve("a").resolve("orders.db"), 1);
		Path b = database(this.dir.resolve("b").resolve("orders.db"), 2);
		assertThat(Files.size(a)).isEqualTo(Files.size(b));
		assertThat(TestDatabase.sha256(a)).isNotEqualTo(TestDatabase.sha256(b));
		MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
		BackupJob.Settings settings = new BackupJob.Settings(false, new RetentionPolicy(10, Duration.ofDays(30), 2));
		try (HikariDataSource poolA = TestDatabase.pool(a, 2);
				HikariDataSource poolB = TestDatabase.pool(b, 2);
				SqliteBackupTemplate templateA = new SqliteBackupTemplate(poolA);
				SqliteBackupTemplate templateB = new SqliteBackupTemplate(poolB)) {
			PausingStorage storageA = new PausingStorage(this.backups);
			PausingStorage storageB = new PausingStorage(this.backups);
			BackupCatalog catalogA = new BackupCatalog(storageA,
					new DatabaseIdentity("orders", templateA.database().description()));
			BackupCatalog catalogB = new BackupCatalog(storageB,
					new DatabaseIdentity("orders", templateB.database().description()));
			BackupJob jobA = new BackupJob(templateA, templateA.database(), catalogA, this.backups, settings,
					(event) -> {
					}, clock);
			BackupJob jobB = new BackupJob(templateB, templateB.database(), catalogB, this.backups, settings,
					(event) -> {
					}, clock);
			storageA.arm();
			Future<BackupRunOutcome> runA = this.threads.submit(() -> jobA.run(BackupTrigger.SCHEDULE));
			assertThat(storageA.paused.await(2, TimeUnit.MINUTES)).isTrue();
			// A has copied, hashed and published its manifest; a slow disk holds it here
			storageB.arm();
			Future<BackupRunOutcome> runB = this.threads.submit(() -> jobB.run(BackupTrigger.SCHEDULE));
			assertThat(storageB.paused.await(2, TimeUnit.MINUTES)).isTrue();
			storageA.resume.countDown();
			BackupRunOutcome outcomeA = runA.get(2, TimeUnit.MINUTES);
			storageB.resume.countDown();
			BackupRunOutcome outcomeB = runB.get(2, TimeUnit.MINUTES);
			SoftAssertions soft = new SoftAssertions();
			soft.assertThat(outcomeA.status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			BackupManifest published = outcomeA.backup();
			if (published != null) {
				Path file = this.backups.resolve(published.name());
				soft.assertThat(TestDatabase.sha256(file))
					.as("A reported SUCCEEDED for %s; the file's SHA-256 must be its manifest's", published.name())
					.isEqualTo(published.sha256());
				soft.assertThat(marker(file)).as("marker in A's published backup (A's database has 1, B's has 2)")
					.isEqualTo(1);
				RestoreOutcome restore = jobA.restore(published.name(), false);
				soft.assertThat(restore.status()).as("restore of A's only backup: " + restore.reason())
					.isEqualTo(RestoreOutcome.Status.RESTORED);
			}
			soft.assertThat(outcomeB.status()).as("B's run: " + outcomeB.reason()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			soft.assertAll();
		}
	}

	/**
	 * The same collision without any test hook: two applications (same id, other files)
	 * whose scheduled runs start in the same millisecond, 40 times. Counts the runs that
	 * answered SUCCEEDED although the backup they name is not listed, does not match its
	 * manifest, or holds the other database's data.
	 */
	@Test
	void twoDatabasesWithTheSameIdRunningInTheSameMillisecondWithoutHooks() throws Exception {
		Path a = database(this.dir.resolve("a").resolve("orders.db"), 1);
		Path b = database(this.dir.resolve("b").resolve("orders.db"), 2);
		MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
		BackupJob.Settings settings = new BackupJob.Settings(false, new RetentionPolicy(100, Duration.ofDays(30), 2));
		List<String> wrong = new java.util.ArrayList<>();
		String[] foreign = new String[1];
		int[] foreignJob = new int[1];
		int succeeded = 0;
		try (HikariDataSource poolA = TestDatabase.pool(a, 2);
				HikariDataSource poolB = TestDatabase.pool(b, 2);
				SqliteBackupTemplate templateA = new SqliteBackupTemplate(poolA);
				SqliteBackupTemplate templateB = new SqliteBackupTemplate(poolB)) {
			BackupJob[] jobs = new BackupJob[2];
			SqliteBackupTemplate[] templates = { templateA, templateB };
			for (int i = 0; i < 2; i++) {
				BackupCatalog catalog = new BackupCatalog(
						io.github.sqlitebackup.storage.LocalDirectoryStorage.open(this.backups),
						new DatabaseIdentity("orders", templates[i].database().description()));
				jobs[i] = new BackupJob(templates[i], templates[i].database(), catalog, this.backups, settings,
						(event) -> {
						}, clock);
			}
			for (int round = 0; round < 40; round++) {
				clock.step(Duration.ofSeconds(1));
				java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
				List<Future<BackupRunOutcome>> runs = new java.util.ArrayList<>();
				for (BackupJob job : jobs) {
					runs.add(this.threads.submit(() -> {
						start.await();
						return job.run(BackupTrigger.SCHEDULE);
					}));
				}
				for (int i = 0; i < 2; i++) {
					BackupRunOutcome outcome = runs.get(i).get(2, TimeUnit.MINUTES);
					if (outcome.status() != BackupRunOutcome.Status.SUCCEEDED) {
						continue;
					}
					succeeded++;
					BackupManifest backup = outcome.backup();
					Path file = this.backups.resolve(backup.name());
					String app = (i == 0) ? "A" : "B";
					if (jobs[i].backup(backup.name()).isEmpty()) {
						wrong.add("round " + round + ": " + app + "'s " + backup.name() + " is not listed");
					}
					else if (!TestDatabase.sha256(file).equals(backup.sha256())) {
						wrong.add("round " + round + ": " + app + "'s " + backup.name() + " does not match its manifest");
					}
					else if (marker(file) != i + 1) {
						wrong.add("round " + round + ": " + app + "'s " + backup.name() + " holds the other database");
						if (foreign[0] == null) {
							foreign[0] = backup.name();
							foreignJob[0] = i;
						}
					}
				}
			}
			if (foreign[0] != null) {
				// what an operator gets from restoring it: the other application's data, RESTORED, no force
				int i = foreignJob[0];
				RestoreOutcome restore = jobs[i].restore(foreign[0], false);
				try (Connection connection = (i == 0 ? poolA : poolB).getConnection()) {
					long live = TestDatabase.queryLong(connection, "SELECT CAST(price AS INTEGER) FROM item WHERE id = 1");
					wrong.add("restore of " + foreign[0] + " without force answered " + restore.status()
							+ "; the live database's marker is now " + live + " (its own is " + (i + 1) + ")");
				}
			}
		}
		assertThat(wrong).as("of %d runs that answered SUCCEEDED", succeeded).isEmpty();
	}

	/**
	 * The clock steps a year forward while a backup runs (NTP correcting a VM's clock
	 * during a long copy). ClockWatch only compares clocks at the start of a run, so the
	 * retention at the end of the same run applies max-age with the stepped clock and
	 * deletes the whole history except the backup just made. README: "a forward step
	 * cannot delete the history".
	 */
	@Test
	void aClockStepDuringARunLetsMaxAgeDeleteTheHistory() throws Exception {
		Path database = database(this.dir.resolve("app.db"), 1);
		MutableClock clock = MutableClock.now();
		AtomicBoolean stepNow = new AtomicBoolean();
		BeforePublishListener hook = (copy, result) -> {
			if (stepNow.getAndSet(false)) {
				clock.step(Duration.ofDays(365));
			}
		};
		app(database).withBean(Clock.class, () -> clock)
			.withUserConfiguration(HookedTemplate.class)
			.withBean(BeforePublishListener.class, () -> hook)
			.withPropertyValues("sqlite.backup.retention.keep-last=10", "sqlite.backup.retention.max-age=30d")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				for (int i = 0; i < 3; i++) {
					assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
					clock.step(Duration.ofSeconds(1));
				}
				stepNow.set(true);
				assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
				assertThat(job.backups()).as("keep-last 10, and a clock step must not let max-age delete history")
					.hasSize(4);
			});
	}

	/**
	 * The application restarts after the clock stepped a year forward (a VM resumed from
	 * a snapshot, a bad RTC at boot): the first run has no earlier run to compare with, so
	 * max-age deletes all but the newest verified backup and the new one.
	 */
	/**
	 * A manifest of this database with sequence Long.MAX_VALUE (hand-edited, or written by
	 * a tool that used -1 as unsigned): the next sequence overflows to Long.MIN_VALUE, so
	 * every new backup ranks as the oldest and keep-last deletes new backups while keeping
	 * old ones.
	 */
}
