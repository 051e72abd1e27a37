package io.github.sqlitebackup.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.springframework.util.FileSystemUtils;

import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.offsite.Compression;
import io.github.sqlitebackup.offsite.StoredForm;
import io.github.sqlitebackup.replication.ReplicaRestore;
import io.github.sqlitebackup.replication.Replication;
import io.github.sqlitebackup.replication.WalReplicator;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;

/**
 * Continuous replication with its default settings (sync every second, checkpoint at 4
 * MiB): the lag from a commit to the bucket (S3Proxy on loopback, through the local replica
 * directory) under 200 commits/s, the writer's commit latency with and without replication,
 * the requests made to the bucket per hour under that load and while idle, and the time of a
 * point-in-time restore of a large database with a day of compacted segments, next to
 * {@code cp} + {@code fsync}.
 */
final class ReplicationBenchmark {

	private static final BackupDecoder PLAIN = new BackupDecoder(List.of());

	private static final StoredForm AS_IS = new StoredForm(Compression.NONE, List.of());

	private static final long CHECKPOINT_BYTES = 4 * 1024 * 1024;

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

	private static final long COMMIT_EVERY_NANOS = 5_000_000;

	private final BenchmarkOptions options;

	private final Report report;

	ReplicationBenchmark(BenchmarkOptions options, Report report) {
		this.options = options;
		this.report = report;
	}

	/**
	 * Measure replication alone: {@code bench/run-main.sh
	 * io.github.sqlitebackup.benchmarks.ReplicationBenchmark [--quick]}.
	 * @param args the benchmark's options
	 */
	public static void main(String[] args) throws Exception {
		BenchmarkOptions options = BenchmarkOptions.parse(args);
		Report report = new Report();
		new ReplicationBenchmark(options, report).run();
		System.out.println(report.markdown());
	}

	void run() throws Exception {
		boolean quick = this.options.recoverySizeMib() < 1024;
		Path work = this.options.work().resolve("replication");
		FileSystemUtils.deleteRecursively(work);
		Files.createDirectories(work);
		lagAndCost(work, quick ? 5 : 60, quick ? 3 : 30);
		pointInTimeRestore(work, quick ? 10 : 1);
		FileSystemUtils.deleteRecursively(work);
	}

	private void lagAndCost(Path work, int loadSeconds, int idleSeconds) throws Exception {
		Path database = Databases.create(work, 64, "wal");
		List<List<String>> writerRows = new ArrayList<>();
		Load without = load(database, loadSeconds, null);
		writerRows.add(writerRow("without replication", without));
		Path localOnly = Files.createDirectories(work.resolve("replica-local-only"));
		LocalDirectoryStorage localOnlyStorage = LocalDirectoryStorage.open(localOnly);
		try (Replication replication = Replication.of(
				new WalReplicator(database, localOnlyStorage, localOnly, Clock.systemUTC(),
						new WalReplicator.Settings(CHECKPOINT_BYTES, LOCK_TIMEOUT)),
				localOnlyStorage, localOnly, null, AS_IS, PLAIN, 1L << 30, Clock.systemUTC(),
				new Replication.Settings(Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofDays(7)),
				"benchmark-replication-local")) {
			replication.start();
			writerRows.add(writerRow("with replication to the replica directory only", load(database, loadSeconds,
					replication)));
		}
		try (LoopbackS3 s3 = new LoopbackS3(work.resolve("s3-store"))) {
			CountingStorage bucket = new CountingStorage(s3.storage("replication"));
			Path directory = Files.createDirectories(work.resolve("replica"));
			LocalDirectoryStorage local = LocalDirectoryStorage.open(directory);
			WalReplicator replicator = new WalReplicator(database, local, directory, Clock.systemUTC(),
					new WalReplicator.Settings(CHECKPOINT_BYTES, LOCK_TIMEOUT));
			try (Replication replication = Replication.of(replicator, local, directory, bucket, AS_IS, PLAIN,
					1L << 30, Clock.systemUTC(),
					new Replication.Settings(Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofDays(7)),
					"benchmark-replication")) {
				replication.start();
				bucket.reset();
				Load with = load(database, loadSeconds, replication);
				long loadRequests = bucket.requests();
				writerRows.add(writerRow("with replication to the directory and the bucket", with));
				replication.awaitReplicated(Duration.ofMinutes(1));
				bucket.reset();
				long idleStart = System.nanoTime();
				LockSupport.parkNanos(Duration.ofSeconds(idleSeconds).toNanos());
				double idleHours = (System.nanoTime() - idleStart) / 3.6e12;
				long idleRequests = bucket.requests();
				this.report.section("Continuous replication",
						"Default settings (sync every 1 s, checkpoint at 4 MiB) to S3Proxy on loopback through the "
								+ "local replica directory; a writer commits a small row every 5 ms (200 commits/s) for "
								+ loadSeconds + " s without replication, with replication to the replica directory only, "
								+ "and with replication to the directory and the bucket. Lag: from the commit's return "
								+ "to the moment the replication reports it stored (in the bucket, when there is one).");
				this.report.table("Replication lag and writer impact", List.of("run", "commits", "writer p50 ms",
						"writer p99 ms", "writer max ms", "lag p50 ms", "lag p99 ms", "lag max ms"), writerRows);
				this.report.table("Writer p99 with replication to the bucket vs without", List.of("ratio"),
						List.of(List.of(Report.ratio(with.p99() / without.p99()))));
				this.report.table("Requests to the bucket", List.of("state", "requests", "per hour"), List.of(
						List.of("under load (" + loadSeconds + " s)", String.valueOf(loadRequests),
								Report.number(loadRequests * 3600.0 / loadSeconds, "%.0f")),
						List.of("idle (" + idleSeconds + " s)", String.valueOf(idleRequests),
								Report.number(idleRequests / idleHours, "%.0f"))));
			}
		}
	}

