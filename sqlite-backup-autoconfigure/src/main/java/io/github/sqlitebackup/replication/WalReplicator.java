package io.github.sqlitebackup.replication;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.engine.SqliteConnections;
import io.github.sqlitebackup.engine.SqliteHeader;
import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.StoredObject;
import io.github.sqlitebackup.wal.WalCursor;
import io.github.sqlitebackup.wal.WalFrames;
import io.github.sqlitebackup.wal.WalHeader;

/**
 * Ships the committed transactions of one WAL-mode database to a storage as they happen.
 * <p>
 * A connection of its own (the <em>reader</em>) keeps a read transaction open at all
 * times, so no other connection can restart the write-ahead log: the log only grows, and
 * every committed frame stays where it was until it has been read. {@link #sync()} reads
 * the transactions committed since the last call and stores them as one immutable segment
 * (nothing at all when there are none). When the log has grown past a bound, the
 * replicator checkpoints it itself: a second connection takes the write lock for a moment,
 * the rest of the log is shipped, the reader lets go, a passive checkpoint runs and the
 * reader starts again, all before any writer can append; the next writer then restarts
 * the log, which the replicator recognises (its first salt is one higher). Anything else that breaks the chain (a log restarted or truncated by another
 * process, a database replaced) starts a new <em>generation</em> with a snapshot.
 * <p>
 * Not thread-safe: one thread calls {@link #sync()}, {@link #snapshot()} and
 * {@link #close()}.
 */
