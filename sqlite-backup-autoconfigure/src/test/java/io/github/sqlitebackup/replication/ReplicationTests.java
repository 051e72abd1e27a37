package io.github.sqlitebackup.replication;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.storage.StoredObject;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link Replication}: a write confirmed by {@code awaitReplicated} is in the storage; an
 * idle hour costs no request; snapshots and retention keep exactly the window. Syncs are
 * driven by {@code awaitReplicated} with an hour-long interval and a clock moved by hand.
 */
class ReplicationTests extends ReplicaTestSupport {

	@Test
	void aWriteConfirmedByAwaitReplicatedIsInTheStorage() throws Exception {
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2);
				Replication replication = replication(Duration.ofDays(1), Duration.ofDays(7))) {
			replication.start();
			execute(pool, "INSERT INTO ledger (amount, note) VALUES (100, 'payment')");
			assertThat(replication.awaitReplicated(Duration.ofSeconds(30))).isTrue();
			Path restored = this.dir.resolve("restored.db");
			ReplicaRestore.restore(storage(), PLAIN, restored, null, RESTORE);
			try (Connection connection = TestDatabase.connect(restored)) {
				assertThat(TestDatabase.queryLong(connection, "SELECT count(*) FROM ledger WHERE note = 'payment'"))
					.isEqualTo(1);
			}
			assertThat(replication.status().error()).isNull();
		}
	}

	@Test
	void closingShipsWhatWasCommittedAndThenRefusesToWait() throws Exception {
		Replication replication = replication(Duration.ofDays(1), Duration.ofDays(7));
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2)) {
			replication.start();
			execute(pool, "INSERT INTO ledger (amount, note) VALUES (7, 'just before shutdown')");
			replication.close();
			assertThatIllegalStateException().isThrownBy(() -> replication.awaitReplicated(Duration.ofSeconds(1)))
				.withMessageContaining("has stopped");
			Path restored = this.dir.resolve("restored.db");
			ReplicaRestore.restore(storage(), PLAIN, restored, null, RESTORE);
			try (Connection connection = pool.getConnection()) {
				assertThat(TestDatabase.fingerprint(restored)).isEqualTo(TestDatabase.fingerprint(connection));
			}
		}
	}

	@Test
	void anIdleHourCostsNoRequest() throws Exception {
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2);
				Replication replication = replication(Duration.ofMinutes(10), Duration.ofDays(7))) {
			replication.start();
			execute(pool, "INSERT INTO ledger (amount, note) VALUES (1, 'last write')");
			replication.awaitReplicated(Duration.ofSeconds(30));
			this.clock.step(Duration.ofMinutes(10));
			replication.awaitReplicated(Duration.ofSeconds(30));
			long objects = replication.status().objects();
			List<StoredObject> stored = storage().list();
			for (int second = 0; second < 3600; second++) {
				this.clock.step(Duration.ofSeconds(1));
				assertThat(replication.awaitReplicated(Duration.ofSeconds(30))).isTrue();
			}
			assertThat(replication.status().objects()).as("no snapshot of an unchanged database either")
				.isEqualTo(objects);
			assertThat(storage().list()).hasSameSizeAs(stored);
		}
	}

	@Test
	void retentionKeepsWhatRestoresInsideTheWindowNeed() throws Exception {
		List<Instant> instants = new ArrayList<>();
		List<String> states = new ArrayList<>();
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2);
				Replication replication = replication(Duration.ofMinutes(10), Duration.ofMinutes(30))) {
			replication.start();
			for (int round = 0; round < 12; round++) {
				execute(pool, "INSERT INTO ledger (amount, note) VALUES (" + round + ", 'round')");
				this.clock.step(Duration.ofMinutes(5));
				assertThat(replication.awaitReplicated(Duration.ofSeconds(30))).isTrue();
				instants.add(this.clock.instant());
				try (Connection connection = pool.getConnection()) {
					states.add(TestDatabase.fingerprint(connection));
				}
			}
		}
		Instant windowStart = this.clock.instant().minus(Duration.ofMinutes(30));
		List<ReplicaKey> snapshots = storage().list()
			.stream()
			.map((object) -> ReplicaKey.parse(object.key()).orElseThrow())
			.filter(ReplicaKey::snapshot)
			.toList();
		assertThat(snapshots).as("older snapshots were deleted").hasSizeLessThan(6);
		assertThat(snapshots).anyMatch((snapshot) -> !snapshot.committed().isAfter(windowStart));
		for (int i = 0; i < instants.size(); i++) {
			if (!instants.get(i).isBefore(windowStart)) {
				Path target = this.dir.resolve("at-" + i + ".db");
				ReplicaRestore.restore(storage(), PLAIN, target, instants.get(i), RESTORE);
				assertThat(TestDatabase.fingerprint(target)).as("restored to " + instants.get(i))
					.isEqualTo(states.get(i));
			}
		}
		assertThatExceptionOfType(ReplicaNotFoundException.class).isThrownBy(() -> ReplicaRestore.restore(storage(), PLAIN,
				this.dir.resolve("before.db"), instants.get(0).minus(Duration.ofMinutes(1)), RESTORE));
	}

	@Test
	void compactionBoundsTheSegmentsARestoreReadsAndKeepsEveryTransactionsTime() throws Exception {
		List<Instant> instants = new ArrayList<>();
		List<String> states = new ArrayList<>();
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2);
				Replication replication = replication(Duration.ofDays(1), Duration.ofDays(7))) {
			replication.start();
			for (int minute = 0; minute < 150; minute++) {
				execute(pool, "INSERT INTO ledger (amount, note) VALUES (" + minute + ", 'minute')");
				this.clock.step(Duration.ofMinutes(1));
				assertThat(replication.awaitReplicated(Duration.ofSeconds(30))).isTrue();
				instants.add(this.clock.instant());
				try (Connection connection = pool.getConnection()) {
					states.add(TestDatabase.fingerprint(connection));
				}
			}
		}
		long segments = storage().list()
			.stream()
			.filter((object) -> !ReplicaKey.parse(object.key()).orElseThrow().snapshot())
			.count();
		assertThat(segments).as("2 hourly, up to 6 five-minute and up to 5 one-minute segments").isLessThanOrEqualTo(13);
		for (int i = 0; i < instants.size(); i += 7) {
			Path target = this.dir.resolve("at-" + i + ".db");
			ReplicaRestore.restore(storage(), PLAIN, target, instants.get(i), RESTORE);
			assertThat(TestDatabase.fingerprint(target)).as("restored to " + instants.get(i)).isEqualTo(states.get(i));
		}
	}

	private Replication replication(Duration snapshotInterval, Duration retention) {
		WalReplicator replicator = new WalReplicator(this.database, storage(), this.replica, this.clock,
				new WalReplicator.Settings(4 * 1024 * 1024, Duration.ofSeconds(5)));
		return new Replication(replicator, storage(), this.replica, this.clock,
				new Replication.Settings(Duration.ofHours(1), snapshotInterval, retention), "test-replication");
	}

	private LocalDirectoryStorage storage() {
		return LocalDirectoryStorage.open(this.replica);
	}

	private static void execute(HikariDataSource pool, String sql) throws Exception {
		try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