	private static List<String> writerRow(String name, Load load) {
		return List.of(name, String.valueOf(load.commits()), Report.number(load.p50(), "%.2f"),
				Report.number(load.p99(), "%.2f"), Report.number(load.max(), "%.1f"),
				load.lag().isEmpty() ? "-" : Report.ms(Stats.percentile(load.lag(), 50)),
				load.lag().isEmpty() ? "-" : Report.ms(Stats.percentile(load.lag(), 99)),
				load.lag().isEmpty() ? "-" : Report.ms(Stats.percentile(load.lag(), 100)));
	}

	/**
	 * Commit a row every 5 ms for the given time, recording each commit's latency and, with
	 * a replication, how long after its return the replication reported it stored (the
	 * generation's transactions are numbered one per commit: this writer is the only one).
	 */
	private static Load load(Path database, int seconds, Replication replication) throws Exception {
		int count = seconds * 200;
		long[] committed = new long[count + 1];
		long[] stored = new long[count + 1];
		long base = (replication != null) ? replication.status().transaction() : 0;
		Thread watcher = null;
		if (replication != null) {
			watcher = new Thread(() -> {
				long seen = 0;
				while (seen < count && !Thread.currentThread().isInterrupted()) {
					long now = System.nanoTime();
					long transaction = Math.min(count, replication.status().transaction() - base);
					for (long k = seen + 1; k <= transaction; k++) {
						stored[(int) k] = now;
					}
					seen = Math.max(seen, transaction);
					LockSupport.parkNanos(200_000);
				}
			}, "benchmark-lag-watcher");
			watcher.start();
		}
		List<Double> latencies = new ArrayList<>(count);
		try (Connection connection = Databases.connect(database);
				PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger (amount, note) VALUES (1, ?)")) {
			long start = System.nanoTime();
			for (int k = 1; k <= count; k++) {
				long due = start + k * COMMIT_EVERY_NANOS;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				long begin = System.nanoTime();
				insert.setString(1, "commit " + k + " at " + begin);
				insert.executeUpdate();
				committed[k] = System.nanoTime();
				latencies.add((committed[k] - begin) / 1e6);
			}
		}
		List<Double> lag = new ArrayList<>();
		if (watcher != null) {
			replication.awaitReplicated(Duration.ofMinutes(1));
			watcher.join(Duration.ofMinutes(1).toMillis());
			watcher.interrupt();
			for (int k = 1; k <= count; k++) {
				if (stored[k] != 0) {
					lag.add((stored[k] - committed[k]) / 1e6);
				}
			}
		}
		return new Load(count, Stats.percentile(latencies, 50), Stats.percentile(latencies, 99),
				Stats.percentile(latencies, 100), lag);
	}

