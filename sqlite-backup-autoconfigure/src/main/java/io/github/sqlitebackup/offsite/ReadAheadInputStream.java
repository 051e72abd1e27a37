package io.github.sqlitebackup.offsite;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.jspecify.annotations.Nullable;

/**
 * Reads a stream ahead on a thread of its own, a few chunks at a time, so that the work
 * behind the source (reading a file or a download, SHA-256, decryption, decompression) runs
 * beside the reader's own (writing, checking) on another core. The source's failures reach
 * the reader at the position they happened, as the same exceptions. Closing stops the thread
 * and waits for it before the source is closed, so the source is never used by two threads
 * at once.
 */
final class ReadAheadInputStream extends InputStream {

	private static final int CHUNK_SIZE = 1024 * 1024;

	private static final int CHUNKS = 4;

	private final InputStream source;

	private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);

	/** Read chunks (at most one per buffer), then one end or failure. */
	private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS + 1);

	private final Thread reader;

	private volatile boolean closed;

	private @Nullable Chunk current;

	private int position;

	private boolean ended;

	private @Nullable Throwable failure;

	ReadAheadInputStream(InputStream source, String threadName) {
		this.source = source;
		for (int i = 0; i < CHUNKS; i++) {
			this.free.add(new byte[CHUNK_SIZE]);
		}
		this.reader = new Thread(this::readAhead, threadName);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	private void readAhead() {
		try {
			while (!this.closed) {
				byte[] buffer = this.free.take();
				int length = 0;
				try {
					int read = 0;
					while (length < buffer.length && (read = this.source.read(buffer, length, buffer.length - length)) >= 0) {
						length += read;
					}
					if (length > 0) {
						this.filled.put(new Chunk(buffer, length, null));
					}
					if (read < 0) {
						this.filled.put(Chunk.END);
						return;
					}
				}
				catch (IOException | RuntimeException | Error ex) {
					// what was read before the failure first, then the failure, as in the source
					if (length > 0) {
						this.filled.put(new Chunk(buffer, length, null));
					}
					this.filled.put(new Chunk(null, 0, ex));
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			// closed
		}
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int read = read(one, 0, 1);
		return (read < 0) ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		Chunk chunk = current();
		if (chunk == null) {
			return -1;
		}
		int count = Math.min(length, chunk.length - this.position);
		System.arraycopy(chunk.buffer, this.position, buffer, offset, count);
		this.position += count;
		return count;
	}

	private @Nullable Chunk current() throws IOException {
		if (this.closed) {
			throw new IOException("Stream closed");
		}
		while (this.current == null || this.position == this.current.length) {
			if (this.current != null) {
				this.free.add(this.current.buffer);
				this.current = null;
			}
			if (this.failure != null) {
				throw rethrow(this.failure);
			}
			if (this.ended) {
				return null;
			}
			Chunk next;
			try {
				next = this.filled.take();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("Interrupted while reading ahead");
			}
			if (next == Chunk.END) {
				this.ended = true;
			}
			else if (next.failure != null) {
				this.failure = next.failure;
			}
			else {
				this.current = next;
				this.position = 0;
			}
		}
		return this.current;
	}

	private static IOException rethrow(Throwable failure) {
		if (failure instanceof IOException io) {
			return io;
		}
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		return new IOException(failure);
	}

	@Override
	public void close() throws IOException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.reader.interrupt();
		try {
			this.reader.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.filled.clear();
			this.source.close();
		}
	}

	private record Chunk(byte @Nullable [] buffer, int length, @Nullable Throwable failure) {

		static final Chunk END = new Chunk(null, 0, null);

	}

}
