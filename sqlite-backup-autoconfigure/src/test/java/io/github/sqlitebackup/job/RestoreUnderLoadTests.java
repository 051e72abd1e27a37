package io.github.sqlitebackup.job;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restores while three clients write through the application's pool (and hold every one
 * of its connections while they wait for the restore's lock), in WAL mode back to back,
 * in rollback-journal mode with a millisecond between commits (back-to-back writers can
 * keep a rollback-journal restore from the lock; it then fails with SQLITE_BUSY and
 * changes nothing): every write the
 * database acknowledged before the restore committed is in the safety backup, every one
 * after it is in the live database, and a restore that took effect is never reported as
 * failed (issue: 9 % of acknowledged writes lost, 1 in 6 restores falsely failed).
 */
class RestoreUnderLoadTests {

	private static final int WRITERS = 3;

	private static final int ROUNDS = 6;

	@TempDir
	Path dir;

	private Path database;

	@ParameterizedTest
	@ValueSource(strings = { "wal", "delete" })
	void noAcknowledgedWriteIsLostAndNoRestoreIsFalselyFailed(String journalMode) throws Exception {
		this.database = TestDatabase.create(this.dir.resolve("app.db"), journalMode, 4096, 2_000_000);
		try (Connection connection = TestDatabase.connect(this.database);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE acked (round INTEGER, writer INTEGER, seq INTEGER)");
		}
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.database,
					// as many pooled connections as writers: the safety backup must not need one
					"spring.datasource.hikari.maximum-pool-size=" + WRITERS,
					"spring.datasource.hikari.connection-init-sql=PRAGMA busy_timeout=10000",
					"sqlite.backup.directory=" + this.dir.resolve("backups"), "sqlite.backup.retention.keep-safety=10")
			.run((context) -> {
				BackupJob job = context.getBean(BackupJob.class);
				DataSource dataSource = context.getBean(DataSource.class);
				BackupManifest backup = job.run(BackupTrigger.MANUAL).backup();
				int acknowledged = 0;
				for (int round = 1; round <= ROUNDS; round++) {
					Writers writers = new Writers(dataSource, round, !"wal".equals(journalMode));
					writers.awaitWrites(20);
					RestoreOutcome outcome = job.restore(backup.name(), false);
					writers.awaitWrites(writers.acknowledged.size() + 20);
					writers.stop();
					assertThat(outcome.status()).as("round %d: %s", round, outcome.reason())
						.isEqualTo(RestoreOutcome.Status.RESTORED);
					assertThat(writers.failures).as("writers' failures").isEmpty();
					Set<String> found = rows(this.database, round);
					found.addAll(rows(this.dir.resolve("backups").resolve(outcome.safetyBackup()), round));
					List<String> lost = writers.acknowledged.stream().filter((row) -> !found.contains(row)).toList();
					assertThat(lost).as("acknowledged writes in neither the live database nor the safety backup")
						.isEmpty();
					acknowledged += writers.acknowledged.size();
				}
				System.out.println("[figures] restore under load (" + journalMode + "): " + ROUNDS + " restores, "
						+ acknowledged
						+ " acknowledged writes, all found in the safety backup or the live database");
			});
	}

	private static Set<String> rows(Path file, int round) throws SQLException {
		Set<String> rows = new HashSet<>();
		try (Connection connection = TestDatabase.connect(file);
				PreparedStatement query = connection.prepareStatement("SELECT writer, seq FROM acked WHERE round = ?")) {
			query.setInt(1, round);
			try (ResultSet result = query.executeQuery()) {
				while (result.next()) {
					rows.add(result.getInt(1) + ":" + result.getLong(2));
				}
			}
		}
		return rows;
	}

	private static final class Writers {

		private final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final List<Thread> threads = new ArrayList<>();

		private final Object progress = new Object();

		private final boolean pace;

		Writers(DataSource dataSource, int round, boolean pace) {
			this.pace = pace;
			for (int writer = 0; writer < WRITERS; writer++) {
				int id = writer;
				Thread thread = new Thread(() -> write(dataSource, round, id), "writer-" + writer);
				this.threads.add(thread);
				thread.start();
			}
		}

		private void write(DataSource dataSource, int round, int writer) {
			for (long seq = 0; this.running.get(); seq++) {
				try (Connection connection = dataSource.getConnection();
						PreparedStatement insert = connection
							.prepareStatement("INSERT INTO acked (round, writer, seq) VALUES (?, ?, ?)")) {
					insert.setInt(1, round);
					insert.setInt(2, writer);
					insert.setLong(3, seq);
					insert.executeUpdate();
					this.acknowledged.add(writer + ":" + seq);
					synchronized (this.progress) {
						this.progress.notifyAll();
					}
					if (this.pace) {
						Thread.sleep(1);
					}
				}
				catch (SQLException ex) {
					this.failures.add(ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		void awaitWrites(int count) throws InterruptedException {
			synchronized (this.progress) {
				while (this.acknowledged.size() < count && this.failures.isEmpty()) {
					this.progress.wait(1000);
				}
			}
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join();
			}
		}

	}

}
