package io.github.sqlitebackup.replication;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.offsite.Compression;
import io.github.sqlitebackup.offsite.StoredForm;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.storage.s3.S3Location;
import io.github.sqlitebackup.storage.s3.S3Storage;
import io.github.sqlitebackup.support.MutableClock;
import io.github.sqlitebackup.support.S3TestServer;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replication to an S3 API server (S3Proxy) through the local replica directory: a write
 * confirmed by {@code awaitReplicated} restores from the bucket; during an outage segments
 * wait locally and catch up in the same generation; segments that outgrow the local bound
 * are dropped and a new generation carries everything once the server is back.
 */
class ReplicationRemoteTests {

	private static final OfflineRestore.Settings RESTORE = new OfflineRestore.Settings(Verification.QUICK,
			OfflineRestore.Mode.IF_MISSING, true);

	private static final BackupDecoder PLAIN = new BackupDecoder(List.of());

	@TempDir
	Path dir;

	private S3TestServer server;

	private S3Client client;

	private Path database;

	private Path replica;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));

	@BeforeEach
	void start() throws Exception {
		this.server = S3TestServer.start();
		this.server.createBucket("replicas");
		this.client = this.server.client();
		this.database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		this.replica = Files.createDirectories(this.dir.resolve("replica"));
	}

	@AfterEach
	void stop() throws Exception {
		this.client.close();
		this.server.close();
	}

	@Test
	void aConfirmedWriteRestoresFromTheBucketAndAnOutageCatchesUpInTheSameGeneration() throws Exception {
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2);
				Replication replication = replication(64L * 1024 * 1024)) {
			replication.start();
			String generation = replication.status().generation();
			execute(pool, "INSERT INTO ledger (amount, note) VALUES (1, 'before the outage')");
			assertThat(replication.awaitReplicated(Duration.ofSeconds(30))).isTrue();
			assertRemoteRestoreEquals(pool, "first.db");

			this.server.stop();
			execute(pool, "INSERT INTO ledger (amount, note) VALUES (2, 'during the outage')");
			assertThat(replication.awaitReplicated(Duration.ofSeconds(2))).as("not in the bucket yet").isFalse();
			assertThat(replication.status().error()).isNotNull();
			assertThat(replication.status().queued()).as("the segment waits in the replica directory").isPositive();
			this.server.restart();
			assertThat(replication.awaitReplicated(Duration.ofSeconds(60))).isTrue();
			assertThat(replication.status().queued()).isZero();
			assertThat(replication.status().generation()).as("the waiting segments kept the chain")
				.isEqualTo(generation);
			assertRemoteRestoreEquals(pool, "second.db");
		}
	}

	@Test
	void segmentsThatOutgrowTheLocalBoundAreDroppedAndANewGenerationCarriesEverything() throws Exception {
		try (HikariDataSource pool = TestDatabase.pool(this.database, 2); Replication replication = replication(1)) {
			replication.start();
			String generation = replication.status().generation();
			assertThat(replication.awaitReplicated(Duration.ofSeconds(30))).isTrue();
			this.server.stop();
			execute(pool, "INSERT INTO ledger (amount, note) VALUES (3, 'outgrows the bound')");
			assertThat(replication.awaitReplicated(Duration.ofSeconds(2))).isFalse();
			this.server.restart();
			assertThat(replication.awaitReplicated(Duration.ofSeconds(60))).isTrue();
			assertThat(replication.status().generation()).isNotEqualTo(generation);
			assertRemoteRestoreEquals(pool, "after.db");
		}
	}

	private void assertRemoteRestoreEquals(HikariDataSource pool, String name) throws Exception {
		Path target = this.dir.resolve(name);
		ReplicaRestore.restore(remote(), PLAIN, target, null, RESTORE);
		try (Connection connection = pool.getConnection()) {
			assertThat(TestDatabase.fingerprint(target)).isEqualTo(TestDatabase.fingerprint(connection));
		}
	}

	private Replication replication(long localLimit) {
		BackupStorage local = LocalDirectoryStorage.open(this.replica);
		WalReplicator replicator = new WalReplicator(this.database, local, this.replica, this.clock,
				new WalReplicator.Settings(4 * 1024 * 1024, Duration.ofSeconds(5)));
		return new Replication(replicator, local, this.replica, new ReplicaUploader(local, remote(), localLimit,
				new StoredForm(Compression.NONE, List.of()), this.replica), PLAIN,
				this.clock, new Replication.Settings(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7)),
				"test-replication");
	}

	private BackupStorage remote() {
		return new S3Storage(this.client, S3Location.parse("s3://replicas/apps/app/replication"),
				S3Storage.MIN_PART_SIZE);
	}

	private static void execute(HikariDataSource pool, String sql) throws Exception {
		try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
