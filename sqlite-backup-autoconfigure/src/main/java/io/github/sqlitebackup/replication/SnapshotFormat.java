package io.github.sqlitebackup.replication;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The content of a snapshot object: the database file it was made from, then every page of
 * the database as of one transaction, in order, closed by a CRC-32C of the source and the
 * pages.
 *
 * <pre>
 * "SQLBKSN2" page-size:int pages:int transaction:long committed-millis:long source:UTF page* crc:int
 * </pre>
 */
final class SnapshotFormat {

	private static final byte[] MAGIC = { 'S', 'Q', 'L', 'B', 'K', 'S', 'N', '2' };

	private SnapshotFormat() {
	}

	/**
	 * Writes a snapshot to a stream, page after page.
	 */
	static final class Writer {

		private final DataOutputStream out;

		private final int pageSize;

		private final CRC32C crc = new CRC32C();

		private int pagesLeft;

		Writer(OutputStream out, int pageSize, int pages, long transaction, long committedMillis, String source)
				throws IOException {
			this.out = new DataOutputStream(out);
			this.pageSize = pageSize;
			this.pagesLeft = pages;
			this.out.write(MAGIC);
			this.out.writeInt(pageSize);
			this.out.writeInt(pages);
			this.out.writeLong(transaction);
			this.out.writeLong(committedMillis);
			this.out.writeUTF(source);
			this.crc.update(source.getBytes(StandardCharsets.UTF_8));
		}

		/**
		 * Write the next page.
		 * @param buffer holds the page
		 * @param offset where it starts in it
		 * @throws IOException if the stream fails
		 */
		void page(byte[] buffer, int offset) throws IOException {
			if (this.pagesLeft == 0) {
				throw new IllegalStateException("The snapshot has all its pages");
			}
			this.out.write(buffer, offset, this.pageSize);
			this.crc.update(buffer, offset, this.pageSize);
			this.pagesLeft--;
		}

		/**
		 * End the snapshot.
		 * @throws IOException if the stream fails
		 */
		void finish() throws IOException {
			if (this.pagesLeft != 0) {
				throw new IllegalStateException(this.pagesLeft + " pages of the snapshot are missing");
			}
			this.out.writeInt((int) this.crc.getValue());
			this.out.flush();
		}

	}

	/**
	 * Write a snapshot's pages to the start of a file.
	 * @param in the snapshot's content
	 * @param description names the snapshot in messages
	 * @param file the file to write (its content beyond the pages is left as it is)
	 * @return what the snapshot's header says
	 * @throws IOException if it is damaged (then the file holds part of it) or cannot be
	 * read or written
	 */
	static Header read(InputStream in, String description, FileChannel file) throws IOException {
		DataInputStream data = new DataInputStream(in);
		try {
			byte[] magic = new byte[MAGIC.length];
			data.readFully(magic);
			if (!Arrays.equals(magic, MAGIC)) {
				throw new IOException(description + " is not a replication snapshot");
			}
			Header header = new Header(data.readInt(), data.readInt(), data.readLong(), data.readLong(),
					data.readUTF());
			if (header.pageSize() < 512 || header.pageSize() > 65536 || header.pages() < 1) {
				throw new IOException(description + " is damaged: " + header);
			}
			CRC32C crc = new CRC32C();
			crc.update(header.source().getBytes(StandardCharsets.UTF_8));
			byte[] page = new byte[header.pageSize()];
			for (long i = 0; i < header.pages(); i++) {
				data.readFully(page);
				crc.update(page);
				ByteBuffer buffer = ByteBuffer.wrap(page);
				while (buffer.hasRemaining()) {
					file.write(buffer, i * header.pageSize() + buffer.position());
				}
			}
			if (data.readInt() != (int) crc.getValue() || data.read() != -1) {
				throw new IOException(description + " is damaged: its source and pages fail their CRC-32C");
			}
			return header;
		}
		catch (EOFException ex) {
			throw new IOException(description + " is truncated", ex);
		}
	}

	/**
	 * What a snapshot's header says.
	 *
	 * @param pageSize the page size
	 * @param pages the database's size in pages
	 * @param transaction the transaction it is as of
	 * @param committedMillis when that transaction was committed at the latest
	 * @param source the database file it was made from
	 */
	record Header(int pageSize, int pages, long transaction, long committedMillis, String source) {
	}

}
