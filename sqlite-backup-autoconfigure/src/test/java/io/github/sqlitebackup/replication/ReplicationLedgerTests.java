package io.github.sqlitebackup.replication;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The ledger test: a Spring Boot application with replication on (default one-second
 * sync interval) whose writers commit numbered transactions is killed with SIGKILL at
 * random moments, again and again on the same database. After each kill the latest
 * replicated state passes {@code integrity_check}, holds every transaction acknowledged
 * more than the sync interval plus a margin before the kill, only committed transactions
 * and never half of one. Then point-in-time restores at random instants of the runs each
 * hold exactly the ledger's first {@code k} commits for a {@code k} that every
 * acknowledgement before the instant (less the interval and margin) bounds from below and
 * every transaction's start bounds from above.
 */
class ReplicationLedgerTests {

	private static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);

	private static final Duration MARGIN = Duration.ofMillis(500);

	private static final int KILLS = 22;

	private static final int INSTANTS = 50;

	private static final OfflineRestore.Settings RESTORE = new OfflineRestore.Settings(Verification.FULL,
			OfflineRestore.Mode.IF_MISSING, true);

	@TempDir
	Path dir;

	private final Map<Long, Ack> acks = new HashMap<>();

	private final Map<String, Long> begins = new HashMap<>();

	private final List<Run> runs = new ArrayList<>();

	@Test
	void killedAgainAndAgainTheReplicaHoldsEveryAcknowledgedTransactionAndEveryInstantRestoresExactly()
			throws Exception {
		long seed = System.nanoTime();
		System.out.println("[figures] ledger kill test seed " + seed);
		Random random = new Random(seed);
		Path database = this.dir.resolve("app.db");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database)) {
			LedgerApplication.createSchema(connection);
		}
		Path backups = this.dir.resolve("backups");
		LocalDirectoryStorage replica = LocalDirectoryStorage.open(backups.resolve("replication-app"));
		long worstLoss = 0;
		for (int kill = 1; kill <= KILLS; kill++) {
			Run run = runUntilKilled(database, backups, 100 + random.nextInt(700));
			this.runs.add(run);
			Path restored = this.dir.resolve("latest-" + kill + ".db");
			ReplicaRestore.restore(replica, new BackupDecoder(List.of()), restored, null, RESTORE);
			State state = check(restored);
			long lost = 0;
			for (Ack ack : this.acks.values()) {
				if (ack.seq() > state.commits()) {
					lost = Math.max(lost, run.killed() - ack.millis());
				}
			}
			assertThat(lost).as("kill %d: the oldest acknowledged transaction missing from the replica was "
					+ "acknowledged %d ms before the kill", kill, lost)
				.isLessThanOrEqualTo(SYNC_INTERVAL.plus(MARGIN).toMillis());
			assertThat(state.commits()).as("kill %d: the replica has no commit the database lacks", kill)
				.isLessThanOrEqualTo(liveCommits(database));
			worstLoss = Math.max(worstLoss, lost);
			Files.delete(restored);
		}
		System.out.printf("[figures] %d kills, %d transactions acknowledged; latest restore after a kill missed "
				+ "at most the transactions acknowledged in the last %d ms before it (bound %d ms)%n", KILLS,
				this.acks.size(), worstLoss, SYNC_INTERVAL.plus(MARGIN).toMillis());
		restoresAtRandomInstantsHoldExactlyTheLedgerThen(replica, random);
	}

	private void restoresAtRandomInstantsHoldExactlyTheLedgerThen(LocalDirectoryStorage replica, Random random)
			throws Exception {
		List<long[]> results = new ArrayList<>();
		long worstBehind = 0;
		for (int i = 0; i < INSTANTS; i++) {
			Run run = this.runs.get(random.nextInt(this.runs.size()));
			long instant = run.ready() + (long) (random.nextDouble() * (run.killed() - run.ready()));
			Path restored = this.dir.resolve("instant-" + i + ".db");
			ReplicaRestore.Restored result = ReplicaRestore.restore(replica, new BackupDecoder(List.of()), restored,
					Instant.ofEpochMilli(instant), RESTORE);
			State state = check(restored);
			assertThat(result.committed()).as("the state restored is from before the instant")
				.isBeforeOrEqualTo(Instant.ofEpochMilli(instant));
			assertThat(state.lastBegin()).as("no transaction restored started after the instant")
				.isLessThanOrEqualTo(instant);
			for (Ack ack : this.acks.values()) {
				if (ack.seq() > state.commits()) {
					long behind = instant - ack.millis();
					worstBehind = Math.max(worstBehind, behind);
					assertThat(behind).as("at %s commit %d, acknowledged %d ms before, is missing",
							Instant.ofEpochMilli(instant), ack.seq(), behind)
						.isLessThanOrEqualTo(SYNC_INTERVAL.plus(MARGIN).toMillis());
				}
			}
			results.add(new long[] { instant, state.commits() });
			Files.delete(restored);
		}
		results.sort(Comparator.comparingLong((long[] result) -> result[0]));
		for (int i = 1; i < results.size(); i++) {
			assertThat(results.get(i)[1]).as("a later instant never restores fewer commits")
				.isGreaterThanOrEqualTo(results.get(i - 1)[1]);
		}
		System.out.printf("[figures] %d point-in-time restores each equal the ledger's first k commits; the newest "
				+ "acknowledged commit missing at an instant was acknowledged %d ms before it%n", INSTANTS,
				worstBehind);
	}

	/** Start the application, let it commit the given number of transactions, SIGKILL it. */
	private Run runUntilKilled(Path database, Path backups, int acknowledgements) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process application = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), LedgerApplication.class.getName(), database.toString(),
				backups.toString(), SYNC_INTERVAL.toMillis() + "ms")
			.redirectErrorStream(true)
			.start();
		ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
		watchdog.schedule(() -> application.toHandle().destroyForcibly(), 2, TimeUnit.MINUTES);
		Deque<String> tail = new ArrayDeque<>();
		long ready = -1;
		long killed = -1;
		int acknowledged = 0;
		try (InputStream output = application.getInputStream()) {
			String line;
			while ((line = readLine(output)) != null) {
				tail.addLast(line);
				if (tail.size() > 40) {
					tail.removeFirst();
				}
				String[] fields = line.split(" ");
				if (fields[0].equals("READY")) {
					ready = Long.parseLong(fields[1]);
				}
				else if (fields[0].equals("BEGIN")) {
					this.begins.put(fields[1] + ":" + fields[2], Long.parseLong(fields[3]));
				}
				else if (fields[0].equals("ACK")) {
					Ack ack = new Ack(Integer.parseInt(fields[1]), Long.parseLong(fields[2]),
							Long.parseLong(fields[3]), Long.parseLong(fields[4]));
					this.acks.put(ack.seq(), ack);
					if (++acknowledged == acknowledgements && killed < 0) {
						killed = System.currentTimeMillis();
						// SIGKILL through the handle: Process.destroyForcibly would also close the
						// pipe, losing the acknowledgements written before the kill
						application.toHandle().destroyForcibly();
					}
				}
				else if (fields[0].equals("FAILED")) {
					fail("a writer failed:%n%s", String.join("\n", tail));
				}
			}
		}
		finally {
			watchdog.shutdownNow();
			application.destroyForcibly();
			application.waitFor(1, TimeUnit.MINUTES);
		}
		if (ready < 0 || killed < 0) {
			fail("the application stopped before it was killed:%n%s", String.join("\n", tail));
		}
		return new Run(ready, killed);
	}

	/** A line ended by a newline, or null at the end: a line cut by the kill is not one. */
	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				return null;
			}
			line.write(b);
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	/**
	 * Check that a restored database is whole and holds exactly the ledger's first commits.
	 * @return how many commits it holds and when the last of them started
	 */
	private State check(Path restored) throws Exception {
		assertThat(TestDatabase.integrityCheck(restored)).isEqualTo("ok");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + restored)) {
			long commits = TestDatabase.queryLong(connection, "SELECT seq FROM counter");
			assertThat(TestDatabase.queryLong(connection, "SELECT count(*) FROM entry"))
				.as("one entry per commit counted").isEqualTo(commits);
			assertThat(TestDatabase.queryLong(connection, "SELECT coalesce(max(seq), 0) FROM entry"))
				.as("the entries are the first commits, none missing").isEqualTo(commits);
			assertThat(TestDatabase.queryLong(connection, "SELECT count(*) FROM entry WHERE n <= 0"))
				.as("no rolled-back transaction").isZero();
			for (int writer = 1; writer <= LedgerApplication.WRITERS; writer++) {
				assertThat(query(connection, "SELECT entries || ':' || bytes FROM account WHERE writer = " + writer))
					.as("writer %d's account matches its entries: no half transaction", writer)
					.isEqualTo(query(connection, "SELECT count(*) || ':' || coalesce(sum(length(payload)), 0) "
							+ "FROM entry WHERE writer = " + writer))
					.isEqualTo(query(connection, "SELECT coalesce(max(n), 0) || ':' || coalesce(sum(length(payload)), 0) "
							+ "FROM entry WHERE writer = " + writer));
			}
			long lastBegin = 0;
			try (PreparedStatement statement = connection.prepareStatement("SELECT seq, writer, n, payload FROM entry");
					ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					long seq = rows.getLong(1);
					int writer = rows.getInt(2);
					long n = rows.getLong(3);
					assertThat(rows.getBytes(4)).as("entry %d's payload", seq)
						.isEqualTo(LedgerApplication.payload(writer, n));
					Ack ack = this.acks.get(seq);
					if (ack != null) {
						assertThat(ack.writer() + ":" + ack.n()).as("commit %d", seq).isEqualTo(writer + ":" + n);
					}
					Long begin = this.begins.get(writer + ":" + n);
					assertThat(begin).as("commit %d was started", seq).isNotNull();
					lastBegin = Math.max(lastBegin, begin);
				}
			}
			return new State(commits, lastBegin);
		}
	}

	private static String query(Connection connection, String sql) throws Exception {
		try (var statement = connection.createStatement(); var result = statement.executeQuery(sql)) {
			result.next();
			return result.getString(1);
		}
	}

	private static long liveCommits(Path database) throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database)) {
			return TestDatabase.queryLong(connection, "SELECT seq FROM counter");
		}
	}

	private record Ack(int writer, long n, long seq, long millis) {
	}

	private record Run(long ready, long killed) {
	}

	private record State(long commits, long lastBegin) {
	}

}
