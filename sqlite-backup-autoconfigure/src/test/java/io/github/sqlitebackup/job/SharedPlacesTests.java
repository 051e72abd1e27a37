package io.github.sqlitebackup.job;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupCatalog.DeleteOutcome;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog where others act too: other applications in the same directory, operators
 * and clean-up jobs removing or adding files, concurrent deletes, and forged entries.
 */
class SharedPlacesTests {

	@TempDir
	Path dir;

	private Path backups;

	@BeforeEach
	void directories() {
		this.backups = this.dir.resolve("backups");
	}

	private ApplicationContextRunner app(Path database) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database, "sqlite.backup.directory=" + this.backups);
	}

	@Test
	void applicationsSharingADirectorySeeOnlyTheirOwnBackups() throws Exception {
		Path orders = TestDatabase.create(this.dir.resolve("orders.db"), "wal", 4096, 100_000);
		Path users = TestDatabase.create(this.dir.resolve("users.db"), "wal", 4096, 150_000);
		// a second application whose file has the same name: same database id, other file
		Path sameName = TestDatabase.create(Files.createDirectories(this.dir.resolve("other")).resolve("orders.db"),
				"wal", 4096, 120_000);
		List<String> usersBackups = new ArrayList<>();
		app(users).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			usersBackups.add(job.run(BackupTrigger.MANUAL).backup().name());
			usersBackups.add(job.run(BackupTrigger.MANUAL).backup().name());
		});
		List<String> foreign = new ArrayList<>(usersBackups);
		app(sameName).run((context) -> foreign.add(context.getBean(BackupJob.class).run(BackupTrigger.MANUAL).backup().name()));
		app(orders).withPropertyValues("sqlite.backup.retention.keep-last=1").run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			job.run(BackupTrigger.MANUAL);
			BackupManifest own = job.run(BackupTrigger.MANUAL).backup();
			assertThat(job.backups()).extracting(BackupManifest::name).containsExactly(own.name());
			for (String name : foreign) {
				assertThat(job.backup(name)).as(name).isEmpty();
				assertThat(job.delete(name)).isEqualTo(DeleteOutcome.NOT_FOUND);
				RestoreOutcome refused = job.restore(name, false);
				assertThat(refused.status()).as(name).isEqualTo(RestoreOutcome.Status.REFUSED);
				assertThat(refused.reason()).contains("belongs to database");
			}
		});
		for (String name : foreign) {
			assertThat(this.backups.resolve(name)).as("not pruned by another application").isRegularFile();
		}
	}

	@Test
	void concurrentDeletesNeverRemoveTheLastVerifiedBackup() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		app(database).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			ExecutorService threads = Executors.newFixedThreadPool(2);
			try {
				job.run(BackupTrigger.MANUAL);
				for (int round = 0; round < 20; round++) {
					job.run(BackupTrigger.MANUAL);
					List<String> names = job.backups().stream().map(BackupManifest::name).toList();
					assertThat(names).hasSize(2);
					CountDownLatch start = new CountDownLatch(1);
					List<Future<DeleteOutcome>> deletes = new ArrayList<>();
					for (String name : names) {
						deletes.add(threads.submit(() -> {
							start.await();
							return job.delete(name);
						}));
					}
					start.countDown();
					List<DeleteOutcome> outcomes = new ArrayList<>();
					for (Future<DeleteOutcome> delete : deletes) {
						outcomes.add(delete.get(1, TimeUnit.MINUTES));
					}
					assertThat(outcomes).as("round %d", round)
						.containsExactlyInAnyOrder(DeleteOutcome.DELETED, DeleteOutcome.REFUSED_ONLY_VERIFIED);
					assertThat(job.backups()).as("round %d", round).hasSize(1);
				}
			}
			finally {
				threads.shutdownNow();
			}
		});
	}

	@Test
	void filesRemovedOrChangedBehindTheApplicationsBackLeaveTheCatalogAtOnce() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		app(database).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			BackupManifest removed = job.run(BackupTrigger.MANUAL).backup();
			BackupManifest truncated = job.run(BackupTrigger.MANUAL).backup();
			BackupManifest kept = job.run(BackupTrigger.MANUAL).backup();
			Files.delete(this.backups.resolve(removed.name()));
			try (RandomAccessFile file = new RandomAccessFile(this.backups.resolve(truncated.name()).toFile(), "rw")) {
				file.setLength(4096);
			}
			assertThat(job.backups()).extracting(BackupManifest::name).containsExactly(kept.name());
			assertThat(job.backup(removed.name())).isEmpty();
			RestoreOutcome restore = job.restore(truncated.name(), false);
			assertThat(restore.status()).isEqualTo(RestoreOutcome.Status.NOT_FOUND);
		});
	}

	@Test
	void symbolicLinksAndForgedManifestsAreNeverListedOrServed() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		Path secret = Files.writeString(this.dir.resolve("secret.txt"), "not a backup");
		app(database).run((context) -> {
			BackupJob job = context.getBean(BackupJob.class);
			BackupManifest real = job.run(BackupTrigger.MANUAL).backup();
			String forgedName = new BackupNames("app").nameFor(real.created().plusSeconds(60));
			Files.createSymbolicLink(this.backups.resolve(forgedName), secret);
			String forged = real.toJson().replace(real.name(), forgedName).replace("\"sequence\":1", "\"sequence\":99");
			Files.writeString(this.backups.resolve(BackupNames.manifestName(forgedName)),
					forged.replace("\"bytes\":" + real.bytes(), "\"bytes\":" + Files.size(secret)));
			assertThat(job.backups()).extracting(BackupManifest::name).containsExactly(real.name());
			assertThat(job.backup(forgedName)).isEmpty();
			assertThat(job.restore(forgedName, true).status()).isEqualTo(RestoreOutcome.Status.NOT_FOUND);
		});
		app(database).run((context) -> assertThat(context.getBean(BackupJob.class).backups()).hasSize(1));
		assertThat(secret).hasContent("not a backup");
	}

	@Test
	void anOversizedFileNamedLikeAManifestIsIgnored() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		Files.createDirectories(this.backups);
		String name = "app-20260101T000000000Z.db";
		Files.copy(database, this.backups.resolve(name));
		try (RandomAccessFile huge = new RandomAccessFile(this.backups.resolve(BackupNames.manifestName(name)).toFile(),
				"rw")) {
			huge.setLength(3L * 1024 * 1024 * 1024); // sparse: a mistyped cp of a large file
		}
		app(database).run((context) -> {
			assertThat(context).hasNotFailed();
			BackupJob job = context.getBean(BackupJob.class);
			assertThat(job.backups()).isEmpty();
			assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
		});
	}

}
