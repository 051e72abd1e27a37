package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupProgress;
import io.github.sqlitebackup.BackupProgressListener;
import io.github.sqlitebackup.CopyEngine;
import io.github.sqlitebackup.DatabaseBusyException;
import io.github.sqlitebackup.DiskFullException;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.wal.WalCursor;
import io.github.sqlitebackup.wal.WalFrames;
import io.github.sqlitebackup.wal.WalHeader;
import io.github.sqlitebackup.wal.WalIndexHeader;

/**
 * The page-level copy engine ({@link CopyEngine#PAGE_COPY}): the source connection's read
 * transaction pins one committed state; the database file's pages of that state are copied
 * with the kernel's copy, and in WAL mode the newest committed frame of each page in that
 * state is written over them from the {@code -wal}. That is the state SQLite itself reads:
 * frames of later transactions are not taken, and the file's pages that a checkpoint
 * changes during the copy are exactly pages whose frame is taken.
 * <p>
 * Where the state ends in the log is learned under the write lock: a second connection
 * holds it (no commit can happen) while the source connection begins its read transaction,
 * the end SQLite committed is read from the {@code -shm} index and the log is scanned up to
 * it. The copy is one pass of 4 MiB chunks; each is final once its frames are in, the
 * lock-byte page emptied and, in the first, the header finished as the Online Backup API
 * and the switch to a rollback journal leave it (so the copy is byte for byte the
 * reference engine's), and it is then synced and digested on another core. The live file
 * is read only through {@link LiveDatabaseFiles}: closing a descriptor of it here would
 * drop the application's locks.
 * <p>
 * The log's frames may be overwritten during the copy only if the state lies wholly in the
 * database file (SQLite's reader then ignores the log, and a writer may restart it); a
 * changed log header after the frames were read shows that, and the copy starts over. A
 * state that cannot be pinned (write lock not had within {@code retry-sleep} times
 * {@code max-retries}, log restarted on every attempt, an empty database) is copied with
 * the Online Backup API instead.
 */
final class PageCopy {

	/** Bytes copied between two progress reports and cancellation checks. */
	static final long CHUNK_BYTES = 4L * 1024 * 1024;

	/** How often pinning a WAL state tries to take the write lock while writers hold it. */
	private static final long LOCK_POLL_NANOS = 200_000;

	private static final int ATTEMPTS = 3;

	/** Offset of SQLite's lock-byte page, which no database stores anything in. */
	private static final long LOCK_BYTE_OFFSET = 0x40000000L;

	private static final Log logger = LogFactory.getLog(PageCopy.class);

	private final SourceDatabase source;

	private final Path file;

	private final BackupOptions options;

	private final OperationControl control;

	private final SnapshotObserver observer;

	private int chunks;

	private PageCopy(SourceDatabase source, Path file, BackupOptions options, OperationControl control,
			SnapshotObserver observer) {
		this.source = source;
		this.file = file;
		this.options = options;
		this.control = control;
		this.observer = observer;
	}

	/**
	 * Return whether this engine copies a source with the given options: a file on the
	 * engine's own connection, copied whole, with this engine asked for.
	 * @param source the source
	 * @param options the options
	 * @return {@code true} if {@link #copy} copies page by page
	 */
	static boolean applies(SourceDatabase source, BackupOptions options) {
		return options.copyEngine() == CopyEngine.PAGE_COPY && options.stepSize() == BackupOptions.ALL_PAGES
				&& source.file() != null && source.isDedicated();
	}

	/**
	 * Copy one committed state of the source into a file.
	 * @param source the source, for which {@link #applies} holds
	 * @param destination a new, private file
	 * @param options the options
	 * @param control the operation's stop signal
	 * @return what the copy did
	 * @throws SQLException if a statement of the engine fails
	 * @throws IOException if a file cannot be read or written
	 */
	static CopyStats copy(SourceDatabase source, Path destination, BackupOptions options, OperationControl control)
			throws SQLException, IOException {
		return copy(source, destination, options, control, (connection) -> {
		});
	}

