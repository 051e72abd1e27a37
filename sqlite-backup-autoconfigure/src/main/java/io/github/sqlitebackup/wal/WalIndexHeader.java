package io.github.sqlitebackup.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The header of a WAL database's shared-memory index ({@code -shm}): where SQLite's
 * committed part of the log ends. A commit frame written after that end (by a writer that
 * died before publishing it) is valid in the log's checksum chain but not committed: SQLite
 * readers ignore it and the next writer overwrites it. The header is kept twice, in the
 * machine's byte order; a writer holding the write lock leaves both copies equal.
 *
 * @param mxFrame the number of committed frames in the log
 * @param salt1 the first salt of the log cycle they belong to
 * @param salt2 the second salt
 */
public record WalIndexHeader(long mxFrame, int salt1, int salt2) {

	/** Bytes to read from the start of the {@code -shm} file: both copies of the header. */
	public static final int SIZE = 96;

	private static final int COPY_SIZE = 48;

	private static final int VERSION = 3007000;

	/**
	 * Parse the header.
	 * @param bytes the first {@value #SIZE} bytes of the {@code -shm} file
	 * @return the header, or {@code null} if it is not initialised or its copies differ
	 */
	public static @Nullable WalIndexHeader parse(byte[] bytes) {
		if (bytes.length < SIZE
				|| !Arrays.equals(bytes, 0, COPY_SIZE, bytes, COPY_SIZE, 2 * COPY_SIZE)) {
			return null;
		}
		ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
		if (header.getInt(0) != VERSION || bytes[12] != 1) {
			return null;
		}
		// the salts are copied from the log's header as they are there, big-endian
		ByteBuffer salts = ByteBuffer.wrap(bytes, 32, 8).order(ByteOrder.BIG_ENDIAN);
		return new WalIndexHeader(Integer.toUnsignedLong(header.getInt(16)), salts.getInt(32), salts.getInt(36));
	}

	/**
	 * Return whether the committed frames belong to the cycle a log header starts.
	 * @param log the log's header
	 * @return {@code true} if the salts are the same
	 */
	public boolean sameCycle(WalHeader log) {
		return this.salt1 == log.salt1() && this.salt2 == log.salt2();
	}

	/**
	 * Return the offset in the log where the committed frames end.
	 * @param log the log's header
	 * @return the offset after frame {@link #mxFrame()}
	 */
	public long end(WalHeader log) {
		return WalHeader.SIZE + this.mxFrame * log.frameSize();
	}

}
