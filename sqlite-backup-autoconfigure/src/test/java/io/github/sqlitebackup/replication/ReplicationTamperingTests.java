package io.github.sqlitebackup.replication;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.github.sqlitebackup.offsite.Compression;
import io.github.sqlitebackup.offsite.StoredForm;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replication when its files are changed behind its back or its clock steps: it never
 * deletes real objects on the word of a stray one, never confirms a write it cannot
 * restore for longer than it says, and never lets a clock step make instants restore the
 * wrong state.
 */
class ReplicationTamperingTests extends ReplicaTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private WalReplicator replicator;

	@Test
	void anUnreadableObjectNamedToCoverRealSegmentsIsDeletedInsteadOfThem() throws Exception {
		try (Connection connection = TestDatabase.connect(this.database);
				Replication replication = replication(null, Duration.ofDays(1))) {
			replication.start();
			for (int i = 0; i < 3; i++) {
				write(connection, 5);
				this.clock.step(Duration.ofSeconds(10));
				assertThat(replication.awaitReplicated(WAIT)).isTrue();
			}
			String stray = replication.status().generation() + ".segment.0000000000000001-0000000000000fff."
					+ this.clock.millis();
			Files.writeString(this.replica.resolve(stray), "garbage");
			this.clock.step(Duration.ofMinutes(11));
			write(connection, 5);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			assertThat(TestDatabase.fileNames(this.replica)).doesNotContain(stray)
				.anyMatch((name) -> name.contains(".segment.0000000000000001-"));
			assertThat(TestDatabase.fingerprint(restore(null))).isEqualTo(TestDatabase.fingerprint(connection));
		}
	}

	@Test
	void aGenerationNumberedBeyondSixDigitsComesAfterTheOthers() throws Exception {
		try (Connection connection = TestDatabase.connect(this.database);
				Replication replication = replication(null, Duration.ofDays(1))) {
			replication.start();
			String first = TestDatabase.fileNames(this.replica).get(0);
			Files.copy(this.replica.resolve(first), this.replica.resolve("999999" + first.substring(6)));
			write(connection, 50);
			this.replicator.restartGeneration();
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			write(connection, 50);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			assertThat(replication.status().generation()).startsWith("1000000-");
			assertThat(TestDatabase.fingerprint(restore(null))).isEqualTo(TestDatabase.fingerprint(connection));
		}
	}

	@Test
	void aReplicaDirectoryEmptiedBehindItsBackStartsAGenerationBeforeTheNextWriteIsConfirmed() throws Exception {
		try (Connection connection = TestDatabase.connect(this.database);
				Replication replication = replication(null, Duration.ofDays(1))) {
			replication.start();
			write(connection, 10);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			String generation = replication.status().generation();
			for (String name : TestDatabase.fileNames(this.replica)) {
				Files.delete(this.replica.resolve(name));
			}
			write(connection, 10);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			assertThat(replication.status().generation()).isNotEqualTo(generation);
			assertThat(TestDatabase.fingerprint(restore(null))).isEqualTo(TestDatabase.fingerprint(connection));
		}
	}

	@Test
	void aSegmentDeletedBehindItsBackStartsAGenerationBeforeTheNextWriteIsConfirmed() throws Exception {
		try (Connection connection = TestDatabase.connect(this.database);
				Replication replication = replication(null, Duration.ofDays(1))) {
			replication.start();
			write(connection, 3);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			write(connection, 3);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			String generation = replication.status().generation();
			String last = TestDatabase.fileNames(this.replica)
				.stream()
				.filter((name) -> name.contains(".segment.0000000000000004-"))
				.findFirst()
				.orElseThrow();
			Files.delete(this.replica.resolve(last));
			write(connection, 3);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			assertThat(replication.status().generation()).isNotEqualTo(generation);
			assertThat(TestDatabase.fingerprint(restore(null))).isEqualTo(TestDatabase.fingerprint(connection));
		}
	}

	@Test
	void anEmptiedReplicaDirectoryOfAnIdleDatabaseIsReplicatedAgainAtTheNextSync() throws Exception {
		try (Connection connection = TestDatabase.connect(this.database);
				Replication replication = replication(null, Duration.ofDays(1))) {
			replication.start();
			write(connection, 10);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			for (String name : TestDatabase.fileNames(this.replica)) {
				Files.delete(this.replica.resolve(name));
			}
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			assertThat(TestDatabase.fingerprint(restore(null))).isEqualTo(TestDatabase.fingerprint(connection));
		}
	}

	@Test
	void objectsDeletedFromTheRemoteStorageAreUploadedAgainWithinTheRelistInterval() throws Exception {
		Path bucket = Files.createDirectories(this.dir.resolve("bucket"));
		try (Connection connection = TestDatabase.connect(this.database);
				Replication replication = replication(LocalDirectoryStorage.open(bucket), Duration.ofDays(1))) {
			replication.start();
			write(connection, 10);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			for (String name : TestDatabase.fileNames(bucket)) {
				Files.delete(bucket.resolve(name));
			}
			this.clock.step(ReplicaUploader.RELIST.plusSeconds(1));
			write(connection, 10);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			Path restored = this.dir.resolve("from-bucket.db");
			ReplicaRestore.restore(LocalDirectoryStorage.open(bucket), PLAIN, restored, null, RESTORE);
			assertThat(TestDatabase.fingerprint(restored)).isEqualTo(TestDatabase.fingerprint(connection));
		}
	}

	@Test
	void aClockStepBackStartsAGenerationSoInstantsAfterItRestoreTheirState() throws Exception {
		try (Connection connection = TestDatabase.connect(this.database);
				Replication replication = replication(null, Duration.ofHours(1))) {
			replication.start();
			Instant real = this.clock.instant();
			this.clock.set(real.plus(Duration.ofDays(365)));
			write(connection, 5);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			this.clock.set(real);
			for (int hour = 0; hour < 24; hour++) {
				this.clock.step(Duration.ofHours(1));
				write(connection, 5);
				assertThat(replication.awaitReplicated(WAIT)).isTrue();
			}
			assertThat(TestDatabase.fileNames(this.replica).stream().filter((name) -> name.contains(".snapshot.")))
				.as("snapshots go on hourly once the clock is back").hasSizeGreaterThan(10);
			Path halfAnHourAgo = restore(this.clock.instant().minus(Duration.ofMinutes(30)));
			try (Connection restored = TestDatabase.connect(halfAnHourAgo)) {
				assertThat(TestDatabase.queryLong(restored, "SELECT count(*) FROM ledger"))
					.as("all but the last hour's five rows").isEqualTo(TestDatabase.queryLong(connection,
							"SELECT count(*) FROM ledger") - 5);
			}
		}
	}

	@Test
	void aWriteAheadLogDeletedBehindItsBackIsReportedAndNoWriteIsConfirmed() throws Exception {
		try (Connection connection = TestDatabase.connect(this.database);
				Replication replication = replication(null, Duration.ofDays(1))) {
			replication.start();
			write(connection, 10);
			assertThat(replication.awaitReplicated(WAIT)).isTrue();
			Files.delete(Path.of(this.database + "-wal"));
			write(connection, 1);
			assertThat(replication.awaitReplicated(Duration.ofSeconds(1))).isFalse();
			assertThat(replication.status().error()).contains("was deleted while the database is open");
		}
	}

	private Replication replication(@Nullable BackupStorage remote, Duration snapshotInterval) {
		LocalDirectoryStorage local = LocalDirectoryStorage.open(this.replica);
		WalReplicator replicator = new WalReplicator(this.database, local, this.replica, this.clock,
				new WalReplicator.Settings(1 << 20, Duration.ofSeconds(5)));
		this.replicator = replicator;
		return Replication.of(replicator, local, this.replica, remote, new StoredForm(Compression.NONE, List.of()),
				PLAIN, 1 << 30, this.clock,
				new Replication.Settings(Duration.ofHours(1), snapshotInterval, Duration.ofDays(7)), "test-replication");
	}

	private Path restore(@Nullable Instant pointInTime) throws Exception {
		Path target = this.dir.resolve("restored-" + System.nanoTime() + ".db");
		ReplicaRestore.restore(LocalDirectoryStorage.open(this.replica), PLAIN, target, pointInTime, RESTORE);
		return target;
	}

	private static void write(Connection connection, int rows) throws Exception {
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO ledger (amount, note) VALUES (1, 'row')")) {
			for (int i = 0; i < rows; i++) {
				insert.executeUpdate();
			}
		}
	}

}
