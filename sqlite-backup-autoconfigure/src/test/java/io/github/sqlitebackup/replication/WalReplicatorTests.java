package io.github.sqlitebackup.replication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.storage.StoredObject;
import io.github.sqlitebackup.support.TestDatabase;
import io.github.sqlitebackup.wal.WalFrames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link WalReplicator} and {@link ReplicaRestore} on a real WAL database written through a
 * HikariCP pool with SQLite's default automatic checkpoints: a restore of the latest
 * position, and of every instant a sync happened at, equals the live database as it was
 * then; the replicator's own checkpoints keep one generation; an idle database costs no
 * request.
 */
class WalReplicatorTests extends ReplicaTestSupport {

	@Override
	long databaseBytes() {
		return 300_000;
	}

	@Test
	void restoresTheLatestPositionAndEveryInstantASyncHappenedAt() throws Exception {
		List<Instant> instants = new ArrayList<>();
		List<String> states = new ArrayList<>();
		try (HikariDataSource pool = TestDatabase.pool(this.database, 3);
				WalReplicator replicator = replicator(64 * 1024)) {
			replicator.start();
			String generation = replicator.generation();
			Integer salt = null;
			Random random = new Random(7);
			for (int round = 0; round < 40; round++) {
				write(pool, random, 1 + random.nextInt(20));
				this.clock.step(Duration.ofSeconds(1));
				replicator.sync();
				salt = (salt != null) ? salt : salt();
				instants.add(this.clock.instant());
				states.add(fingerprint(pool));
			}
			assertThat(saltAfterStart(salt)).as("the log restarted after checkpoints").isGreaterThanOrEqualTo(10);
			assertThat(replicator.generation()).as("the replicator's own checkpoints keep the generation")
				.isEqualTo(generation);
			assertThat(Files.size(Path.of(this.database + "-wal"))).as("the log stays bounded")
				.isLessThan(4L * 1024 * 1024);

			ReplicaRestore.Restored latest = restore(null, "latest.db");
			assertThat(TestDatabase.fingerprint(this.dir.resolve("latest.db"))).isEqualTo(states.get(states.size() - 1));
			assertThat(latest.transaction()).isEqualTo(replicator.transaction());
			for (int i = 0; i < instants.size(); i += 3) {
				Path target = this.dir.resolve("at-" + i + ".db");
				restore(instants.get(i), target.getFileName().toString());
				assertThat(TestDatabase.fingerprint(target)).as("restored to " + instants.get(i))
					.isEqualTo(states.get(i));
				assertThat(TestDatabase.integrityCheck(target)).isEqualTo("ok");
			}
		}
	}