public final class WalReplicator implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(WalReplicator.class);

	private final Path database;

	private final Path wal;

	private final BackupStorage storage;

	private final Path staging;

	private final Clock clock;

	private final Settings settings;

	private @Nullable SQLiteConnection reader;

	private @Nullable SQLiteConnection locker;

	private @Nullable String generation;

	/** Where shipping goes on, or {@code null} while the log has no valid header. */
	private @Nullable WalCursor cursor;

	private long transaction;

	private long transactionMillis;

	/** The transaction the reader's snapshot is as of. */
	private long readerTransaction;

	private long readerMillis;

	/** The transaction of the generation's newest snapshot, -1 before the first. */
	private long snapshotTransaction = -1;

	/** The key of the generation's newest snapshot, once stored. */
	private @Nullable ReplicaKey snapshotKey;

	private boolean restartExpected;

	/** Whether a segment was lost, so the chain must start again. */
	private boolean broken;

	/** Whether the locker holds the write lock. */
	private boolean locked;

	/** Whether the reader holds its read transaction. */
	private boolean reading;

	/**
	 * Create a replicator; nothing is opened before {@link #start()}.
	 * @param database the database file (in WAL mode)
	 * @param storage where segments and snapshots go
	 * @param staging a directory for the files written before they are stored (the
	 * storage's own directory for a local one, so storing is a link)
	 * @param clock the clock that timestamps transactions
	 * @param settings bounds and intervals
	 */
	public WalReplicator(Path database, BackupStorage storage, Path staging, Clock clock, Settings settings) {
		this.database = database.toAbsolutePath();
		this.wal = this.database.resolveSibling(this.database.getFileName() + "-wal");
		this.storage = storage;
		this.staging = staging;
		this.clock = clock;
		this.settings = settings;
	}

	/**
	 * Open the replicator's connections and start a generation with a snapshot.
	 * @return what was stored
	 * @throws SqliteBackupException if the database is not in WAL mode or cannot be
	 * opened
	 * @throws IOException if the snapshot cannot be stored
	 */
	public Shipped start() throws IOException {
		try {
			this.reader = open();
			this.locker = open();
			String mode = SqliteConnections.queryString(this.reader, "PRAGMA journal_mode");
			if (!"wal".equalsIgnoreCase(mode)) {
				throw new SqliteBackupException("Cannot replicate " + this.database + ": it is in journal mode " + mode
						+ ", and replication reads the write-ahead log (set journal_mode=WAL)");
			}
		}
		catch (SQLException ex) {
			throw new SqliteBackupException("Cannot replicate " + this.database + ": " + ex.getMessage(), ex);
		}
		return newGeneration("replication started");
	}

	/**
	 * Store the transactions committed since the last call as one segment, and checkpoint
	 * the log if it has grown past its bound. Makes no request to the storage when nothing
	 * was committed.
	 * @return what was shipped
	 * @throws IOException if the log cannot be read or the storage written
	 */
	public Shipped sync() throws IOException {
		Shipped shipped = store(stage());
		if (Files.exists(this.wal) && Files.size(this.wal) >= this.settings.checkpointBytes()) {
			shipped = shipped.plus(moveReader(true));
		}
		return shipped;
	}

	/**
	 * Write the transactions committed since the last call to a staged segment, or start a
	 * new generation if the log's chain broke.
	 */
	private Staged stage() throws IOException {
		if (this.broken) {
			return Staged.done(newGeneration("objects of the previous generation could not be stored"));
		}
		String gone = chainGone();
		if (gone != null) {
			return Staged.done(newGeneration(gone));
		}
		try (FileChannel log = openLog()) {
			WalHeader header = WalFrames.header(log);
			WalCursor from = this.cursor;
			if (header == null) {
				if (from != null) {
					return Staged.done(newGeneration("the write-ahead log was truncated or removed by another connection"));
				}
				return Staged.NONE;
			}
			if (from == null) {
				from = WalCursor.start(header);
			}
			else if (!header.sameCycle(from.header())) {
				// a restart adds one to the first salt (the checkpoint sequence is per connection)
				if (!this.restartExpected || header.salt1() != from.header().salt1() + 1) {
					return Staged.done(newGeneration("the write-ahead log was restarted by another connection (checkpoint sequence "
							+ from.header().checkpointSequence() + " to " + header.checkpointSequence() + ", salt "
							+ from.header().salt1() + " to " + header.salt1() + (this.restartExpected ? "" : ", unexpected")
							+ ")"));
				}
				from = WalCursor.start(header);
			}
			else if (log.size() < from.offset()) {
				return Staged.done(newGeneration("the write-ahead log became shorter than the position shipped"));
			}
			List<WalFrames.Commit> commits = WalFrames.committedAfter(log, from);
			if (commits.isEmpty()) {
				this.cursor = from;
				return Staged.NONE;
			}
			long now = this.clock.millis();
			if (now < this.transactionMillis) {
				// a generation's commit times never decrease, so that a point-in-time restore
				// can stop at the first one after the instant
				return Staged.done(newGeneration("the clock went back from "
						+ Instant.ofEpochMilli(this.transactionMillis) + " to " + Instant.ofEpochMilli(now)));
			}
			Staged staged = stageSegment(log, header, commits);
			this.cursor = commits.get(commits.size() - 1).cursor();
			this.restartExpected = false;
			return staged;
		}
	}

	private FileChannel openLog() throws IOException {
		try {
			return FileChannel.open(this.wal, StandardOpenOption.READ);
		}
		catch (NoSuchFileException ex) {
			throw logDeleted(ex);
		}
	}

	/**
	 * Why the generation can no longer be restored from the storage, or {@code null}: its
	 * newest snapshot, or a segment of the chain after it, was deleted behind its back (the
	 * storage is the local replica directory: listing it costs no request).
	 */
	private @Nullable String chainGone() throws IOException {
		ReplicaKey snapshot = this.snapshotKey;
		if (snapshot == null) {
			return null;
		}
		List<ReplicaKey> segments = new ArrayList<>();
		boolean snapshotThere = false;
		for (StoredObject object : this.storage.list()) {
			Optional<ReplicaKey> key = ReplicaKey.parse(object.key());
			if (key.isPresent() && key.get().generation().equals(snapshot.generation())) {
				snapshotThere |= key.get().equals(snapshot);
				if (!key.get().snapshot()) {
					segments.add(key.get());
				}
			}
		}
		if (!snapshotThere) {
			return "its snapshot " + snapshot.key() + " is gone from " + this.storage.description();
		}
		long next = snapshot.first() + 1;
		while (next <= this.transaction) {
			Optional<ReplicaKey> covering = ReplicaKey.longestHolding(segments, next);
			if (covering.isEmpty()) {
				return "transaction " + next + " of its chain is gone from " + this.storage.description();
			}
			next = covering.get().last() + 1;
		}
		return null;
	}

	/**
	 * The log cannot be missing while the reader holds its read transaction (SQLite removes
	 * it only when the last connection closes): it was deleted behind the application's
	 * back, and what is committed now goes to the deleted file, out of reach.
	 */
	private IOException logDeleted(NoSuchFileException cause) {
		return new IOException("The write-ahead log " + this.wal + " was deleted while the database is open: new "
				+ "transactions go to the deleted file and cannot be replicated. Restart the application so that its "
				+ "connections create the log again (until then, what it commits is only in the deleted file)", cause);
	}

	private Staged stageSegment(FileChannel log, WalHeader header, List<WalFrames.Commit> commits)
			throws IOException {
		long first = this.transaction + 1;
		long last = first + commits.size() - 1;
		long millis = this.clock.millis();
		StagingFile file = StagingFile.create(this.staging, "segment");
		try {
			try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file.path()), 1 << 16)) {
				SegmentFormat.Writer segment = new SegmentFormat.Writer(out, header.pageSize());
				long number = first;
				for (WalFrames.Commit commit : commits) {
					segment.transaction(number++, millis, commit.commitSize(), commit.frames(header));
					WalFrames.pages(log, header, commit, segment::page);
				}
				segment.finish();
			}
		}
		catch (IOException | RuntimeException ex) {
			file.close();
			throw ex;
		}
		this.transaction = last;
		this.transactionMillis = millis;
		return new Staged(file, ReplicaKey.segment(requireGeneration(), first, last, millis), commits.size(),
				Shipped.NOTHING);
	}

	/** Store a staged segment (outside the write lock: storing syncs it to disk). */
	private Shipped store(Staged staged) throws IOException {
		if (staged.file() == null) {
			return staged.done();
		}
		try (StagingFile file = staged.file()) {
			long bytes = Files.size(file.path());
			store(Objects.requireNonNull(staged.key()), file.path());
			return staged.done().plus(new Shipped(staged.transactions(), 1, bytes));
		}
		catch (IOException | RuntimeException ex) {
			// its transactions are gone from the chain: the next sync starts a new generation
			this.broken = true;
			throw ex;
		}
	}

	/**
	 * Ship everything and move the reader's snapshot to the end of the log while no writer
	 * can append; with {@code checkpoint}, checkpoint the log in between, so that the next
	 * writer restarts it from its beginning.
	 */
	private Shipped moveReader(boolean checkpoint) throws IOException {
		SQLiteConnection locker = requireOpen(this.locker);
		SQLiteConnection reader = requireOpen(this.reader);
		try {
			lock(locker);
		}
		catch (SQLException ex) {
			logger.debug("No checkpoint of " + this.database + " now: the write lock is busy (" + ex.getMessage() + ")");
			return Shipped.NOTHING;
		}
		Staged rest = Staged.NONE;
		IOException failure = null;
		try {
			rest = stage();
			SqliteConnections.execute(reader, "COMMIT");
			this.reading = false;
			try {
				if (checkpoint) {
					try (Statement statement = reader.createStatement();
							ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
						int log = result.getInt(2);
						int checkpointed = result.getInt(3);
						this.restartExpected = log > 0 && log == checkpointed;
					}
				}
			}
			finally {
				beginRead(reader);
			}
		}
		catch (SQLException ex) {
			failure = new IOException("Checkpoint of " + this.database + " failed: " + ex.getMessage(), ex);
		}
		finally {
			try {
				unlock(locker);
			}
			catch (SQLException ex) {
				logger.warn("Could not release the write lock on " + this.database + ": " + ex.getMessage());
			}
		}
		Shipped shipped = store(rest);
		if (failure != null) {
			throw failure;
		}
		return shipped;
	}

	/**
	 * Store a snapshot of the database as of the last transaction shipped (writers wait
	 * only while the rest of the log is read), unless one of that transaction exists.
	 * @return what was stored
	 * @throws IOException if it cannot be made or stored
	 */
	public Shipped snapshot() throws IOException {
		Shipped shipped = (this.readerTransaction != this.transaction) ? moveReader(false) : Shipped.NOTHING;
		if (this.snapshotTransaction == this.readerTransaction) {
			return shipped;
		}
		return shipped.plus(storeSnapshot());
	}

	private Shipped storeSnapshot() throws IOException {
		SQLiteConnection reader = requireOpen(this.reader);
		long bytes;
		try (StagingFile copy = StagingFile.create(this.staging, "snapshot-copy");
				StagingFile file = StagingFile.create(this.staging, "snapshot")) {
			Files.delete(copy.path());
			try {
				// the Online Backup API reads through the reader's open transaction: its snapshot
				reader.getDatabase().backup("main", copy.path().toString(), null);
			}
			catch (SQLException ex) {
				throw new IOException("Snapshot of " + this.database + " failed: " + ex.getMessage(), ex);
			}
			SqliteHeader header = SqliteHeader.read(copy.path());
			try (InputStream in = Files.newInputStream(copy.path());
					OutputStream out = new BufferedOutputStream(Files.newOutputStream(file.path()), 1 << 16)) {
				SnapshotFormat.Writer snapshot = new SnapshotFormat.Writer(out, header.pageSize(),
						Math.toIntExact(header.fileSize() / header.pageSize()), this.readerTransaction,
						this.readerMillis, this.database.toString());
				byte[] page = new byte[header.pageSize()];
				while (in.readNBytes(page, 0, page.length) == page.length) {
					snapshot.page(page, 0);
				}
				snapshot.finish();
			}
			bytes = Files.size(file.path());
			ReplicaKey key = ReplicaKey.snapshot(requireGeneration(), this.readerTransaction, this.readerMillis);
			store(key, file.path());
			this.snapshotTransaction = this.readerTransaction;
			this.snapshotKey = key;
		}
		return new Shipped(0, 1, bytes);
	}

	private Shipped newGeneration(String reason) throws IOException {
		SQLiteConnection locker = requireOpen(this.locker);
		SQLiteConnection reader = requireOpen(this.reader);
		try {
			// a new generation can start during a checkpoint, which holds the write lock already
			boolean lock = !this.locked;
			if (lock) {
				lock(locker);
			}
			try {
				if (this.reading) {
					SqliteConnections.execute(reader, "COMMIT");
					this.reading = false;
				}
				beginRead(reader);
				this.cursor = null;
				this.restartExpected = false;
				try (FileChannel log = openLog()) {
					WalHeader header = WalFrames.header(log);
					if (header != null) {
						List<WalFrames.Commit> commits = WalFrames.committedAfter(log, WalCursor.start(header));
						this.cursor = commits.isEmpty() ? WalCursor.start(header)
								: commits.get(commits.size() - 1).cursor();
					}
				}
			}
			finally {
				if (lock) {
					unlock(locker);
				}
			}
		}
		catch (SQLException ex) {
			throw new IOException("Cannot start a new generation of " + this.database + ": " + ex.getMessage(), ex);
		}
		this.broken = true;
		this.generation = ReplicaKey.newGeneration(nextSequence(), this.clock.instant());
		this.transaction = 0;
		this.transactionMillis = this.clock.millis();
		this.readerTransaction = 0;
		this.readerMillis = this.transactionMillis;
		this.snapshotTransaction = -1;
		this.snapshotKey = null;
		logger.info("Replication of " + this.database + " starts generation " + this.generation + ": " + reason);
		Shipped snapshot = storeSnapshot();
		this.broken = false;
		return snapshot;
	}

	/** One more than the newest generation in the storage (and than this one's own). */
	private long nextSequence() throws IOException {
		long newest = (this.generation != null) ? ReplicaKey.sequenceOf(this.generation) : 0;
		for (StoredObject object : this.storage.list()) {
			Optional<ReplicaKey> key = ReplicaKey.parse(object.key());
			if (key.isPresent()) {
				newest = Math.max(newest, key.get().sequence());
			}
		}
		if (newest >= ReplicaKey.MAX_SEQUENCE) {
			throw new IOException("The replica in " + this.storage.description() + " holds generation number " + newest
					+ ", the highest there can be: move its objects away to start again from 1");
		}
		return newest + 1;
	}

	private void store(ReplicaKey key, Path file) throws IOException {
		this.storage.write(key.key(), file);
	}

	/**
	 * Make the next sync start a new generation, because objects of this one were lost.
	 */
	public void restartGeneration() {
		this.broken = true;
	}

	/**
	 * Return the last transaction shipped.
	 * @return its number in the current generation
	 */
	public long transaction() {
		return this.transaction;
	}

	/**
	 * Return the replicated database file.
	 * @return the file
	 */
	public Path database() {
		return this.database;
	}

	/**
	 * Return the current generation.
	 * @return its name, or {@code null} before {@link #start()}
	 */
	public @Nullable String generation() {
		return this.generation;
	}

	@Override
	public void close() {
		for (SQLiteConnection connection : new SQLiteConnection[] { this.reader, this.locker }) {
			if (connection != null) {
				try {
					connection.close();
				}
				catch (SQLException ex) {
					logger.debug("Could not close a replication connection: " + ex.getMessage());
				}
			}
		}
		this.reader = null;
		this.locker = null;
	}

	private String requireGeneration() {
		if (this.generation == null) {
			throw new IllegalStateException("Replication has not started");
		}
		return this.generation;
	}

	private void lock(SQLiteConnection locker) throws SQLException {
		SqliteConnections.execute(locker, "BEGIN IMMEDIATE");
		this.locked = true;
	}

	private void unlock(SQLiteConnection locker) throws SQLException {
		this.locked = false;
		SqliteConnections.execute(locker, "ROLLBACK");
	}

	private void beginRead(SQLiteConnection reader) throws SQLException {
		SqliteConnections.execute(reader, "BEGIN");
		SqliteConnections.queryString(reader, "SELECT count(*) FROM sqlite_schema");
		this.reading = true;
		this.readerTransaction = this.transaction;
		this.readerMillis = this.transactionMillis;
	}

	private SQLiteConnection open() throws SQLException {
		SQLiteConnection connection = SqliteConnections.open(this.database);
		SqliteConnections.execute(connection, "PRAGMA busy_timeout=" + this.settings.lockTimeout().toMillis());
		return connection;
	}

	private static SQLiteConnection requireOpen(@Nullable SQLiteConnection connection) {
		if (connection == null) {
			throw new IllegalStateException("Replication is not running");
		}
		return connection;
	}

	/**
	 * A segment written but not stored yet, or what a new generation stored instead.
	 *
	 * @param file the staged segment, or {@code null} if there is none
	 * @param key its key
	 * @param transactions how many transactions it holds
	 * @param done what was stored already
	 */
	private record Staged(@Nullable StagingFile file, @Nullable ReplicaKey key, int transactions, Shipped done) {

		static final Staged NONE = done(Shipped.NOTHING);

		static Staged done(Shipped done) {
			return new Staged(null, null, 0, done);
		}

	}

	/**
	 * Bounds and intervals of replication.
	 *
	 * @param checkpointBytes the log size at which the replicator checkpoints it
	 * @param lockTimeout how long it waits for the write lock and other locks
	 */
	public record Settings(long checkpointBytes, Duration lockTimeout) {
	}

	/**
	 * What one call shipped.
	 *
	 * @param transactions transactions stored
	 * @param objects objects written to the storage
	 * @param bytes bytes written to the storage
	 */
	public record Shipped(int transactions, int objects, long bytes) {

		static final Shipped NOTHING = new Shipped(0, 0, 0);

		Shipped plus(Shipped other) {
			return new Shipped(this.transactions + other.transactions, this.objects + other.objects,
					this.bytes + other.bytes);
		}

	}

}
