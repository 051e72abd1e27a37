package io.github.sqlitebackup.offsite;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

import io.github.sqlitebackup.catalog.Sha256;

/**
 * Passes a stream through and, when it ends, checks that it had the expected size and
 * SHA-256: a reader that reads to the end gets an {@link IOException} instead of a clean end
 * when the content is not what its manifest states.
 */
final class VerifyingInputStream extends FilterInputStream {

	private final MessageDigest digest = Sha256.newDigest();

	private final long expectedBytes;

	private final String expectedSha256;

	private final String what;

	private long bytes;

	private boolean checked;

	VerifyingInputStream(InputStream in, long expectedBytes, String expectedSha256, String what) {
		super(in);
		this.expectedBytes = expectedBytes;
		this.expectedSha256 = expectedSha256;
		this.what = what;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int read = read(one, 0, 1);
		return (read < 0) ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int read = this.in.read(buffer, offset, length);
		if (read < 0) {
			check();
			return -1;
		}
		this.digest.update(buffer, offset, read);
		this.bytes += read;
		if (this.bytes > this.expectedBytes) {
			throw new MismatchException(this.what + " has more than the " + this.expectedBytes + " bytes its manifest states");
		}
		return read;
	}

	@Override
	public long skip(long n) throws IOException {
		// read what is skipped: it counts towards the size and the digest
		byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
		int read = (buffer.length > 0) ? read(buffer, 0, buffer.length) : 0;
		return Math.max(read, 0);
	}

	@Override
	public boolean markSupported() {
		return false;
	}

	private void check() throws IOException {
		if (this.checked) {
			return;
		}
		this.checked = true;
		String sha256 = Sha256.hex(this.digest);
		if (this.bytes != this.expectedBytes || !sha256.equals(this.expectedSha256)) {
			throw new MismatchException(this.what + " does not match its manifest (read " + this.bytes + " bytes with SHA-256 "
					+ sha256 + ", expected " + this.expectedBytes + " bytes with " + this.expectedSha256
					+ "): it was changed or damaged after it was stored");
		}
	}

	/**
	 * Content that is not what its manifest states.
	 */
	static final class MismatchException extends IOException {

		private static final long serialVersionUID = 1L;

		MismatchException(String message) {
			super(message);
		}

	}

}
