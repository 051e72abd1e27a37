package io.github.sqlitebackup.replication;

import java.io.IOException;
import java.io.InputStream;

import io.github.sqlitebackup.storage.BackupStorage;

/**
 * Reads a stored segment through to check that it is what its key says: intact records of
 * exactly the transactions from its first to its last. Nothing is deleted on the word of a
 * key alone (a stray or damaged object named like a segment must not make others go).
 */
final class SegmentCheck {

	private SegmentCheck() {
	}

	/**
	 * Check a plain segment.
	 * @param storage where it is
	 * @param segment its key
	 * @throws IOException naming the segment, if it cannot be read or is not what its key says
	 */
	static void verify(BackupStorage storage, ReplicaKey segment) throws IOException {
		String description = "Segment " + segment.key();
		Numbers numbers = new Numbers(segment.first());
		try (InputStream in = storage.open(segment.key())) {
			SegmentFormat.read(in, description, numbers);
		}
		if (numbers.next != segment.last() + 1) {
			throw new IOException(description + " ends at transaction " + (numbers.next - 1) + ", not "
					+ segment.last() + " as its key says");
		}
	}

	/** Checks that the transactions are numbered one after the other from the first. */
	private static final class Numbers implements SegmentFormat.TransactionReader {

		private long next;

		Numbers(long first) {
			this.next = first;
		}

		@Override
		public boolean begin(SegmentFormat.TransactionHeader transaction) throws IOException {
			if (transaction.number() != this.next) {
				throw new IOException("it holds transaction " + transaction.number() + " where " + this.next
						+ " was due");
			}
			return true;
		}

		@Override
		public void page(int pageNumber, byte[] content) {
		}

		@Override
		public void end(SegmentFormat.TransactionHeader transaction) {
			this.next++;
		}

	}

}
