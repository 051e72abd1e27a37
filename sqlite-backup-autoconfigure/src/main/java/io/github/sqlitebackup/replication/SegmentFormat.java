package io.github.sqlitebackup.replication;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The content of a segment object: the pages of consecutive whole transactions, each record
 * closed by a CRC-32C of itself so that a restore applies a transaction only once all of it
 * is known to be intact, and can stop between any two.
 *
 * <pre>
 * "SQLBKSG1" page-size:int
 * ( 'T' transaction:long committed-millis:long commit-size:int pages:int ( page-number:int page )* crc:int )*
 * 'E'
 * </pre>
 */
final class SegmentFormat {

	private static final byte[] MAGIC = { 'S', 'Q', 'L', 'B', 'K', 'S', 'G', '1' };

	private static final int TRANSACTION = 'T';

	private static final int END = 'E';

	private SegmentFormat() {
	}

	/**
	 * Writes a segment to a stream, one transaction at a time.
	 */
	static final class Writer {

		private final DataOutputStream out;

		private final int pageSize;

		private final CRC32C crc = new CRC32C();

		private int pagesLeft;

		Writer(OutputStream out, int pageSize) throws IOException {
			this.out = new DataOutputStream(out);
			this.pageSize = pageSize;
			this.out.write(MAGIC);
			this.out.writeInt(pageSize);
		}

		/**
		 * Start a transaction's record.
		 * @param transaction its number in the generation
		 * @param committedMillis when it was committed at the latest (epoch milliseconds)
		 * @param commitSize the database's size in pages after it
		 * @param pages how many pages follow
		 * @throws IOException if the stream fails
		 */
		void transaction(long transaction, long committedMillis, int commitSize, int pages) throws IOException {
			if (this.pagesLeft != 0) {
				throw new IllegalStateException(this.pagesLeft + " pages of the previous transaction are missing");
			}
			this.crc.reset();
			this.out.writeByte(TRANSACTION);
			writeLong(transaction);
			writeLong(committedMillis);
			writeInt(commitSize);
			writeInt(pages);
			this.pagesLeft = pages;
			closeIfComplete();
		}

		/**
		 * Write one page of the current transaction.
		 * @param pageNumber the page's number
		 * @param buffer holds the page
		 * @param offset where the page starts in it
		 * @throws IOException if the stream fails
		 */
		void page(int pageNumber, byte[] buffer, int offset) throws IOException {
			if (this.pagesLeft == 0) {
				throw new IllegalStateException("No transaction expects another page");
			}
			writeInt(pageNumber);
			this.out.write(buffer, offset, this.pageSize);
			this.crc.update(buffer, offset, this.pageSize);
			this.pagesLeft--;
			closeIfComplete();
		}

		/**
		 * End the segment.
		 * @throws IOException if the stream fails
		 */
		void finish() throws IOException {
			if (this.pagesLeft != 0) {
				throw new IllegalStateException(this.pagesLeft + " pages of the last transaction are missing");
			}
			this.out.writeByte(END);
			this.out.flush();
		}

		private void closeIfComplete() throws IOException {
			if (this.pagesLeft == 0) {
				this.out.writeInt((int) this.crc.getValue());
			}
		}

		private void writeLong(long value) throws IOException {
			this.out.writeLong(value);
			for (int shift = 56; shift >= 0; shift -= 8) {
				this.crc.update((int) (value >>> shift));
			}
		}

		private void writeInt(int value) throws IOException {
			this.out.writeInt(value);
			for (int shift = 24; shift >= 0; shift -= 8) {
				this.crc.update(value >>> shift);
			}
		}

	}

	/**
	 * Reads a segment, streaming each transaction's pages to a reader. A transaction's
	 * record is checked against its CRC-32C when it ends: a reader that writes pages as they
	 * come must treat a failure as the loss of everything it wrote (a restore discards its
	 * staging file).
	 * @param in the segment's content
	 * @param description names the segment in messages
	 * @param reader receives the transactions in order
	 * @return {@code false} if the reader stopped before a transaction
	 * @throws IOException if the segment is damaged or cannot be read
	 */
	static boolean read(InputStream in, String description, TransactionReader reader) throws IOException {
		DataInputStream data = new DataInputStream(in);
		try {
			byte[] magic = new byte[MAGIC.length];
			data.readFully(magic);
			if (!Arrays.equals(magic, MAGIC)) {
				throw new IOException(description + " is not a replication segment");
			}
			int pageSize = data.readInt();
			byte[] page = new byte[pageSize];
			while (true) {
				int kind = data.readUnsignedByte();
				if (kind == END) {
					if (data.read() != -1) {
						throw new IOException(description + " has bytes after its end");
					}
					return true;
				}
				if (kind != TRANSACTION) {
					throw new IOException(description + " is damaged: unknown record " + kind);
				}
				if (!readTransaction(data, page, description, reader)) {
					return false;
				}
			}
		}
		catch (EOFException ex) {
			throw new IOException(description + " is truncated", ex);
		}
	}

	private static boolean readTransaction(DataInputStream data, byte[] page, String description,
			TransactionReader reader) throws IOException {
		CRC32C crc = new CRC32C();
		byte[] fields = new byte[24];
		data.readFully(fields);
		crc.update(fields);
		ByteBuffer header = ByteBuffer.wrap(fields);
		TransactionHeader transaction = new TransactionHeader(header.getLong(0), header.getLong(8), header.getInt(16),
				header.getInt(20), page.length);
		if (transaction.pages() < 0 || transaction.commitSize() < 1) {
			throw new IOException(description + " is damaged: transaction " + transaction.number() + " claims "
					+ transaction.pages() + " pages and a database of " + transaction.commitSize() + " pages");
		}
		if (!reader.begin(transaction)) {
			return false;
		}
		byte[] number = new byte[4];
		for (int i = 0; i < transaction.pages(); i++) {
			data.readFully(number);
			crc.update(number);
			data.readFully(page);
			crc.update(page);
			reader.page(ByteBuffer.wrap(number).getInt(), page);
		}
		if (data.readInt() != (int) crc.getValue()) {
			throw new IOException(description + " is damaged: transaction " + transaction.number()
					+ " fails its CRC-32C");
		}
		reader.end(transaction);
		return true;
	}

	/**
	 * What a transaction's record says before its pages.
	 *
	 * @param number its number in the generation
	 * @param committedMillis when it was committed at the latest (epoch milliseconds)
	 * @param commitSize the database's size in pages after it
	 * @param pages how many pages it wrote
	 * @param pageSize the page size
	 */
	record TransactionHeader(long number, long committedMillis, int commitSize, int pages, int pageSize) {
	}

	/**
	 * Receives the transactions of a segment as they are read.
	 */
	interface TransactionReader {

		/**
		 * A transaction starts.
		 * @param transaction what its record says
		 * @return {@code false} to stop reading before it
		 * @throws IOException if it cannot be taken
		 */
		boolean begin(TransactionHeader transaction) throws IOException;

		/**
		 * One of its pages, not yet checked against the record's CRC.
		 * @param pageNumber the page's number
		 * @param content the page (reused for the next page)
		 * @throws IOException if it cannot be taken
		 */
		void page(int pageNumber, byte[] content) throws IOException;

		/**
		 * The transaction's record ended and is intact.
		 * @param transaction what its record said
		 * @throws IOException if it cannot be taken
		 */
		void end(TransactionHeader transaction) throws IOException;

	}

}