	/**
	 * Copy one committed state of the source into a file, and let an observer act while
	 * that state is still pinned.
	 * @param source the source, for which {@link #applies} holds
	 * @param destination a new, private file
	 * @param options the options
	 * @param control the operation's stop signal
	 * @param observer called after a page copy, inside its read transaction
	 * @return what the copy did
	 * @throws SQLException if a statement of the engine fails
	 * @throws IOException if a file cannot be read or written
	 */
	static CopyStats copy(SourceDatabase source, Path destination, BackupOptions options, OperationControl control,
			SnapshotObserver observer) throws SQLException, IOException {
		Path file = source.file();
		if (file == null) {
			throw new IllegalArgumentException("The page copy needs a database file");
		}
		PageCopy copy = new PageCopy(source, file, options, control, observer);
		String reason = "";
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			try {
				return copy.attempt(destination, attempt);
			}
			catch (Unpinnable ex) {
				reason = ex.getMessage();
				if (!ex.retry) {
					break;
				}
			}
			catch (IOException ex) {
				control.throwIfCancelled("Backup of " + source.describe());
				String shortage = DiskSpace.shortage(destination, 0);
				if (!shortage.isEmpty()) {
					throw new DiskFullException("Backup of " + source.describe() + " failed: " + ex.getMessage()
							+ shortage + "; nothing was published or changed.");
				}
				throw ex;
			}
		}
		logger.info("Backup of " + source.describe() + " uses the Online Backup API: " + reason);
		return OnlineBackup.copy(source, destination, options, control);
	}

	private CopyStats attempt(Path destination, int restarts) throws SQLException, IOException, Unpinnable {
		SQLiteConnection connection = this.source.connection();
		BusyHandler.setHandler(connection,
				new RetryingBusyHandler(this.options.retrySleep(), this.options.maxRetries(), this.control));
		boolean wal = this.source.journalMode().isWal();
		long start = System.nanoTime();
		// the database file is read through the descriptor kept open for the life of the JVM:
		// closing one of this process would drop the application's locks on it
		try (LiveDatabaseFiles.Copier database = LiveDatabaseFiles.copier(this.file);
				@Nullable FileChannel log = wal ? openLog() : null;
				FileChannel copy = FileChannel.open(destination, StandardOpenOption.READ, StandardOpenOption.WRITE);
				DestinationSync sync = new DestinationSync(destination)) {
			try {
				Snapshot snapshot = wal ? pinUnderWriteLock(log) : pin();
				copy.truncate(0);
				NavigableMap<Long, Long> frames = (log != null && snapshot.log() != null)
						? newestFrames(log, snapshot.log(), snapshot.pages()) : new TreeMap<>();
				try (StagingDigest digest = new StagingDigest(destination)) {
					long size = snapshot.pages() * this.source.pageSize();
					copyPages(new Pass(database, log, frames, copy, sync, digest), snapshot.pages());
					if (log != null && snapshot.log() != null) {
						checkNotRestarted(log, snapshot.log().header());
					}
					this.observer.whilePinned(connection);
					report(0, size);
					String sha256 = digest.finish();
					long writersBlocked = wal ? snapshot.lockHeldNanos() : System.nanoTime() - start;
					return new CopyStats(snapshot.pages(), this.chunks, restarts, Duration.ofNanos(writersBlocked),
							sha256);
				}
			}
			finally {
				endRead();
			}
		}
	}

	private @Nullable FileChannel openLog() throws IOException {
		try {
			return FileChannel.open(Path.of(this.file + "-wal"), StandardOpenOption.READ);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	/**
	 * Pin the newest committed state of a WAL database and find where it ends in the log:
	 * most of the log is scanned before the write lock is taken, only what was appended
	 * since while it is held.
	 */
	private Snapshot pinUnderWriteLock(@Nullable FileChannel log) throws SQLException, IOException, Unpinnable {
		LogEnd scanned = LogEnd.scan(log, header(log), null, Long.MAX_VALUE);
		try (SQLiteConnection writer = SqliteConnections.open(this.file)) {
			Duration patience = this.options.retrySleep().multipliedBy(this.options.maxRetries());
			BusyHandler.setHandler(writer, new PollingBusyHandler(patience, this.control));
			try {
				SqliteConnections.execute(writer, "BEGIN IMMEDIATE");
			}
			catch (SQLException ex) {
				throw new Unpinnable("the write lock was not had within " + patience.toMillis() + " ms ("
						+ ex.getMessage() + ")", false);
			}
			long locked = System.nanoTime();
			try {
				beginRead();
				checkUnchanged();
				WalHeader header = header(log);
				LogEnd end = LogEnd.scan(log, header, scanned, (log != null) ? committedEnd(header) : WalHeader.SIZE);
				long pages = pages();
				if (end != null && end.commitSize() != 0 && end.commitSize() != pages) {
					throw new Unpinnable("the log's last commit holds " + end.commitSize() + " pages, the read "
							+ "transaction " + pages, false);
				}
				return new Snapshot(pages, (end != null) ? end.cursor() : null, System.nanoTime() - locked);
			}
			finally {
				SqliteConnections.execute(writer, "ROLLBACK");
			}
		}
	}

	/**
	 * Return where SQLite's committed part of the log ends, from its index (read through
	 * the descriptor kept open: closing one of the {@code -shm} would drop the
	 * application's locks on the log), while the write lock keeps it still.
	 */
	private long committedEnd(@Nullable WalHeader header) throws IOException, Unpinnable {
		Path shm = Path.of(this.file + "-shm");
		WalIndexHeader index = Files.exists(shm)
				? WalIndexHeader.parse(LiveDatabaseFiles.readStart(shm, WalIndexHeader.SIZE)) : null;
		if (index == null) {
			throw new Unpinnable("the log's index " + shm + " cannot be read", false);
		}
		if (index.mxFrame() == 0) {
			return WalHeader.SIZE;
		}
		if (header == null || !index.sameCycle(header)) {
			throw new Unpinnable("the log's index and the log's header disagree", false);
		}
		return index.end(header);
	}

	private static @Nullable WalHeader header(@Nullable FileChannel log) throws IOException {
		return (log != null) ? WalFrames.header(log) : null;
	}

	/**
	 * Check that the pinned state has the journal mode and page size the copy was planned
	 * for: another connection may have changed them since the source was opened.
	 */
	private void checkUnchanged() throws SQLException, Unpinnable {
		SQLiteConnection connection = this.source.connection();
		boolean wal = SqliteConnections.journalMode(connection, "main").isWal();
		long pageSize = SqliteConnections.queryLong(connection, "PRAGMA main.page_size");
		if (wal != this.source.journalMode().isWal() || pageSize != this.source.pageSize()) {
			throw new Unpinnable("the journal mode or page size changed since the backup began", false);
		}
	}

	/**
	 * Pin the newest committed state of a rollback-journal database: the read transaction's
	 * shared lock keeps writers out of the file until the copy ends.
	 */
	private Snapshot pin() throws SQLException, Unpinnable {
		beginRead();
		checkUnchanged();
		return new Snapshot(pages(), null, 0);
	}

	private void beginRead() throws SQLException {
		SQLiteConnection connection = this.source.connection();
		try {
			SqliteConnections.execute(connection, "BEGIN");
			SqliteConnections.queryLong(connection, "SELECT count(*) FROM main.sqlite_schema");
		}
		catch (SQLException ex) {
			if ((ex.getErrorCode() & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code) {
				throw new DatabaseBusyException("Backup of " + this.source.describe() + " failed: the database stayed "
						+ "locked by another connection through " + this.options.maxRetries() + " retries "
						+ this.options.retrySleep().toMillis() + " ms apart. Raise max-retries or retry-sleep, keep "
						+ "write transactions short, or use WAL mode.");
			}
			throw ex;
		}
	}

	private long pages() throws SQLException, Unpinnable {
		long pages = SqliteConnections.queryLong(this.source.connection(), "PRAGMA main.page_count");
		if (pages == 0) {
			throw new Unpinnable("the database is empty", false);
		}
		return pages;
	}

	private void endRead() {
		try {
			SqliteConnections.execute(this.source.connection(), "ROLLBACK");
		}
		catch (SQLException ex) {
			// no transaction was begun
			logger.trace("No read transaction to end on " + this.source.describe() + ": " + ex);
		}
	}

	/**
	 * Copy the state's pages in one pass, chunk by chunk: the file's range with the kernel's
	 * copy, then the newest committed frames of the chunk's pages over it, the lock-byte page
	 * emptied and, in the first chunk, the header finished; each chunk is then final, so it
	 * is synced as the copy grows and digested on another core.
	 */
	private void copyPages(Pass pass, long pages) throws IOException, SQLException, Unpinnable {
		int pageSize = this.source.pageSize();
		long size = pages * pageSize;
		for (long position = 0; position < size;) {
			this.control.throwIfCancelled("Backup of " + this.source.describe());
			long end = Math.min(position + CHUNK_BYTES, size);
			long copied = transfer(pass, position, end);
			if (position <= LOCK_BYTE_OFFSET && LOCK_BYTE_OFFSET < position + copied) {
				write(pass.copy(), ByteBuffer.allocate(pageSize), LOCK_BYTE_OFFSET);
			}
			overlay(pass, pass.frames().subMap(position / pageSize + 1, true, end / pageSize, true));
			if (position == 0) {
				finishHeader(pass.copy(), pages);
			}
			if (pass.copy().size() < end) {
				// pages beyond the file and the log read as zeros, as SQLite reads them
				write(pass.copy(), ByteBuffer.allocate(1), end - 1);
			}
			pass.sync().copied(end);
			pass.digest().add(end);
			position = end;
			if (position < size) {
				report(size - position, size);
			}
		}
	}

	/**
	 * Copy a range of the database file to the same place in the copy.
	 * @return the bytes copied, fewer where the file ends (the rest of the state is then in
	 * the log, or reads as zeros)
	 */
	private static long transfer(Pass pass, long position, long end) throws IOException {
		long copied = 0;
		pass.copy().position(position);
		while (position + copied < end) {
			long transferred = pass.database().transferTo(position + copied, end - position - copied, pass.copy());
			if (transferred <= 0) {
				break;
			}
			copied += transferred;
		}
		return copied;
	}

	/**
	 * Find the newest frame of each page of the state in the log, up to the state's end.
	 * @return where each page's content starts in the log, by page number
	 */
	private static NavigableMap<Long, Long> newestFrames(FileChannel log, WalCursor end, long pages)
			throws IOException, Unpinnable {
		WalHeader header = end.header();
		NavigableMap<Long, Long> newest = new TreeMap<>();
		ByteBuffer number = ByteBuffer.allocate(4);
		for (long offset = WalHeader.SIZE; offset < end.offset(); offset += header.frameSize()) {
			number.clear();
			if (log.read(number, offset) < 4) {
				throw new Unpinnable("the write-ahead log was truncated during the copy", true);
			}
			long pageNumber = Integer.toUnsignedLong(number.getInt(0));
			if (pageNumber > 0 && pageNumber <= pages) {
				newest.put(pageNumber, offset + WalFrames.FRAME_HEADER_SIZE);
			}
		}
		return newest;
	}

	/**
	 * Write the newest committed frames of some pages over the copy.
	 */
	private void overlay(Pass pass, Map<Long, Long> frames) throws IOException, Unpinnable {
		FileChannel log = pass.log();
		if (frames.isEmpty() || log == null) {
			return;
		}
		int pageSize = this.source.pageSize();
		ByteBuffer page = ByteBuffer.allocateDirect(pageSize);
		for (Map.Entry<Long, Long> frame : frames.entrySet()) {
			page.clear();
			while (page.hasRemaining()) {
				if (log.read(page, frame.getValue() + page.position()) < 0) {
					throw new Unpinnable("the write-ahead log was truncated during the copy", true);
				}
			}
			page.flip();
			write(pass.copy(), page, (frame.getKey() - 1) * pageSize);
		}
	}

	/**
	 * Check that the log was not restarted while its frames were read: only a state that
	 * lies wholly in the database file lets a writer restart it, and then frames read after
	 * the restart would be another state's.
	 */
	private static void checkNotRestarted(FileChannel log, WalHeader header) throws IOException, Unpinnable {
		WalHeader now = WalFrames.header(log);
		if (now == null || !now.sameCycle(header)) {
			throw new Unpinnable("the write-ahead log was restarted during the copy", true);
		}
	}

	/**
	 * Give the first page's header what the Online Backup API and the switch to a rollback
	 * journal give it: a fresh file's change counter (2 after the switch from WAL), schema
	 * cookie 1, the page count, this library's version number, and the rollback journal's
	 * file format.
	 */
	private void finishHeader(FileChannel copy, long pages) throws IOException, SQLException {
		ByteBuffer header = ByteBuffer.allocate(100);
		while (header.hasRemaining() && copy.read(header, header.position()) >= 0) {
			// read the whole header
		}
		boolean walFormat = header.get(18) == 2;
		int changeCounter = walFormat ? 2 : 1;
		header.put(18, (byte) 1).put(19, (byte) 1);
		header.putInt(24, changeCounter).putInt(28, Math.toIntExact(pages)).putInt(40, 1);
		header.putInt(92, changeCounter).putInt(96, versionNumber(this.source.connection().libversion()));
		header.rewind();
		write(copy, header, 0);
	}

	private static void write(FileChannel copy, ByteBuffer bytes, long position) throws IOException {
		long at = position;
		while (bytes.hasRemaining()) {
			at += copy.write(bytes, at);
		}
	}

	private static int versionNumber(String version) {
		String[] parts = version.split("\\.");
		int number = 0;
		for (int i = 0; i < 3; i++) {
			number = number * 1000 + ((i < parts.length) ? Integer.parseInt(parts[i]) : 0);
		}
		return number;
	}

	private void report(long remainingBytes, long totalBytes) {
		this.chunks++;
		BackupProgressListener listener = this.options.progress();
		if (listener == null) {
			return;
		}
		int pageSize = this.source.pageSize();
		try {
			listener.onProgress(
					new BackupProgress(remainingBytes / pageSize, totalBytes / pageSize, 0, remainingBytes == 0));
		}
		catch (RuntimeException ex) {
			throw new SqliteBackupException("Backup of " + this.source.describe() + " stopped because the progress "
					+ "listener threw " + ex + "; nothing was published or changed.", ex);
		}
	}

	/**
	 * Waits for the write lock by trying again every {@value #LOCK_POLL_NANOS} ns: writers
	 * that commit back to back leave it free only for moments, which SQLite's own busy
	 * timeout, sleeping up to 100 ms between tries, mostly misses.
	 */
	private static final class PollingBusyHandler extends BusyHandler {

		private final long deadline;

		private final OperationControl control;

		PollingBusyHandler(Duration patience, OperationControl control) {
			this.deadline = System.nanoTime() + patience.toNanos();
			this.control = control;
		}

		@Override
		protected int callback(int previousInvocations) {
			if (this.control.isCancelled() || System.nanoTime() - this.deadline > 0) {
				return 0;
			}
			LockSupport.parkNanos(LOCK_POLL_NANOS);
			return 1;
		}

	}

	/**
	 * Called while the copied state is still pinned, after the copy: tests copy the same
	 * state with the Online Backup API on the same connection, to compare.
	 */
	@FunctionalInterface
	interface SnapshotObserver {

		void whilePinned(SQLiteConnection connection) throws SQLException;

	}

	/**
	 * What one copy pass reads and writes.
	 *
	 * @param database the live database file
	 * @param log its log, or {@code null} in rollback-journal modes
	 * @param frames where the newest committed frame of each page is in the log
	 * @param copy the copy
	 * @param sync syncs the copy as it grows
	 * @param digest digests the copy as it grows
	 */
	private record Pass(LiveDatabaseFiles.Copier database, @Nullable FileChannel log, NavigableMap<Long, Long> frames,
			FileChannel copy, DestinationSync sync, StagingDigest digest) {
	}

	/**
	 * The pinned state.
	 *
	 * @param pages its size in pages
	 * @param log where it ends in the log, or {@code null} if it is the database file alone
	 * @param lockHeldNanos how long the write lock was held to pin it
	 */
	private record Snapshot(long pages, @Nullable WalCursor log, long lockHeldNanos) {
	}

	/**
	 * Where the last committed transaction of a log ends.
	 *
	 * @param cursor the position after its commit frame (after the header if none)
	 * @param commitSize the database's size in pages after it, 0 if none
	 */
	private record LogEnd(WalCursor cursor, int commitSize) {

		/**
		 * Scan a log for committed transactions, from where an earlier scan of the same
		 * cycle ended, else from the start, up to where SQLite's index says they end. A
		 * committed transaction beyond that end exists only if a writer died before
		 * publishing it, or if the {@code -shm} at the path is not the application's
		 * (deleted behind its back and rebuilt by another process, its end stale): the
		 * Online Backup API, which reads through the application's own index, copies such
		 * a state rightly.
		 * @return where the state ends, or {@code null} if it is the database file alone
		 */
		static @Nullable LogEnd scan(@Nullable FileChannel log, @Nullable WalHeader header, @Nullable LogEnd earlier,
				long limit) throws IOException, Unpinnable {
			if (log == null || header == null) {
				return null;
			}
			boolean goOn = earlier != null && earlier.cursor().header().sameCycle(header)
					&& earlier.cursor().offset() <= Math.min(limit, log.size());
			LogEnd end = goOn ? earlier : new LogEnd(WalCursor.start(header), 0);
			LogEnd last = end;
			for (WalFrames.Commit commit : WalFrames.committedAfter(log, end.cursor())) {
				last = new LogEnd(commit.cursor(), commit.commitSize());
				if (commit.end() <= limit) {
					end = last;
				}
			}
			if (limit != Long.MAX_VALUE) {
				if (last != end) {
					throw new Unpinnable("the log holds committed frames beyond the end its index states", false);
				}
				if (limit > WalHeader.SIZE && end.cursor().offset() != limit) {
					throw new Unpinnable("no commit frame of the log ends where its index says (" + limit + ")",
							false);
				}
			}
			return (limit <= WalHeader.SIZE) ? null : end;
		}

	}

	/**
	 * Why a state could not be copied page by page, and whether another attempt may succeed.
	 */
	private static final class Unpinnable extends Exception {

		private static final long serialVersionUID = 1L;

		private final boolean retry;

		Unpinnable(String message, boolean retry) {
			super(message, null, false, false);
			this.retry = retry;
		}

	}

}