	@Test
	void keepsUpWithWritersCommittingWhileItSyncsAndCheckpoints() throws Exception {
		try (HikariDataSource pool = TestDatabase.pool(this.database, 4);
				WalReplicator replicator = replicator(32 * 1024)) {
			replicator.start();
			String generation = replicator.generation();
			AtomicBoolean stop = new AtomicBoolean();
			AtomicReference<Throwable> failure = new AtomicReference<>();
			List<Thread> writers = new ArrayList<>();
			for (int w = 0; w < 2; w++) {
				Random random = new Random(w);
				Thread writer = new Thread(() -> {
					try {
						while (!stop.get()) {
							write(pool, random, 1);
						}
					}
					catch (Throwable ex) {
						failure.set(ex);
					}
				});
				writer.start();
				writers.add(writer);
			}
			AtomicLong shipped = new AtomicLong();
			await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5)).until(() -> {
				this.clock.step(Duration.ofMillis(100));
				shipped.addAndGet(replicator.sync().transactions());
				return shipped.get() >= 300;
			});
			stop.set(true);
			for (Thread writer : writers) {
				writer.join();
			}
			assertThat(failure.get()).as("no writer failed").isNull();
			replicator.sync();
			assertThat(replicator.generation()).isEqualTo(generation);
			restore(null, "latest.db");
			assertThat(TestDatabase.fingerprint(this.dir.resolve("latest.db"))).isEqualTo(fingerprint(pool));
		}
	}

	@Test
	void aSegmentThatCannotBeStoredStartsANewGenerationInsteadOfAGap() throws Exception {
		Path staging = Files.createDirectories(this.dir.resolve("staging"));
		WritesFailing storage = new WritesFailing(LocalDirectoryStorage.open(this.replica));
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2);
				WalReplicator replicator = new WalReplicator(this.database, storage, staging, this.clock,
						new WalReplicator.Settings(1 << 20, Duration.ofSeconds(5)))) {
			replicator.start();
			String generation = replicator.generation();
			Random random = new Random(3);
			write(pool, random, 2);
			replicator.sync();
			storage.failing = true;
			write(pool, random, 2);
			assertThatExceptionOfType(IOException.class).as("the storage refuses writes").isThrownBy(replicator::sync);
			storage.failing = false;
			write(pool, random, 2);
			replicator.sync();
			assertThat(replicator.generation()).as("the lost segment's transactions are in a new snapshot")
				.isNotEqualTo(generation);
			assertThat(TestDatabase.fileNames(staging)).as("no staged file left").isEmpty();
			restore(null, "latest.db");
			assertThat(TestDatabase.fingerprint(this.dir.resolve("latest.db"))).isEqualTo(fingerprint(pool));
		}
	}

	@Test
	void aReplicaDirectoryThatCannotBeListedShipsNothingAndLosesNothing() throws Exception {
		Path away = this.dir.resolve("replica-away");
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2); WalReplicator replicator = replicator(1 << 20)) {
			replicator.start();
			String generation = replicator.generation();
			Random random = new Random(4);
			write(pool, random, 2);
			replicator.sync();
			Files.move(this.replica, away);
			write(pool, random, 2);
			assertThatExceptionOfType(IOException.class).as("the storage is gone").isThrownBy(replicator::sync);
			Files.move(away, this.replica);
			write(pool, random, 2);
			replicator.sync();
			assertThat(replicator.generation()).as("nothing was staged, so the chain goes on").isEqualTo(generation);
			restore(null, "latest.db");
			assertThat(TestDatabase.fingerprint(this.dir.resolve("latest.db"))).isEqualTo(fingerprint(pool));
		}
	}

	@Test
	void anIdleDatabaseCostsNoRequest() throws Exception {
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2); WalReplicator replicator = replicator(1 << 20)) {
			replicator.start();
			write(pool, new Random(1), 3);
			replicator.sync();
			List<String> stored = TestDatabase.fileNames(this.replica);
			for (int i = 0; i < 100; i++) {
				this.clock.step(Duration.ofSeconds(1));
				assertThat(replicator.sync().objects()).isZero();
			}
			assertThat(TestDatabase.fileNames(this.replica)).as("nothing written").isEqualTo(stored);
		}
	}

	@Test
	void aVacuumIsReplicatedLikeAnyTransaction() throws Exception {
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2); WalReplicator replicator = replicator(1 << 20)) {
			replicator.start();
			try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute("DELETE FROM item WHERE id % 2 = 0");
				statement.execute("VACUUM");
			}
			this.clock.step(Duration.ofSeconds(1));
			replicator.sync();
			restore(null, "vacuumed.db");
			assertThat(TestDatabase.fingerprint(this.dir.resolve("vacuumed.db"))).isEqualTo(fingerprint(pool));
			assertThat(Files.size(this.dir.resolve("vacuumed.db"))).as("the smaller file of the vacuum")
				.isLessThan(250_000);
		}
	}

	private int salt() throws Exception {
		try (FileChannel log = FileChannel.open(Path.of(this.database + "-wal"))) {
			return WalFrames.header(log).salt1();
		}
	}

	private int saltAfterStart(int start) throws Exception {
		return salt() - start;
	}

	private WalReplicator replicator(long checkpointBytes) {
		return new WalReplicator(this.database, LocalDirectoryStorage.open(this.replica), this.replica, this.clock,
				new WalReplicator.Settings(checkpointBytes, Duration.ofSeconds(5)));
	}

	private ReplicaRestore.Restored restore(Instant at, String name) throws Exception {
		return ReplicaRestore.restore(LocalDirectoryStorage.open(this.replica), PLAIN, this.dir.resolve(name), at, RESTORE);
	}

	private static void write(HikariDataSource pool, Random random, int transactions) throws Exception {
		try (Connection connection = pool.getConnection()) {
			for (int t = 0; t < transactions; t++) {
				connection.setAutoCommit(false);
				try (PreparedStatement insert = connection
					.prepareStatement("INSERT INTO item (name, price, data) VALUES (?, ?, ?)");
						Statement statement = connection.createStatement()) {
					for (int i = random.nextInt(5); i >= 0; i--) {
						byte[] data = new byte[random.nextInt(3000)];
						random.nextBytes(data);
						insert.setString(1, "n" + random.nextInt());
						insert.setDouble(2, random.nextDouble());
						insert.setBytes(3, data);
						insert.executeUpdate();
					}
					statement.executeUpdate("UPDATE account SET balance = balance + 1");
					statement.executeUpdate("DELETE FROM item WHERE id = " + (1 + random.nextInt(300)));
				}
				connection.commit();
				connection.setAutoCommit(true);
			}
		}
	}

	private static String fingerprint(HikariDataSource pool) throws Exception {
		try (Connection connection = pool.getConnection()) {
			return TestDatabase.fingerprint(connection);
		}
	}

	/** A real directory whose writes fail while {@link #failing} is set. */
	private static final class WritesFailing implements BackupStorage {

		private final BackupStorage storage;

		volatile boolean failing;

		WritesFailing(BackupStorage storage) {
			this.storage = storage;
		}

		@Override
		public String description() {
			return this.storage.description();
		}

		@Override
		public List<StoredObject> list() throws IOException {
			return this.storage.list();
		}

		@Override
		public Optional<StoredObject> stat(String key) throws IOException {
			return this.storage.stat(key);
		}

		@Override
		public InputStream open(String key) throws IOException {
			return this.storage.open(key);
		}

		@Override
		public void write(String key, InputStream content) throws IOException {
			refuseIfFailing();
			this.storage.write(key, content);
		}

		@Override
		public void write(String key, Path file) throws IOException {
			refuseIfFailing();
			this.storage.write(key, file);
		}

		@Override
		public boolean delete(String key) throws IOException {
			return this.storage.delete(key);
		}

		private void refuseIfFailing() throws IOException {
			if (this.failing) {
				throw new IOException("No space left on device");
			}
		}

	}

}
