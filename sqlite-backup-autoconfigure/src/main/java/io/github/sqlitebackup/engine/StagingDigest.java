package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The SHA-256 of a private file written front to back: each range is read back (from the
 * page cache) and digested on a thread of its own as soon as it is final, so the digest is
 * ready when the writing ends instead of a whole read of the file later. A range that
 * cannot be read fails the digest, whatever follows it.
 */
final class StagingDigest implements AutoCloseable {

	private static final int READ_BYTES = 1024 * 1024;

	private final FileChannel file;

	private final MessageDigest digest = FileDigest.newSha256();

	private final ExecutorService thread;

	private long digested;

	private @Nullable Future<?> last;

	/** The first range that could not be read: the digest then covers nothing valid. */
	private volatile @Nullable IOException failure;

	StagingDigest(Path file) throws IOException {
		this(file, Executors.newSingleThreadExecutor((task) -> {
			Thread digesting = new Thread(task, "sqlite-backup-digest");
			digesting.setDaemon(true);
			return digesting;
		}));
	}

	StagingDigest(Path file, ExecutorService thread) throws IOException {
		this.file = FileChannel.open(file, StandardOpenOption.READ);
		this.thread = thread;
	}

	/**
	 * Digest the next range of the file, which is final.
	 * @param end where the range ends (it starts where the previous one ended)
	 */
	void add(long end) {
		long start = this.digested;
		this.digested = end;
		this.last = this.thread.submit(() -> {
			if (this.failure == null) {
				try {
					read(start, end);
				}
				catch (IOException | RuntimeException ex) {
					this.failure = (ex instanceof IOException io) ? io
							: new IOException("Cannot digest the copy: " + ex, ex);
				}
			}
			return null;
		});
	}

	/**
	 * Wait for every range to be digested.
	 * @return the digest of the file in lower-case hex
	 * @throws IOException if the file could not be read
	 */
	String finish() throws IOException {
		Future<?> pending = this.last;
		if (pending != null) {
			try {
				pending.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while the copy's digest was computed", ex);
			}
			catch (ExecutionException ex) {
				throw (ex.getCause() instanceof IOException io) ? io
						: new IOException("Cannot digest the copy: " + ex.getCause(), ex.getCause());
			}
		}
		IOException failed = this.failure;
		if (failed != null) {
			throw failed;
		}
		return HexFormat.of().formatHex(this.digest.digest());
	}

	private void read(long start, long end) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
		for (long position = start; position < end;) {
			buffer.clear().limit((int) Math.min(READ_BYTES, end - position));
			int read = this.file.read(buffer, position);
			if (read < 0) {
				throw new IOException("The copy became shorter while it was digested");
			}
			this.digest.update(buffer.array(), 0, read);
			position += read;
		}
	}

	@Override
	public void close() throws IOException {
		this.thread.shutdownNow();
		try {
			this.thread.awaitTermination(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.file.close();
	}

}
