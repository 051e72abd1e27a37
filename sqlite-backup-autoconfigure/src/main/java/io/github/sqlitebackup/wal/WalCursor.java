package io.github.sqlitebackup.wal;

/**
 * A position in one cycle of a write-ahead log: just after a commit frame (or the header),
 * with the checksum chain at that point so reading can go on from there.
 *
 * @param header the header of the cycle
 * @param offset the byte offset after the last committed frame read
 * @param checksum the checksum of the chain up to that offset
 */
public record WalCursor(WalHeader header, long offset, WalChecksum checksum) {

	/**
	 * Return the position at the start of a cycle, before its first frame.
	 * @param header the cycle's header
	 * @return the position
	 */
	public static WalCursor start(WalHeader header) {
		return new WalCursor(header, WalHeader.SIZE, header.checksum());
	}

}
