package io.github.sqlitebackup.wal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reads the committed transactions of a write-ahead log after a known position. A frame
 * counts only while its salts are the header's and the checksum chain holds; a transaction
 * counts only once its commit frame does, so a transaction being written, a torn frame or
 * the frames of an older cycle of the log are never taken for data.
 * <p>
 * Reading is two passes over the new part of the log: the first checks the chain and finds
 * where transactions end, the second hands their pages over in order. Frames that are
 * committed do not change while the reader's process holds a read transaction on the
 * database (no one can restart the log), which is what makes the second pass safe.
 */
public final class WalFrames {

	/** Size of a frame's header: page number, commit size, two salts, two checksum words. */
	public static final int FRAME_HEADER_SIZE = 24;

	private WalFrames() {
	}

	/**
	 * Read the log's header as it is now.
	 * @param wal the log
	 * @return the header, or {@code null} if the log has none yet (empty or being created)
	 * @throws IOException if the log cannot be read
	 */
	public static @Nullable WalHeader header(FileChannel wal) throws IOException {
		byte[] bytes = new byte[WalHeader.SIZE];
		if (read(wal, ByteBuffer.wrap(bytes), 0) < WalHeader.SIZE) {
			return null;
		}
		return WalHeader.parse(bytes);
	}

	/**
	 * Find the committed transactions after a position, checking the chain up to the end of
	 * the log as it is now.
	 * @param wal the log
	 * @param from where the last committed transaction read so far ends
	 * @return the transactions after it, in order (empty if none)
	 * @throws IOException if the log cannot be read
	 */
	public static List<Commit> committedAfter(FileChannel wal, WalCursor from) throws IOException {
		WalHeader header = from.header();
		int frameSize = header.frameSize();
		long end = wal.size();
		List<Commit> commits = new ArrayList<>();
		ByteBuffer frame = ByteBuffer.allocate(frameSize);
		WalChecksum checksum = from.checksum();
		long offset = from.offset();
		long transactionStart = offset;
		while (offset + frameSize <= end) {
			frame.clear();
			if (read(wal, frame, offset) < frameSize) {
				break;
			}
			byte[] bytes = frame.array();
			if (frame.getInt(8) != header.salt1() || frame.getInt(12) != header.salt2()) {
				break;
			}
			WalChecksum next = checksum.update(bytes, 0, 8).update(bytes, FRAME_HEADER_SIZE, header.pageSize());
			if (next.s0() != frame.getInt(16) || next.s1() != frame.getInt(20)) {
				break;
			}
			checksum = next;
			offset += frameSize;
			int commitSize = frame.getInt(4);
			if (commitSize != 0) {
				commits.add(new Commit(transactionStart, offset, commitSize, new WalCursor(header, offset, checksum)));
				transactionStart = offset;
			}
		}
		return commits;
	}

	/**
	 * Hand over the pages of committed transactions found by
	 * {@link #committedAfter(FileChannel, WalCursor)}, in log order.
	 * @param wal the log
	 * @param header the log's header
	 * @param commit the transaction
	 * @param pages receives each page
	 * @throws IOException if the log cannot be read or changed under the reader
	 */
	public static void pages(FileChannel wal, WalHeader header, Commit commit, PageConsumer pages) throws IOException {
		ByteBuffer frame = ByteBuffer.allocate(header.frameSize());
		for (long offset = commit.start(); offset < commit.end(); offset += header.frameSize()) {
			frame.clear();
			if (read(wal, frame, offset) < header.frameSize()) {
				throw new EOFException("The write-ahead log became shorter while its frames were read");
			}
			if (frame.getInt(8) != header.salt1() || frame.getInt(12) != header.salt2()) {
				throw new IOException("The write-ahead log was restarted while its frames were read");
			}
			pages.page(frame.getInt(0), frame.array(), FRAME_HEADER_SIZE);
		}
	}

	private static int read(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
		int total = 0;
		while (buffer.hasRemaining()) {
			int read = channel.read(buffer, position + total);
			if (read < 0) {
				break;
			}
			total += read;
		}
		return total;
	}

	/**
	 * One committed transaction in the log.
	 *
	 * @param start offset of its first frame
	 * @param end offset after its commit frame
	 * @param commitSize the database's size in pages after it
	 * @param cursor the position after it
	 */
	public record Commit(long start, long end, int commitSize, WalCursor cursor) {

		/**
		 * Return the number of frames.
		 * @param header the log's header
		 * @return how many pages it wrote
		 */
		public int frames(WalHeader header) {
			return (int) ((this.end - this.start) / header.frameSize());
		}

	}

	/**
	 * Receives the pages of a transaction.
	 */
	@FunctionalInterface
	public interface PageConsumer {

		/**
		 * Take one page.
		 * @param pageNumber the page's number (1 is the first)
		 * @param buffer holds the page's content
		 * @param offset where the content starts; it is one page long
		 * @throws IOException if it cannot be taken
		 */
		void page(int pageNumber, byte[] buffer, int offset) throws IOException;

	}

}
