package io.github.sqlitebackup.wal;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * The 32-byte header of a SQLite write-ahead log: page size, checkpoint sequence and the
 * salts that every valid frame of this cycle of the log repeats. A checkpoint that restarts
 * the log writes a new header with new salts.
 *
 * @param bigEndianChecksums whether checksums read words big-endian (magic 0x377f0683)
 * @param pageSize the database page size
 * @param checkpointSequence incremented by every restart of the log
 * @param salt1 the first salt
 * @param salt2 the second salt
 * @param checksum1 the header's first checksum word, where the frames' chain starts
 * @param checksum2 the header's second checksum word
 */
public record WalHeader(boolean bigEndianChecksums, int pageSize, int checkpointSequence, int salt1, int salt2,
		int checksum1, int checksum2) {

	/** Size of the header in bytes. */
	public static final int SIZE = 32;

	private static final int MAGIC_LITTLE_ENDIAN = 0x377f0682;

	private static final int MAGIC_BIG_ENDIAN = 0x377f0683;

	private static final int VERSION = 3007000;

	/**
	 * Parse and check a header.
	 * @param bytes the first {@value #SIZE} bytes of the log
	 * @return the header, or {@code null} if they are not a valid header (a log that is
	 * empty, being created, or not a log)
	 */
	public static @Nullable WalHeader parse(byte[] bytes) {
		if (bytes.length < SIZE) {
			return null;
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		int magic = buffer.getInt(0);
		if ((magic != MAGIC_LITTLE_ENDIAN && magic != MAGIC_BIG_ENDIAN) || buffer.getInt(4) != VERSION) {
			return null;
		}
		boolean bigEndian = magic == MAGIC_BIG_ENDIAN;
		int pageSize = buffer.getInt(8);
		if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
			return null;
		}
		WalChecksum checksum = new WalChecksum(bigEndian, 0, 0).update(bytes, 0, 24);
		int checksum1 = buffer.getInt(24);
		int checksum2 = buffer.getInt(28);
		if (checksum.s0() != checksum1 || checksum.s1() != checksum2) {
			return null;
		}
		return new WalHeader(bigEndian, pageSize, buffer.getInt(12), buffer.getInt(16), buffer.getInt(20), checksum1,
				checksum2);
	}

	/**
	 * Return whether another header starts the same cycle of the log.
	 * @param other the other header
	 * @return {@code true} if salts and checkpoint sequence are the same
	 */
	public boolean sameCycle(WalHeader other) {
		return this.salt1 == other.salt1 && this.salt2 == other.salt2
				&& this.checkpointSequence == other.checkpointSequence;
	}

	/**
	 * Return the size of one frame: its 24-byte header and a page.
	 * @return the frame size in bytes
	 */
	public int frameSize() {
		return WalFrames.FRAME_HEADER_SIZE + this.pageSize;
	}

	/**
	 * Return where the chain of frame checksums starts.
	 * @return the header's checksum
	 */
	public WalChecksum checksum() {
		return new WalChecksum(this.bigEndianChecksums, this.checksum1, this.checksum2);
	}

}