	/**
	 * Replicate a large database through a day of commits on a clock moved by hand (a sync
	 * after each simulated minute or ten, the compaction running as it would), then restore
	 * it to an instant an hour and a half before the end, and to its latest state.
	 */
	private void pointInTimeRestore(Path work, int minutesPerSync) throws Exception {
		int size = this.options.recoverySizeMib();
		Path database = work.resolve("pit.db");
		Tools.run(Duration.ofMinutes(10),
				List.of("cp", Databases.create(this.options.work(), size, "wal").toString(), database.toString()));
		Path directory = Files.createDirectories(work.resolve("pit-replica"));
		LocalDirectoryStorage local = LocalDirectoryStorage.open(directory);
		HandClock clock = new HandClock(Instant.parse("2026-12-04T00:00:00Z"));
		WalReplicator replicator = new WalReplicator(database, local, directory, clock,
				new WalReplicator.Settings(CHECKPOINT_BYTES, LOCK_TIMEOUT));
		int commitsPerSync = 6 * minutesPerSync;
		long simulateStart = System.nanoTime();
		try (Replication replication = Replication.of(replicator, local, directory, null, AS_IS, PLAIN, 1L << 30,
				clock, new Replication.Settings(Duration.ofHours(1), Duration.ofDays(2), Duration.ofDays(7)),
				"benchmark-pit");
				Connection connection = Databases.connect(database);
				PreparedStatement insert = connection
					.prepareStatement("INSERT INTO ledger (amount, note) VALUES (1, hex(randomblob(500)))")) {
			replication.start();
			for (int minute = 0; minute < 24 * 60; minute += minutesPerSync) {
				for (int i = 0; i < commitsPerSync; i++) {
					insert.executeUpdate();
				}
				clock.step(Duration.ofMinutes(minutesPerSync));
				replication.awaitReplicated(Duration.ofMinutes(1));
			}
		}
		double simulateSeconds = (System.nanoTime() - simulateStart) / 1e9;
		long segments = 0;
		long segmentBytes = 0;
		for (var object : local.list()) {
			if (object.key().contains(".segment.")) {
				segments++;
				segmentBytes += object.size();
			}
		}
		Path target = work.resolve("pit-restored.db");
		List<List<String>> rows = new ArrayList<>();
		long start = System.nanoTime();
		Tools.run(Duration.ofMinutes(10), List.of("cp", database.toString(), target.toString()));
		Tools.run(Duration.ofMinutes(10), List.of("sync", target.toString()));
		double cp = (System.nanoTime() - start) / 1e6;
		Files.delete(target);
		rows.add(List.of("cp + fsync of the database file", Report.ms(cp), "-", Report.ratio(1.0)));
		for (Instant at : new Instant[] { clock.instant().minus(Duration.ofMinutes(90)), null }) {
			start = System.nanoTime();
			ReplicaRestore.Restored restored = ReplicaRestore.restore(local, PLAIN, target, at,
					new OfflineRestore.Settings(Verification.FULL, OfflineRestore.Mode.IF_MISSING, true));
			double total = (System.nanoTime() - start) / 1e6;
			double check = restored.result().check().toMillis();
			rows.add(List.of(((at != null) ? "restore to 22:30 of the day" : "restore to the latest state")
					+ " (transaction " + restored.transaction() + ")", Report.ms(total), Report.ms(check),
					Report.ratio((total - check) / cp)));
			for (String suffix : List.of("", "-wal", "-shm")) {
				Files.deleteIfExists(Path.of(target + suffix));
			}
		}
		this.report.section("Point-in-time restore",
				"A " + size + " MiB WAL database replicated through a day of commits (" + commitsPerSync
						+ " every " + minutesPerSync + " simulated minute(s), about 1 KiB each; compacted into hourly "
						+ "and 5-minute segments as the day went: " + segments + " segment objects, "
						+ Report.number(segmentBytes / 1048576.0, "%.1f") + " MiB, beside the day's one snapshot; "
						+ "simulated in " + Report.number(simulateSeconds, "%.0f") + " s), restored from the replica "
						+ "directory: the snapshot, the chain of segments up to the instant, integrity_check, fsync, "
						+ "rename.");
		this.report.table("Point-in-time restore of a " + size + " MiB database with a day of segments",
				List.of("method", "total ms", "integrity_check ms", "without the check vs cp"), rows);
	}

	private record Load(int commits, double p50, double p99, double max, List<Double> lag) {
	}

	/** A clock moved by hand, for the simulated day. */
	private static final class HandClock extends Clock {

		private volatile Instant now;

		HandClock(Instant now) {
			this.now = now;
		}

		void step(Duration step) {
			this.now = this.now.plus(step);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
