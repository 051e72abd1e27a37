package io.github.sqlitebackup.wal;

/**
 * SQLite's cumulative write-ahead log checksum: over 32-bit words taken in pairs,
 * {@code s0 += x0 + s1; s1 += x1 + s0}, in the byte order the log's magic number names.
 *
 * @param bigEndian whether words are read big-endian
 * @param s0 the first checksum word
 * @param s1 the second checksum word
 */
public record WalChecksum(boolean bigEndian, int s0, int s1) {

	/**
	 * Continue the checksum over bytes.
	 * @param bytes the bytes
	 * @param offset where to start
	 * @param length how many (a multiple of 8)
	 * @return the checksum after them
	 */
	public WalChecksum update(byte[] bytes, int offset, int length) {
		int a = this.s0;
		int b = this.s1;
		for (int i = offset; i < offset + length; i += 8) {
			a += word(bytes, i) + b;
			b += word(bytes, i + 4) + a;
		}
		return new WalChecksum(this.bigEndian, a, b);
	}

	private int word(byte[] bytes, int i) {
		if (this.bigEndian) {
			return ((bytes[i] & 0xff) << 24) | ((bytes[i + 1] & 0xff) << 16) | ((bytes[i + 2] & 0xff) << 8)
					| (bytes[i + 3] & 0xff);
		}
		return ((bytes[i + 3] & 0xff) << 24) | ((bytes[i + 2] & 0xff) << 16) | ((bytes[i + 1] & 0xff) << 8)
				| (bytes[i] & 0xff);
	}

}
